"""Staff users: one active administrator always remains, and nobody locks themselves out (no HTTP)."""

from __future__ import annotations

from domain.users import remaining_admins, user_change_refusal, user_delete_refusal
from models import User, db
from tests.helpers import user_named

OWN_ACCESS = "You cannot take away your own administrator access."
OWN_ACCOUNT = "You cannot delete your own account."
LAST_ADMIN = "At least one active administrator must remain."


def add_user(username: str, role: str = "admin", active: bool = True) -> User:
    added = User(username=username, role=role, active=active, password_hash="x")
    db.session.add(added)
    db.session.commit()
    return added


def test_remaining_admins_counts_active_administrators_only(app):
    with app.app_context():
        assert remaining_admins() == 1
        add_user("retired", active=False)
        add_user("clerk", role="staff")
        assert remaining_admins() == 1
        add_user("second")
        assert remaining_admins() == 2


def test_nobody_takes_away_their_own_administrator_access(app):
    with app.app_context():
        add_user("second")
        admin = user_named("admin")
        admin.role = "staff"
        assert user_change_refusal(admin, admin) == OWN_ACCESS
        db.session.rollback()
        admin.active = False
        assert user_change_refusal(admin, admin) == OWN_ACCESS


def test_the_last_active_administrator_is_neither_demoted_nor_deactivated(app):
    with app.app_context():
        admin, staff = user_named("admin"), user_named("staff")
        admin.role = "staff"
        assert user_change_refusal(admin, staff) == LAST_ADMIN
        db.session.rollback()
        admin.active = False
        assert user_change_refusal(admin, staff) == LAST_ADMIN


def test_an_administrator_may_be_demoted_while_another_remains(app):
    with app.app_context():
        second = add_user("second")
        admin = user_named("admin")
        second.role = "staff"
        assert user_change_refusal(second, admin) is None
        staff = user_named("staff")
        staff.full_name = "Renamed"
        assert user_change_refusal(staff, admin) is None
        assert user_change_refusal(admin, admin) is None


def test_nobody_deletes_their_own_account_or_the_last_administrator(app):
    with app.app_context():
        admin, staff = user_named("admin"), user_named("staff")
        assert user_delete_refusal(admin, admin) == OWN_ACCOUNT
        assert user_delete_refusal(staff, staff) == OWN_ACCOUNT
        assert user_delete_refusal(admin, staff) == LAST_ADMIN
        assert user_delete_refusal(staff, admin) is None
        second = add_user("second")
        assert user_delete_refusal(second, admin) is None
        assert user_delete_refusal(add_user("retired", active=False), admin) is None
