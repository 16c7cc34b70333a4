"""Staff login and logout."""

import pytest

from models import User, db
from tests.helpers import PASSWORDS, csrf_token


def test_login_with_right_password_opens_the_panel(client):
    response = client.post(
        "/login", data={"csrf_token": csrf_token(client), "username": "staff", "password": PASSWORDS["staff"]}
    )
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("username,password", [("staff", "wrong"), ("nobody", "whatever")])
def test_wrong_login_is_refused_with_the_same_message_and_keeps_the_name(client, username, password):
    response = client.post(
        "/login", data={"csrf_token": csrf_token(client), "username": username, "password": password}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wrong username or password." in html
    assert f'value="{username}"' in html
    assert client.get("/admin/").status_code == 302


def test_inactive_user_cannot_log_in(app, client):
    with app.app_context():
        db.session.query(User).filter_by(username="staff").one().active = False
        db.session.commit()
    response = client.post(
        "/login", data={"csrf_token": csrf_token(client), "username": "staff", "password": PASSWORDS["staff"]}
    )
    assert "Wrong username or password." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/admin/contact/?page=2", "/admin/contact/?page=2"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("/\\evil.example/", "/admin/"),
        ("/admin/\r\nSet-Cookie: x=1", "/admin/"),
    ],
)
def test_next_redirects_only_to_local_urls(client, target, expected):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": csrf_token(client), "username": "staff", "password": PASSWORDS["staff"]},
    )
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("username,password", [("sta\x00ff", "x"), ("staff", "wro\x00ng"), ("\x00", "\x00")])
def test_a_nul_in_the_login_form_is_a_wrong_login_not_an_error(client, username, password):
    response = client.post(
        "/login", data={"csrf_token": csrf_token(client), "username": username, "password": password}
    )
    assert response.status_code in (200, 400)
    assert client.get("/admin/").status_code == 302


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/admin/contact/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/contact/"


def test_logout_is_a_post_that_ends_the_session(staff):
    assert staff.get("/logout").status_code == 405
    response = staff.post("/logout", data={"csrf_token": csrf_token(staff, "/admin/")})
    assert response.headers["Location"] == "/login"
    assert staff.get("/admin/").status_code == 302


def test_passwords_are_stored_hashed(app):
    with app.app_context():
        user = db.session.query(User).filter_by(username="staff").one()
        assert PASSWORDS["staff"] not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client):
    response = client.get("/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
