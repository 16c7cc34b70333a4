"""The application factory: configuration, secrets, error pages."""

import os
import re
import stat

import pytest
import sqlalchemy as sa

import app as app_module
from models import City, ClientGroup, Street, db
from tests.helpers import csrf_token


def test_secret_key_is_generated_once_with_mode_600(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = app_module.load_secret_key(str(tmp_path))
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) >= 64
    assert app_module.load_secret_key(str(tmp_path)) == first


def test_secret_key_from_environment_wins(monkeypatch, database):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    flask_app = app_module.create_app({"SQLALCHEMY_DATABASE_URI": database.fresh_url()})
    assert flask_app.config["SECRET_KEY"] == "from-the-environment"
    with flask_app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "given,expected",
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_database_url_from_environment(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert app_module.database_url("/instance") == expected


def test_default_database_is_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert app_module.database_url("/srv/instance") == "sqlite:////srv/instance/ispdesk.sqlite"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/contact/edit/?id=987654",
        "/admin/contact/details/?id=987654",
        "/admin/contact/edit/?id=abc",
        "/admin/client_group/edit/?id=1%27%20OR%201=1",
        "/admin/user/details/?id=-1",
        "/admin/no-such-page/",
    ],
)
def test_missing_or_malformed_id_is_404(admin, url):
    response = admin.get(url)
    assert response.status_code == 404
    assert "There is nothing here" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url,refused",
    [
        ("/admin/contact/?page=-1", None),
        ("/admin/contact/?page=99999999999999999999", None),
        ("/admin/contact/export/csv/?page=99999999999999999999", None),
        ("/admin/contact/?flt1_group_equals=1099511627776", "1099511627776"),
        ("/admin/contact/?flt1_group_equals=99999999999999999999", "99999999999999999999"),
        ("/admin/street/?flt0_0=-1099511627776", "-1099511627776"),
    ],
)
def test_a_tampered_list_url_is_a_list_not_an_error(admin, url, refused):
    """Page numbers past any list and numbers no column can hold are refused, never a 500."""
    response = admin.get(url, follow_redirects=True)
    assert response.status_code == 200
    if refused:
        assert f"Invalid Filter Value: {refused}" in response.get_data(as_text=True)


def test_delete_of_missing_id_is_404(admin):
    response = admin.post(
        "/admin/client_group/delete/", data={"csrf_token": csrf_token(admin, "/admin/"), "id": "987654"}
    )
    assert response.status_code == 404


def test_duplicate_name_is_a_field_error_with_typed_data_kept(app, admin):
    with app.app_context():
        db.session.add(ClientGroup(name="VIP"))
        db.session.commit()
    response = admin.post(
        "/admin/client_group/new/",
        data={
            "csrf_token": csrf_token(admin, "/admin/client_group/new/"),
            "name": "VIP",
            "description": "Very important <b>people</b>",
            "position": "3",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Already exists." in html
    assert "Very important &lt;b&gt;people&lt;/b&gt;" in html
    assert 'value="3"' in html
    with app.app_context():
        assert db.session.query(ClientGroup).count() == 1


def test_duplicate_over_two_columns_is_a_field_error(app, admin):
    with app.app_context():
        city = City(name="Praha")
        db.session.add(Street(city=city, name="Hlavní"))
        db.session.commit()
        city_id = city.id
    response = admin.post(
        "/admin/street/new/",
        data={"csrf_token": csrf_token(admin, "/admin/street/new/"), "city": str(city_id), "name": "Hlavní"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A record with this value already exists here." in html
    assert 'value="Hlavní"' in html
    with app.app_context():
        assert db.session.query(Street).count() == 1


def test_deleting_a_row_still_referenced_is_refused_with_a_message(app, admin):
    with app.app_context():
        city = City(name="Brno")
        db.session.add(Street(city=city, name="Masarykova"))
        db.session.commit()
        city_id = city.id
    response = admin.post(
        "/admin/city/delete/", data={"csrf_token": csrf_token(admin, "/admin/"), "id": city_id}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "still used elsewhere" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(City, city_id) is not None


# --- A request that only read ends with COMMIT (PostgreSQL keeps its prepared statements) ---


@pytest.mark.own_app  # it adds a route
def test_a_request_that_left_writes_uncommitted_never_has_them_committed(app, client):
    """Whatever a view wrote and did not commit is rolled back, as before: by statement, by flush or pending."""
    with app.app_context():
        db.session.add(ClientGroup(name="Before"))
        db.session.commit()

    @app.get("/test-uncommitted/<how>")
    def write_without_commit(how):
        if how == "statement":
            db.session.execute(sa.update(ClientGroup).values(name="By statement"))
        elif how == "flush":
            db.session.scalars(sa.select(ClientGroup)).one().name = "By flush"
            db.session.flush()
        else:
            db.session.scalars(sa.select(ClientGroup)).one().name = "Pending"
        return "done"

    for how in ("statement", "flush", "pending"):
        assert client.get(f"/test-uncommitted/{how}").status_code == 200
        with app.app_context():
            assert db.session.scalars(sa.select(ClientGroup.name)).all() == ["Before"], how


def test_a_request_that_only_read_ends_with_commit_on_postgresql(app, staff):
    ends = []
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        for event in ("commit", "rollback"):
            sa.event.listen(db.engine, event, lambda conn, event=event: ends.append(event))
    ends.clear()
    assert staff.get("/admin/contact/").status_code == 200
    assert ends == (["commit"] if postgresql else ["rollback"])


# --- Security headers on every response ------------------------------------------------------------


@pytest.mark.parametrize(
    "url,page",
    [
        ("/login", True),
        ("/admin/contact/", True),
        ("/admin/contact/export/csv/", True),
        ("/admin/no-such-page/", True),
        ("/portal/login", True),
        ("/", True),
        ("/static/admin/ispdesk.css", False),
        ("/admin/static/bootstrap/bootstrap4/js/bootstrap.min.js", False),
    ],
)
def test_every_response_carries_the_security_headers(staff, url, page):
    response = staff.get(url)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "http" not in policy and "*" not in policy  # no third-party origin
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    # Pages hold personal data: never kept by the browser or a proxy; static files may be.
    assert ("no-store" in response.headers.get("Cache-Control", "")) == page
    response.close()


def test_inline_scripts_carry_this_responses_nonce(staff):
    nonces = set()
    for _ in range(2):
        response = staff.get("/admin/contact/new/")
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        html = response.get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handler anywhere
        assert "javascript:" not in html
        nonces.add(nonce)
    assert len(nonces) == 2
