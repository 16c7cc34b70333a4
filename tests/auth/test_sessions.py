"""Login sessions held on the server: logout, password changes and timeouts end them, whatever a
copied cookie says; the panel and the portal keep separate cookies."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from models import Contact, LoginSession, Setting, User, db, utcnow
from tests.helpers import PASSWORDS, PORTAL_PASSWORD, csrf_token, log_in

PORTAL_COOKIE = "ispdesk_portal"


def copy_cookie(source, target, name: str = "session", path: str = "/") -> None:
    """Give `target` the cookie `name` of `source`, as someone who copied it would."""
    target.set_cookie(name, source.get_cookie(name, path=path).value, path=path)


def portal_login(client, login: str, password: str = PORTAL_PASSWORD):
    return client.post(
        "/portal/login", data={"csrf_token": csrf_token(client, "/portal/login"), "login": login, "password": password}
    )


def staff_logout(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")})


def portal_logout(client):
    return client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/")})


def move_sessions(app, **ago) -> None:
    """Move every session's creation and last request back in time (created=…, seen=… as timedelta)."""
    with app.app_context():
        for row in db.session.scalars(sa.select(LoginSession)):
            row.created_at = utcnow() - ago.get("created", timedelta(0))
            row.last_seen_at = utcnow() - ago.get("seen", timedelta(0))
        db.session.commit()


@pytest.fixture
def client_5001(make_portal_client):
    return make_portal_client(client_number=5001, name="Alice Nováková")


# --- Logout and password changes end sessions on the server ---------------------------------------


def test_a_copied_staff_cookie_is_refused_after_logout(app, staff):
    thief = app.test_client()
    copy_cookie(staff, thief)
    assert thief.get("/admin/contact/").status_code == 200
    staff_logout(staff)
    response = thief.get("/admin/contact/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert "You have been logged out" in thief.get(response.headers["Location"]).get_data(as_text=True)


def test_a_copied_portal_cookie_is_refused_after_logout(app, client, client_5001):
    portal_login(client, "5001")
    thief = app.test_client()
    copy_cookie(client, thief, PORTAL_COOKIE, "/portal")
    assert thief.get("/portal/").status_code == 200
    portal_logout(client)
    assert thief.get("/portal/").headers["Location"].startswith("/portal/login")


def test_own_password_change_ends_the_other_sessions_only(app, admin):
    elsewhere = app.test_client()
    log_in(elsewhere, "admin")
    with app.app_context():
        admin_id = db.session.scalar(sa.select(User.id).where(User.username == "admin"))
    form = {"username": "admin", "full_name": "Test admin", "role": "admin", "active": "y"}
    response = admin.post(
        f"/admin/user/edit/?id={admin_id}",
        data={"csrf_token": csrf_token(admin, "/admin/"), **form, "new_password": "a-new-password-2"},
    )
    assert response.status_code == 302
    assert admin.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302


def test_a_password_reset_by_an_administrator_ends_the_users_sessions(app, admin, staff):
    with app.app_context():
        staff_id = db.session.scalar(sa.select(User.id).where(User.username == "staff"))
    form = {"username": "staff", "full_name": "Test staff", "role": "staff", "active": "y"}
    admin.post(
        f"/admin/user/edit/?id={staff_id}",
        data={"csrf_token": csrf_token(admin, "/admin/"), **form, "new_password": "a-new-password-2"},
    )
    assert staff.get("/admin/").status_code == 302
    assert admin.get("/admin/").status_code == 200


def test_portal_password_change_ends_the_clients_other_sessions(app, client, client_5001):
    elsewhere = app.test_client()
    portal_login(elsewhere, "5001")
    portal_login(client, "5001")
    response = client.post(
        "/portal/password",
        data={
            "csrf_token": csrf_token(client, "/portal/password"),
            "old_password": PORTAL_PASSWORD,
            "new_password": "Better-Pass-99",
            "repeat": "Better-Pass-99",
        },
    )
    assert response.headers["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200
    assert elsewhere.get("/portal/").status_code == 302


def test_a_new_portal_password_from_staff_ends_the_clients_sessions(app, client, post_contact, form_data):
    post_contact(form_data(client_number="7001"))
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id).where(Contact.client_number == 7001))
    portal = app.test_client()
    html = post_contact(form_data(client_number="7001", generate_password="y"), id=contact_id, follow=True)
    first = re.search(r'id="new-portal-password">([^<]+)</code>', html.get_data(as_text=True)).group(1)
    portal_login(portal, "7001", first)
    assert portal.get("/portal/").status_code == 200
    post_contact(form_data(client_number="7001", generate_password="y"), id=contact_id)
    assert portal.get("/portal/").status_code == 302
    assert client.get("/admin/").status_code == 200  # the clerk's own session is another matter


# --- Timeouts --------------------------------------------------------------------------------------


def test_an_idle_session_ends_and_the_login_returns_to_the_page(app, staff):
    move_sessions(app, seen=timedelta(minutes=31))
    response = staff.get("/admin/contact/?page=2")
    assert response.headers["Location"] == "/login?next=/admin/contact/?page%3D2"
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session ended after 30 minutes without activity" in page
    login = staff.post(
        response.headers["Location"],
        data={"csrf_token": csrf_token(staff), "username": "staff", "password": PASSWORDS["staff"]},
    )
    assert login.headers["Location"] == "/admin/contact/?page=2"


def test_a_session_still_in_use_ends_after_its_lifetime(app, staff):
    move_sessions(app, created=timedelta(hours=11, minutes=58), seen=timedelta(minutes=29))
    assert staff.get("/admin/").status_code == 200
    move_sessions(app, created=timedelta(hours=12, minutes=1))
    response = staff.get("/admin/", follow_redirects=True)
    assert "longest allowed time (12 hours)" in response.get_data(as_text=True)


def test_idle_portal_session_ends_too(app, client, client_5001):
    portal_login(client, "5001")
    move_sessions(app, seen=timedelta(minutes=31))
    response = client.get("/portal/details", follow_redirects=True)
    assert "without activity" in response.get_data(as_text=True)
    assert portal_login(client, "5001").status_code == 302


def setting_form(**changes) -> dict:
    form = {
        "client_number_mode": "manual",
        "default_country": "CZ",
        "default_due_days": "14",
        "min_search_length": "2",
        "session_idle_minutes": "30",
        "session_lifetime_hours": "12",
        "time_zone": "Europe/Prague",
    }
    return {**form, **changes}


@pytest.mark.parametrize(
    "field,value",
    [("session_idle_minutes", "4"), ("session_idle_minutes", "99999999999"), ("session_lifetime_hours", "0")],
)
def test_timeouts_are_settings_within_bounds(app, admin, field, value):
    response = admin.post(
        "/admin/setting/edit/?id=1", data={"csrf_token": csrf_token(admin, "/admin/"), **setting_form(**{field: value})}
    )
    assert response.status_code == 200
    assert re.search("Number must be between|Enter a whole number from", response.get_data(as_text=True))


def test_a_shorter_idle_timeout_applies_at_once(app, admin, staff):
    response = admin.post(
        "/admin/setting/edit/?id=1",
        data={"csrf_token": csrf_token(admin, "/admin/"), **setting_form(session_idle_minutes="10")},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Setting, 1).session_idle_minutes == 10
    move_sessions(app, seen=timedelta(minutes=11))
    assert "10 minutes without activity" in staff.get("/admin/", follow_redirects=True).get_data(as_text=True)


@contextmanager
def session_writes(app):
    """The statements that write to login_session while the block runs."""
    with app.app_context():
        engine = db.engine
    writes = []

    def record(conn, cursor, statement, *args):
        if "login_session" in statement and not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield writes
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_last_seen_is_written_at_most_once_a_minute(app, staff):
    with session_writes(app) as writes:
        for _ in range(5):
            assert staff.get("/admin/contact/").status_code == 200
    assert writes == []
    move_sessions(app, seen=timedelta(minutes=2))
    with session_writes(app) as writes:
        for _ in range(3):
            assert staff.get("/admin/contact/").status_code == 200
    assert len(writes) == 1


# --- The panel and the portal have cookies of their own ---------------------------------------------


def test_portal_login_and_logout_leave_the_panel_session_alone(app, staff, client_5001):
    assert portal_login(staff, "5001").headers["Location"] == "/portal/"
    assert staff.get("/admin/").status_code == 200
    assert staff.get("/portal/").status_code == 200
    portal_logout(staff)
    assert staff.get("/admin/").status_code == 200
    assert staff.get("/portal/").status_code == 302


def test_staff_logout_leaves_the_portal_session_alone(app, staff, client_5001):
    portal_login(staff, "5001")
    staff_logout(staff)
    assert staff.get("/admin/").status_code == 302
    assert staff.get("/portal/").status_code == 200
    assert staff.get_cookie(PORTAL_COOKIE, path="/portal") is not None


def test_a_deactivated_users_sessions_end_for_good(app, admin, staff):
    with app.app_context():
        staff_id = db.session.scalar(sa.select(User.id).where(User.username == "staff"))
    form = {"username": "staff", "full_name": "Test staff", "role": "staff"}
    token = csrf_token(admin, "/admin/")
    admin.post(f"/admin/user/edit/?id={staff_id}", data={"csrf_token": token, **form})
    admin.post(f"/admin/user/edit/?id={staff_id}", data={"csrf_token": token, **form, "active": "y"})
    assert staff.get("/admin/").status_code == 302


def test_logging_in_again_ends_the_session_it_replaces(app, client, client_5001):
    portal_login(client, "5001")
    copy = app.test_client()
    copy_cookie(client, copy, PORTAL_COOKIE, "/portal")
    portal_login(client, "5001")
    assert client.get("/portal/").status_code == 200
    assert copy.get("/portal/").status_code == 302


def test_typing_keeps_the_session_alive(app, staff, client):
    assert 'data-url="/alive"' in staff.get("/admin/contact/new/").get_data(as_text=True)
    move_sessions(app, seen=timedelta(minutes=29))
    assert staff.get("/alive").status_code == 204
    move_sessions(app, created=timedelta(minutes=40), seen=timedelta(minutes=20))  # keeps "seen" moved
    with app.app_context():
        seen = db.session.scalar(sa.select(LoginSession.last_seen_at))
    assert staff.get("/alive").status_code == 204
    with app.app_context():
        assert db.session.scalar(sa.select(LoginSession.last_seen_at)) > seen
    assert client.get("/alive").status_code == 401
