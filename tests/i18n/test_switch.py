"""The language switch: remembered per staff user, per browser elsewhere, and only with the security token."""

from __future__ import annotations

from models import User, db
from tests.helpers import PORTAL_PASSWORD, csrf_token, log_in

ENGLISH_BROWSER = {"Accept-Language": "en"}
CZECH_BROWSER = {"Accept-Language": "cs"}


def switch(client, language: str, page: str = "/admin/", action: str = "/language"):
    return client.post(
        action,
        query_string={"next": page},
        data={"csrf_token": csrf_token(client, page), "language": language},
        headers=ENGLISH_BROWSER,
    )


def portal_login_as(client, login: str) -> None:
    data = {"csrf_token": csrf_token(client, "/portal/login"), "login": login, "password": PORTAL_PASSWORD}
    assert client.post("/portal/login", data=data).status_code == 302


def user_language(app, username: str) -> str | None:
    with app.app_context():
        return db.session.query(User.language).filter_by(username=username).scalar()


def test_the_panel_shows_the_switch(staff):
    html = staff.get("/admin/", headers=CZECH_BROWSER).get_data(as_text=True)
    assert 'action="/language?next=/admin/"' in html and ">Čeština</button>" in html and ">English</button>" in html


def test_a_staff_users_choice_follows_the_user_to_another_computer(app, staff):
    response = switch(staff, "cs")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert "Odhlásit se" in staff.get("/admin/", headers=ENGLISH_BROWSER).get_data(as_text=True)

    second_computer = app.test_client()
    log_in(second_computer, "staff")
    html = second_computer.get("/admin/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert "Odhlásit se" in html and "Log out" not in html
    assert user_language(app, "staff") == "cs"
    # The other staff user still follows the browser.
    assert user_language(app, "admin") is None


def test_the_switch_needs_the_security_token(app, staff):
    response = staff.post("/language?next=/admin/", data={"language": "cs"}, headers=ENGLISH_BROWSER)
    assert response.status_code == 400
    assert user_language(app, "staff") is None
    assert "Log out" in staff.get("/admin/", headers=ENGLISH_BROWSER).get_data(as_text=True)


def test_an_unknown_language_is_refused(app, staff):
    assert switch(staff, "de").status_code == 400
    assert user_language(app, "staff") is None


def test_the_switch_returns_only_to_this_site(staff):
    response = staff.post(
        "/language?next=https://evil.example/", data={"csrf_token": csrf_token(staff, "/admin/"), "language": "cs"}
    )
    assert response.headers["Location"] == "/admin/"


def test_the_login_page_remembers_the_choice_in_the_browser(client):
    response = client.post("/language?next=/login", data={"csrf_token": csrf_token(client, "/login"), "language": "en"})
    assert response.headers["Location"] == "/login"
    html = client.get("/login", headers=CZECH_BROWSER).get_data(as_text=True)
    assert '<html lang="en">' in html and ">Log in</button>" in html


def test_a_portal_clients_choice_leaves_the_clerks_panel_alone(app, make_portal_client):
    """A client choosing Czech in the portal in the clerk's browser: the portal turns Czech, the
    clerk's panel (the same browser, logged in) stays as the clerk had it."""
    make_portal_client(client_number=5001)
    browser = app.test_client()
    log_in(browser, "staff")
    portal_login_as(browser, "5001")
    response = switch(browser, "cs", page="/portal/", action="/portal/language")
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"
    assert "Přehled" in browser.get("/portal/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    panel = browser.get("/admin/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert "Log out" in panel and "Odhlásit se" not in panel
    assert user_language(app, "staff") is None


def test_the_portal_switch_needs_the_portals_security_token(app, make_portal_client):
    make_portal_client(client_number=5001)
    browser = app.test_client()
    portal_login_as(browser, "5001")
    token = csrf_token(browser, "/portal/")
    assert browser.post("/portal/language", data={"language": "cs"}).status_code == 400
    # The panel's form posts to /language with the panel session's token; the portal's one is not it.
    assert browser.post("/language", data={"csrf_token": token, "language": "cs"}).status_code == 400
    assert "Overview" in browser.get("/portal/", headers=ENGLISH_BROWSER).get_data(as_text=True)
