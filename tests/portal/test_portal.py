"""The client portal: who may open it, what a client sees and may change, throttling, info messages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from models import ChangeLog, ClientGroup, ClientStatus, Contact, ContactPerson, InfoMessage, Note, db
from tests.helpers import PORTAL_PASSWORD, csrf_token, log_in


def portal_login(client, login: str, password: str = PORTAL_PASSWORD):
    return client.post(
        "/portal/login", data={"csrf_token": csrf_token(client, "/portal/login"), "login": login, "password": password}
    )


@pytest.fixture
def alice(app, make_portal_client, make_service):
    contact_id = make_portal_client(
        client_number=5001,
        name="Alice Nováková",
        email="alice@example.cz",
        internal_note_1="SECRET-NOTE-ONE",
        internal_note_2="SECRET-NOTE-TWO",
    )
    with app.app_context():
        db.session.add_all(
            [
                Note(contact_id=contact_id, text="SECRET-STAFF-NOTE"),
                ContactPerson(contact_id=contact_id, name="Bob Novák", role="husband"),
            ]
        )
        db.session.commit()
    make_service(contact_id, tariff_name="Fiber 500", state="active")
    return contact_id


@pytest.fixture
def mallory(make_portal_client):
    return make_portal_client(
        client_number=6666, name="Mallory Zlá", email="mallory@example.cz", internal_note_1="MALLORY-NOTE"
    )


def test_client_logs_in_with_client_number_or_login(client, alice, app):
    assert portal_login(client, "5001").headers["Location"] == "/portal/"
    html = client.get("/portal/").get_data(as_text=True)
    assert "Alice Nováková" in html and "Fiber 500" in html and "Bob Novák" in html


def test_portal_login_name_works_too(client, make_portal_client):
    make_portal_client(client_number=5002, name="Carol", portal_login="carol")
    assert portal_login(client, "carol").headers["Location"] == "/portal/"


@pytest.mark.parametrize("login,password", [("5001", "wrong"), ("9999", PORTAL_PASSWORD), ("", "")])
def test_wrong_credentials_are_refused(client, alice, login, password):
    response = portal_login(client, login, password)
    assert response.status_code == 200
    assert client.get("/portal/").status_code == 302


def test_disabled_or_deleted_client_cannot_log_in(app, client, alice):
    with app.app_context():
        db.session.get(Contact, alice).portal_enabled = False
        db.session.commit()
    assert "Wrong login or password." in portal_login(client, "5001").get_data(as_text=True)


def test_disabling_access_ends_an_open_session(app, client, alice):
    portal_login(client, "5001")
    with app.app_context():
        db.session.get(Contact, alice).portal_enabled = False
        db.session.commit()
    assert client.get("/portal/").status_code == 302


def test_client_never_sees_internal_notes_or_staff_notes(client, alice):
    portal_login(client, "5001")
    for url in ("/portal/", "/portal/details", "/portal/password"):
        html = client.get(url).get_data(as_text=True)
        assert "SECRET" not in html, url


PORTAL_PAGES = ["/portal/", "/portal/details", "/portal/password"]


def portal_rules(app):
    return sorted(r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("portal."))


def test_every_portal_url_is_covered(app):
    assert portal_rules(app) == ["/portal/", "/portal/details", "/portal/login", "/portal/logout", "/portal/password"]


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_anonymous_and_staff_go_to_the_portal_login(client, url):
    assert client.get(url).headers["Location"].startswith("/portal/login")
    log_in(client, "staff")
    assert client.get(url).headers["Location"].startswith("/portal/login")


def test_client_session_never_opens_the_admin(app, client, alice):
    portal_login(client, "5001")
    admin_urls = {
        r.rule
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/admin")
        and "GET" in r.methods
        and "<" not in r.rule
        and not r.endpoint.endswith("static")
    }
    assert len(admin_urls) > 40
    for url in sorted(admin_urls):
        # The portal's cookie is not the panel's: to the panel this browser is not logged in.
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url


def test_client_cannot_reach_another_client_by_any_id(app, client, alice, mallory):
    portal_login(client, "6666")
    for url in PORTAL_PAGES:
        for query in (f"?id={alice}", f"?contact_id={alice}", "?client_number=5001", "?id=1"):
            html = client.get(url + query).get_data(as_text=True)
            assert "Alice" not in html and "alice@example.cz" not in html, url + query
    client.post(
        "/portal/details",
        data={
            "csrf_token": csrf_token(client, "/portal/details"),
            "email": "owned@example.cz",
            "id": alice,
            "contact_id": alice,
        },
    )
    with app.app_context():
        assert db.session.get(Contact, alice).email == "alice@example.cz"
        assert db.session.get(Contact, mallory).email == "owned@example.cz"


def test_client_edits_own_details_recorded_as_portal_edit(app, client, alice):
    portal_login(client, "5001")
    response = client.post(
        "/portal/details",
        data={
            "csrf_token": csrf_token(client, "/portal/details"),
            "email": "alice@new.cz; a2@new.cz",
            "mobile": "777 123 456",
            "no_bulk_email": "y",
        },
    )
    assert response.headers["Location"] == "/portal/"
    with app.app_context():
        contact = db.session.get(Contact, alice)
        assert (contact.email, contact.mobile, contact.no_bulk_email) == (
            "alice@new.cz, a2@new.cz",
            "+420777123456",
            True,
        )
        entry = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == alice)).one()
        assert (entry.actor, entry.action, entry.user_id) == ("portal", "portal edit", None)
        assert entry.changes["email"] == {"old": "alice@example.cz", "new": "alice@new.cz, a2@new.cz"}
        assert contact.search_text and "alice@new.cz" in contact.search_text


def test_invalid_portal_edit_names_the_bad_value_and_keeps_input(app, client, alice):
    portal_login(client, "5001")
    html = client.post(
        "/portal/details",
        data={"csrf_token": csrf_token(client, "/portal/details"), "email": "ok@x.cz, broken@", "mobile": "12"},
    ).get_data(as_text=True)
    assert "“broken@” is not a valid e-mail address." in html
    assert 'value="12"' in html
    with app.app_context():
        assert db.session.get(Contact, alice).email == "alice@example.cz"


def test_password_change_needs_the_old_one_and_strength(app, client, alice):
    portal_login(client, "5001")
    url = "/portal/password"

    def change(old, new, repeat=None):
        return client.post(
            url,
            data={
                "csrf_token": csrf_token(client, url),
                "old_password": old,
                "new_password": new,
                "repeat": repeat or new,
            },
        )

    assert "not your current password" in change("nope", "Better-Pass-99").get_data(as_text=True)
    assert "at least 10 characters" in change(PORTAL_PASSWORD, "Ab1").get_data(as_text=True)
    assert "Mix upper and lower case" in change(PORTAL_PASSWORD, "alllowercase1").get_data(as_text=True)
    assert "differ" in change(PORTAL_PASSWORD, "Better-Pass-99", "Other-Pass-99").get_data(as_text=True)
    assert change(PORTAL_PASSWORD, "Better-Pass-99").headers["Location"] == "/portal/"
    client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/")})
    assert portal_login(client, "5001", "Better-Pass-99").headers["Location"] == "/portal/"


def test_sixth_wrong_password_is_refused_with_retry_time(client, alice):
    for _ in range(5):
        assert "Wrong login or password." in portal_login(client, "5001", "bad").get_data(as_text=True)
    response = portal_login(client, "5001", PORTAL_PASSWORD)
    assert response.status_code == 429
    assert re.search(r"Try again in \d+ seconds?\.", response.get_data(as_text=True))


def test_throttle_counts_per_address_across_accounts(client, alice):
    for n in range(20):
        portal_login(client, f"99{n:02d}", "bad")
    assert portal_login(client, "5001").status_code == 429


# --- Info messages ----------------------------------------------------------------------------


def add_message(app, **values) -> None:
    with app.app_context():
        db.session.add(InfoMessage(**values))
        db.session.commit()


def test_current_messages_for_the_audience_only(app, client, make_portal_client):
    with app.app_context():
        vip, other = ClientGroup(name="VIP"), ClientGroup(name="Other")
        late = ClientStatus(name="Late")
        db.session.add_all([vip, other, late])
        db.session.commit()
        vip_id, other_id, late_id = vip.id, other.id, late.id
    make_portal_client(client_number=5001, client_group_id=vip_id)
    today = date.today()
    add_message(app, title="For everyone")
    add_message(app, title="For VIP", audience="group", client_group_id=vip_id)
    add_message(app, title="For Other", audience="group", client_group_id=other_id)
    add_message(app, title="For Late", audience="status", client_status_id=late_id)
    add_message(app, title="Expired", valid_to=today - timedelta(days=1))
    add_message(app, title="Future", valid_from=today + timedelta(days=1))
    add_message(app, title="Hidden", shown=False)
    portal_login(client, "5001")
    html = client.get("/portal/").get_data(as_text=True)
    shown = set(re.findall(r"<h2>(For [A-Za-z]+|Expired|Future|Hidden)</h2>", html))
    assert shown == {"For everyone", "For VIP"}


def test_client_with_messages_off_sees_none(app, client, make_portal_client):
    make_portal_client(client_number=5001, show_info_messages=False)
    add_message(app, title="For everyone")
    portal_login(client, "5001")
    assert "For everyone" not in client.get("/portal/").get_data(as_text=True)


def test_script_in_a_message_is_stripped(app, client, make_portal_client):
    make_portal_client(client_number=5001)
    add_message(
        app,
        title="Outage",
        body='<p onclick="steal()">Work <b>tonight</b></p><script>alert(1)</script><a href="javascript:alert(2)">x</a>',
    )
    portal_login(client, "5001")
    html = client.get("/portal/").get_data(as_text=True)
    assert "<b>tonight</b>" in html
    assert "<script>alert(1)" not in html and "onclick" not in html and "javascript:" not in html


def test_admin_saves_messages_sanitised(app, admin):
    response = admin.post(
        "/admin/info_message/new/",
        data={
            "csrf_token": csrf_token(admin, "/admin/"),
            "title": "Hi",
            "audience": "all",
            "shown": "y",
            "body": '<p>ok</p><img src=x onerror="alert(1)"><script>bad()</script>',
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(InfoMessage.body)).one() == "<p>ok</p>"


def test_message_for_a_group_needs_the_group(app, admin):
    html = admin.post(
        "/admin/info_message/new/",
        data={"csrf_token": csrf_token(admin, "/admin/"), "title": "Hi", "audience": "group"},
    ).get_data(as_text=True)
    assert "Choose the group the message is for." in html
