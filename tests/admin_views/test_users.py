"""Staff users over HTTP: administrators only, and the panel always keeps an active administrator."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from domain.passwords import set_user_password
from models import User, db
from tests.helpers import csrf_token

OWN_ACCESS = "You cannot take away your own administrator access."
OWN_ACCOUNT = "You cannot delete your own account."


def users(app) -> dict[str, tuple[str, bool]]:
    """Every user as username -> (role, active)."""
    with app.app_context():
        return {user.username: (user.role, user.active) for user in db.session.scalars(sa.select(User))}


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def add_admin(app, username: str = "second") -> int:
    with app.app_context():
        user = User(username=username, full_name="Second admin", role="admin")
        set_user_password(user, "second-password-1")
        db.session.add(user)
        db.session.commit()
        return user.id


def post_user_form(client, app, username: str, **changes):
    """POST the edit form of `username` with its current values, `changes` applied (active=None unticks it)."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email or "",
            "role": user.role,
            "active": "y",
            "new_password": "",
        }
        url = f"/admin/user/edit/?id={user.id}"
    data.update(changes)
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(url, data={"csrf_token": csrf_token(client, "/admin/"), **data})


def delete_users(client, *ids: int, bulk: bool = False):
    """Delete users with the row's delete button, or with the list's bulk action; follows the redirect."""
    token = csrf_token(client, "/admin/")
    if bulk:
        return client.post(
            "/admin/user/action/",
            data={"csrf_token": token, "action": "delete", "rowid": list(ids)},
            follow_redirects=True,
        )
    [one] = ids
    return client.post("/admin/user/delete/", data={"csrf_token": token, "id": one}, follow_redirects=True)


@pytest.mark.parametrize("changes", [{"role": "staff"}, {"active": None}, {"role": "staff", "active": None}])
def test_the_only_administrator_can_neither_demote_nor_deactivate_themselves(app, admin, changes):
    response = post_user_form(admin, app, "admin", **changes)
    assert response.status_code == 200
    assert OWN_ACCESS in response.get_data(as_text=True)
    assert users(app)["admin"] == ("admin", True)


def test_an_administrator_cannot_take_away_their_own_access_while_another_remains(app, admin):
    add_admin(app)
    assert OWN_ACCESS in post_user_form(admin, app, "admin", role="staff").get_data(as_text=True)
    assert OWN_ACCESS in post_user_form(admin, app, "admin", active=None).get_data(as_text=True)
    assert users(app)["admin"] == ("admin", True)


def test_another_administrator_may_be_demoted_and_deactivated_but_one_always_remains(app, admin):
    add_admin(app)
    assert post_user_form(admin, app, "second", role="staff", active=None).status_code == 302
    assert users(app)["second"] == ("staff", False)
    assert OWN_ACCESS in post_user_form(admin, app, "admin", role="staff").get_data(as_text=True)
    assert [name for name, state in users(app).items() if state == ("admin", True)] == ["admin"]


def test_the_last_administrator_cannot_be_deleted_with_the_form_or_the_bulk_action(app, admin):
    admin_id = user_id(app, "admin")
    assert OWN_ACCOUNT in delete_users(admin, admin_id).get_data(as_text=True)
    assert OWN_ACCOUNT in delete_users(admin, admin_id, bulk=True).get_data(as_text=True)
    assert users(app)["admin"] == ("admin", True)


def test_bulk_deleting_every_administrator_keeps_the_one_deleting(app, admin):
    second_id = add_admin(app)
    html = delete_users(admin, user_id(app, "admin"), second_id, bulk=True).get_data(as_text=True)
    assert OWN_ACCOUNT in html
    assert set(users(app)) == {"admin", "staff"}


def test_another_user_may_be_deleted(app, admin):
    delete_users(admin, user_id(app, "staff"))
    assert set(users(app)) == {"admin"}


def test_the_role_is_offered_as_staff_or_administrator(admin):
    html = admin.get("/admin/user/new/").get_data(as_text=True)
    assert html.index('value="staff"') < html.index('value="admin"')
    assert ">Staff</option>" in html and ">Administrator</option>" in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/user/",
        "/admin/user/new/",
        "/admin/user/edit/?id={staff}",
        "/admin/user/details/?id={admin}",
        "/admin/user/export/csv/",
    ],
)
def test_staff_cannot_open_the_users_view(app, staff, url):
    ids = {"staff": user_id(app, "staff"), "admin": user_id(app, "admin")}
    assert staff.get(url.format(**ids)).status_code == 403


def test_staff_cannot_create_promote_or_delete_users(app, staff):
    staff_id, admin_id = user_id(app, "staff"), user_id(app, "admin")
    token = csrf_token(staff, "/admin/")
    new_user = {
        "csrf_token": token,
        "username": "mallory",
        "full_name": "",
        "email": "",
        "role": "admin",
        "active": "y",
        "new_password": "mallory-password-1",
    }
    assert staff.post("/admin/user/new/", data=new_user).status_code == 403
    promotion = {
        "csrf_token": token,
        "username": "staff",
        "full_name": "",
        "email": "",
        "role": "admin",
        "active": "y",
        "new_password": "",
    }
    assert staff.post(f"/admin/user/edit/?id={staff_id}", data=promotion).status_code == 403
    assert staff.post("/admin/user/delete/", data={"csrf_token": token, "id": admin_id}).status_code == 403
    assert (
        staff.post(
            "/admin/user/action/", data={"csrf_token": token, "action": "delete", "rowid": [admin_id]}
        ).status_code
        == 403
    )
    assert users(app) == {"admin": ("admin", True), "staff": ("staff", True)}
