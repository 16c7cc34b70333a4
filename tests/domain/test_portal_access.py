"""Who may use the portal, how a login finds its contact, the password rule and the messages shown (no HTTP)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.passwords import set_portal_password
from domain.portal_access import current_info_messages, find_client, may_use_portal, password_strength_error
from models import ClientGroup, ClientStatus, Contact, InfoMessage, db, utcnow

TODAY = date(2026, 3, 15)


def test_only_an_enabled_contact_with_a_password_and_not_deleted_may_use_the_portal(app, make_contact):
    with app.app_context():
        contact = db.session.get(Contact, make_contact())
        assert not may_use_portal(contact)
        set_portal_password(contact, "Portal-Pass-42")
        assert may_use_portal(contact)
        contact.portal_enabled = False
        assert not may_use_portal(contact)
        contact.portal_enabled = True
        contact.deleted_at = utcnow()
        assert not may_use_portal(contact)


def test_a_login_finds_the_contact_by_portal_login_or_client_number(app, make_contact):
    carol = make_contact(client_number=5002, portal_login="carol")
    dave = make_contact(client_number=5003)
    make_contact(client_number=5004, portal_login="gone", deleted_at=utcnow())
    with app.app_context():
        assert find_client(" carol ").id == carol
        assert find_client("5002").id == carol
        assert find_client("5003").id == dave
        assert find_client("gone") is None
        assert find_client("5004") is None
        assert find_client("9999") is None
        # More digits than a client number column holds: nobody, and no database error.
        assert find_client("1" * 30) is None


@pytest.mark.parametrize(
    "password,message",
    [
        ("Short1a", "Use at least 10 characters."),
        ("1234567890", "Mix upper and lower case letters with digits."),
        ("alllowercase1", "Mix upper and lower case letters with digits."),
        ("ALLUPPERCASE1", "Mix upper and lower case letters with digits."),
        ("OnlyLettersHere", "Mix upper and lower case letters with digits."),
        ("Carol-Login1", "The password must not be your login."),
        ("Portal-Pass-42", None),
    ],
)
def test_password_strength_rule(app, make_contact, password, message):
    contact_id = make_contact(client_number=5002, portal_login="carol-login1")
    with app.app_context():
        assert password_strength_error(password, db.session.get(Contact, contact_id)) == message


def test_info_messages_follow_audience_period_and_the_shown_flag(app, make_contact):
    with app.app_context():
        group, other_group, status = ClientGroup(name="VIP"), ClientGroup(name="Other"), ClientStatus(name="Late")
        db.session.add_all([group, other_group, status])
        db.session.flush()
        messages = {
            "all": InfoMessage(title="all"),
            "group": InfoMessage(title="group", audience="group", client_group=group),
            "other group": InfoMessage(title="other group", audience="group", client_group=other_group),
            "status": InfoMessage(title="status", audience="status", client_status=status),
            "current": InfoMessage(title="current", valid_from=date(2026, 3, 1), valid_to=TODAY),
            "future": InfoMessage(title="future", valid_from=date(2026, 3, 16)),
            "past": InfoMessage(title="past", valid_to=date(2026, 3, 14)),
            "hidden": InfoMessage(title="hidden", shown=False),
        }
        db.session.add_all(messages.values())
        db.session.commit()
        group_id, status_id = group.id, status.id
    in_group = make_contact(client_group_id=group_id)
    in_status = make_contact(client_status_id=status_id)
    muted = make_contact(client_group_id=group_id, show_info_messages=False)
    with app.app_context():

        def titles(contact_id):
            return {m.title for m in current_info_messages(db.session.get(Contact, contact_id), TODAY)}

        assert titles(in_group) == {"all", "group", "current"}
        assert titles(in_status) == {"all", "status", "current"}
        assert titles(muted) == set()
