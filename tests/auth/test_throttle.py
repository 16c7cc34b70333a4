"""The login throttle: wrong passwords slow down the address that typed them, never lock out an
account, are shared by every app instance on the database, and cost as much for unknown logins."""

from __future__ import annotations

import re
import uuid

import pytest
from werkzeug import security

import auth.throttle
import domain.passwords
from models import Contact, User, db
from tests.helpers import PASSWORDS, PORTAL_PASSWORD, csrf_token, make_app


def staff_login(client, username: str, password: str, address: str = "10.0.0.1", **headers):
    return client.post(
        "/login",
        data={"csrf_token": csrf_token(client), "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def portal_login(client, login: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/portal/login",
        data={"csrf_token": csrf_token(client, "/portal/login"), "login": login, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand: `clock.now += 60`."""

    class Clock:
        now = 1_900_000_000.0

    monkeypatch.setattr(auth.throttle, "_now", lambda: Clock.now)
    return Clock


def test_wrong_passwords_from_anywhere_never_lock_out_the_right_one(app, clock):
    attacker = app.test_client()
    for n in range(30):
        staff_login(attacker, "admin", "guess", address=f"192.0.2.{n}")
    assert staff_login(attacker, "admin", "guess", address="192.0.2.1").status_code == 429
    clerk = app.test_client()
    assert staff_login(clerk, "admin", PASSWORDS["admin"], address="10.9.9.9").status_code == 302


def test_an_address_that_keeps_failing_waits_longer_each_time(app, client, clock):
    for _ in range(5):
        assert "Wrong username or password." in staff_login(client, "staff", "wrong").get_data(as_text=True)
    response = staff_login(client, "staff", PASSWORDS["staff"])
    assert response.status_code == 429
    assert "Try again in 30 seconds." in response.get_data(as_text=True)
    clock.now += 31
    assert "Wrong username or password." in staff_login(client, "staff", "wrong").get_data(as_text=True)
    assert "Try again in 60 seconds." in staff_login(client, "staff", "wrong").get_data(as_text=True)
    clock.now += 61
    assert staff_login(client, "staff", PASSWORDS["staff"]).status_code == 302


def test_the_right_password_clears_the_addresss_failures(app, clock):
    client = app.test_client()
    for _ in range(4):
        staff_login(client, "staff", "wrong")
    assert staff_login(client, "staff", PASSWORDS["staff"]).status_code == 302
    other = app.test_client()
    for _ in range(4):
        assert staff_login(other, "staff", "wrong").status_code == 200


def test_many_addresses_against_one_account_slow_down_those_addresses_only(app, clock):
    attacker = app.test_client()
    for n in range(12):
        staff_login(attacker, "admin", "guess", address=f"198.51.100.{n}")
    response = staff_login(attacker, "admin", "guess", address="198.51.100.3")
    assert response.status_code == 429
    assert re.search(r"Try again in \d+ seconds?\.", response.get_data(as_text=True))
    clock.now += 61
    assert staff_login(attacker, "admin", "guess", address="198.51.100.3").status_code == 200
    assert staff_login(app.test_client(), "admin", PASSWORDS["admin"], address="10.1.1.1").status_code == 302


def test_one_address_against_many_accounts_waits(app, client, clock):
    for n in range(20):
        staff_login(client, f"user{n}", "guess")
    assert staff_login(client, "staff", PASSWORDS["staff"]).status_code == 429
    assert staff_login(client, "staff", PASSWORDS["staff"], address="10.0.0.2").status_code == 302


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(database, tmp_path, clock):
    for proxies, expected in ((0, 429), (1, 302)):
        app = make_app(database.fresh_url(), INSTANCE_PATH=str(tmp_path / str(proxies)), TRUSTED_PROXIES=proxies)
        with app.app_context():
            user = User(username="staff", role="staff")
            domain.passwords.set_user_password(user, PASSWORDS["staff"])
            db.session.add(user)
            db.session.commit()
        client = app.test_client()
        for n in range(5):
            staff_login(client, "staff", "wrong", address="10.0.0.1", **{"X-Forwarded-For": f"203.0.113.{n}"})
        response = staff_login(client, "staff", PASSWORDS["staff"], **{"X-Forwarded-For": "203.0.113.99"})
        assert response.status_code == expected, proxies
        database.reset()


def test_an_https_request_through_the_trusted_proxy_gets_a_secure_cookie(database, tmp_path):
    app = make_app(database.fresh_url(), INSTANCE_PATH=str(tmp_path / "i"), TRUSTED_PROXIES=1)
    client = app.test_client()
    assert "Secure" in client.get("/login", headers={"X-Forwarded-Proto": "https"}).headers["Set-Cookie"]
    assert "Secure" not in client.get("/login").headers["Set-Cookie"]
    plain = make_app(database.fresh_url(), INSTANCE_PATH=str(tmp_path / "j"))
    assert (
        "Secure" not in plain.test_client().get("/login", headers={"X-Forwarded-Proto": "https"}).headers["Set-Cookie"]
    )


def test_two_app_instances_on_one_database_share_the_counters(app, clock, tmp_path):
    """Two workers, or the app before and after a restart: the counts go on in the database."""
    second = make_app(app.config["SQLALCHEMY_DATABASE_URI"], INSTANCE_PATH=str(tmp_path / "second"))
    first_client, second_client = app.test_client(), second.test_client()
    for n in range(5):
        staff_login(first_client if n % 2 else second_client, "staff", "wrong")
    assert staff_login(first_client, "staff", PASSWORDS["staff"]).status_code == 429
    assert staff_login(second_client, "staff", PASSWORDS["staff"]).status_code == 429


def test_throttle_counts_in_redis_when_configured(database, tmp_path, clock):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"ispdesk-test-{uuid.uuid4().hex}:"
    apps = [
        make_app(
            database.fresh_url(),
            THROTTLE_REDIS_URL="redis://127.0.0.1:6379",
            THROTTLE_KEY_PREFIX=prefix,
            INSTANCE_PATH=str(tmp_path / name),
        )
        for name in "ab"
    ]
    try:
        for n in range(5):
            with apps[n % 2].app_context():
                auth.throttle.record_failure("portal", "5001", "10.1.2.3")
        with apps[0].app_context():
            assert isinstance(auth.throttle._counters(), auth.throttle.RedisOrDatabase)
            assert auth.throttle.retry_after("portal", "5001", "10.1.2.3") == 30
            assert auth.throttle.retry_after("portal", "5001", "10.9.9.9") == 0
            assert db.session.query(auth.throttle.LoginFailure).count() == 0
    finally:
        connection = redis.Redis(host="127.0.0.1", port=6379)
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)
        database.reset()


def test_a_redis_that_is_down_leaves_the_counting_to_the_database(database, tmp_path, clock):
    app = make_app(database.fresh_url(), THROTTLE_REDIS_URL="redis://127.0.0.1:1", INSTANCE_PATH=str(tmp_path))
    try:
        client = app.test_client()
        for _ in range(5):
            response = staff_login(client, "staff", "wrong")
            assert response.status_code == 200 and "Wrong username or password." in response.get_data(as_text=True)
        assert staff_login(client, "staff", "wrong").status_code == 429
        with app.app_context():
            assert db.session.query(auth.throttle.LoginFailure).count() == 3  # pair, address, account
    finally:
        database.reset()


# --- An unknown login costs what a known one does ---------------------------------------------------


@pytest.fixture
def hash_checks(monkeypatch):
    """The number of password-hash verifications made, as a list of one counter."""
    checks = [0]
    real = security.check_password_hash

    def counting(password_hash, password):
        checks[0] += 1
        return real(password_hash, password)

    monkeypatch.setattr(domain.passwords, "check_password_hash", counting)
    return checks


def test_unknown_and_known_staff_logins_cost_one_hash_check_each(app, client, hash_checks, clock):
    with app.app_context():
        db.session.query(User).filter_by(username="admin").one().active = False
        db.session.commit()
    counts = []
    for username in ("staff", "nobody", "admin"):  # known, unknown, inactive
        hash_checks[0] = 0
        staff_login(client, username, "wrong", address=f"10.0.1.{len(counts)}")
        counts.append(hash_checks[0])
    assert counts == [1, 1, 1]


def test_unknown_and_known_portal_logins_cost_one_hash_check_each(app, client, make_portal_client, hash_checks, clock):
    make_portal_client(client_number=5001)
    disabled = make_portal_client(client_number=5002)
    without_password = make_portal_client(client_number=5003)
    with app.app_context():
        db.session.get(Contact, disabled).portal_enabled = False
        db.session.get(Contact, without_password).portal_password_hash = None
        db.session.commit()
    counts = []
    for login in ("5001", "9999", "5002", "5003", "carol"):
        hash_checks[0] = 0
        portal_login(client, login, "wrong", address=f"10.0.2.{len(counts)}")
        counts.append(hash_checks[0])
    assert counts == [1] * 5
    hash_checks[0] = 0
    assert portal_login(client, "5001", PORTAL_PASSWORD, address="10.0.2.99").status_code == 302
    assert hash_checks[0] == 1


@pytest.mark.parametrize("login,password", [("50\x0001", "x"), ("5001", "a\x00b"), ("\x00", "\x00")])
def test_a_nul_in_the_portal_login_is_a_wrong_login_not_an_error(client, make_portal_client, login, password):
    make_portal_client(client_number=5001)
    assert portal_login(client, login, password).status_code in (200, 400)
    assert client.get("/portal/").status_code == 302


@pytest.mark.parametrize("target", ["/portal/details\r\nSet-Cookie: x=1", "https://evil.example/", "/admin/"])
def test_the_portal_login_returns_only_to_portal_pages(client, make_portal_client, target):
    make_portal_client(client_number=5001)
    response = client.post(
        "/portal/login",
        query_string={"next": target},
        data={"csrf_token": csrf_token(client, "/portal/login"), "login": "5001", "password": PORTAL_PASSWORD},
    )
    assert response.headers["Location"] == "/portal/"
