"""Shared fixtures: a fresh app and database per test, on SQLite and (when asked) PostgreSQL."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from PIL import Image

from app import create_app
from domain.settings import ensure_reference_data
from models import Contact, InvoiceGroup, PaymentType, User, db
from domain.passwords import set_user_password
from storage import install_database_objects

PASSWORDS = {"admin": "admin-password-1", "staff": "staff-password-1"}
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


class SQLiteDatabase:
    """A schema built once per session; each test gets its own copy of the file."""

    def __init__(self, directory):
        self.directory = directory
        self.template = directory / "template.sqlite"
        engine = sa.create_engine(f"sqlite:///{self.template}")
        db.metadata.create_all(engine)
        with engine.begin() as connection:
            install_database_objects(connection)
        engine.dispose()

    def fresh_url(self) -> str:
        path = self.directory / f"test-{uuid.uuid4().hex}.sqlite"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def reset(self) -> None:
        pass

    def drop(self) -> None:
        pass


class PostgresDatabase:
    """A database of our own on the server named by TEST_DATABASE_URL, emptied after each test."""

    def __init__(self, server_url: str):
        self.server = sa.make_url(server_url)
        self.name = f"ispdesk_test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.url = self.server.set(database=self.name).render_as_string(hide_password=False)
        self.engine = sa.create_engine(self.url)
        db.metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            install_database_objects(connection)

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(self.server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
        engine.dispose()

    def fresh_url(self) -> str:
        return self.url

    def reset(self) -> None:
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))

    def drop(self) -> None:
        self.engine.dispose()
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, tmp_path_factory):
    """The backend under test: every test runs once per backend."""
    if request.param == "sqlite":
        backend = SQLiteDatabase(tmp_path_factory.mktemp("sqlite"))
    else:
        backend = PostgresDatabase(os.environ["TEST_DATABASE_URL"])
    yield backend
    backend.drop()


# Every app a test makes, so its connection pool is closed after the test (see dispose_engines).
_made_apps = []


@pytest.fixture(autouse=True)
def dispose_engines():
    """Close the connection pools of the apps the test made (the views query at start-up)."""
    yield
    while _made_apps:
        made = _made_apps.pop()
        with made.app_context():
            db.session.remove()
            db.engine.dispose()


def make_app(database_url: str, **config):
    """An app configured for tests: CSRF on, view exceptions raised.

    Jinja's StrictUndefined is not used: Flask-Admin 2.2.1's own `lib.html` reads
    `field.widget.input_type`, which Select2 widgets lack, whenever a select shows an error.
    """
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION": True,
        # scrypt costs ~0.1 s per hash; tests hash and check passwords hundreds of times.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **config,
    })
    _made_apps.append(app)
    return app


@pytest.fixture
def app(database, tmp_path):
    """A fresh app, instance folder and database with reference data, an administrator and a staff user."""
    app = make_app(database.fresh_url(), INSTANCE_PATH=str(tmp_path / "instance"))
    with app.app_context():
        ensure_reference_data()
        for role, password in PASSWORDS.items():
            user = User(username=role, full_name=f"Test {role}", role=role)
            set_user_password(user, password)
            db.session.add(user)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    database.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def png_bytes(size: tuple[int, int] = (20, 10), image_format: str = "PNG") -> bytes:
    """A small real image file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token of the client's session, read from a rendered form."""
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def log_in(client, role: str):
    """Log in through the real login form as the test user of that role."""
    response = client.post("/login", data={
        "csrf_token": csrf_token(client), "username": role, "password": PASSWORDS[role],
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def login(client):
    """`login("admin")` or `login("staff")` logs the test client in."""
    return lambda role: log_in(client, role)


def export_csv(client, **params) -> list[list[str]]:
    """The contacts list's CSV export (header first) for these list arguments."""
    response = client.get("/admin/contact/export/csv/", query_string=params)
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    response.close()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def make_invoice_group(app):
    counter = iter(range(1, 10_000))

    def make(**overrides) -> InvoiceGroup:
        n = next(counter)
        values = {"name": f"Group {n}", "company_name": f"Provider {n} s.r.o.", "series_prefix": "FA"}
        values.update(overrides)
        with app.app_context():
            group = InvoiceGroup(**values)
            db.session.add(group)
            db.session.commit()
            return db.session.get(InvoiceGroup, group.id)

    return make


@pytest.fixture
def make_contact(app, make_invoice_group):
    """Create a contact with the required fields; keyword arguments override them."""
    counter = iter(range(1, 100_000))

    def make(**overrides) -> int:
        n = next(counter)
        with app.app_context():
            values = {
                "client_number": 1000 + n, "name": f"Novák Jan {n}", "street": "Hlavní 1",
                "postcode": "110 00", "city": "Praha",
                "payment_type_id": db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default)),
                "opening_balance": Decimal("0"),
            }
            values.update(overrides)
            if "invoice_group_id" not in values:
                values["invoice_group_id"] = make_invoice_group().id
            contact = Contact(**values)
            db.session.add(contact)
            db.session.commit()
            return contact.id

    return make


# --- Browser tests ---

import threading  # noqa: E402

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium for the whole session, driven by Playwright."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(request, database):
    """The test app served over HTTP on a free local port; yields its base URL."""
    # The browser drives the UI, which does not depend on the backend: once on SQLite is enough.
    if not isinstance(database, SQLiteDatabase):
        pytest.skip("browser tests run on SQLite only")
    app = request.getfixturevalue("app")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll interval lets shutdown() return at once instead of after half a second.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def browser_page(chromium):
    """A fresh browser context (no cookies) and page, closed after the test."""
    # English labels whatever the machine's locale; short timeouts so a broken page fails fast.
    context = chromium.new_context(locale="en-US")
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_login():
    """`browser_login(page, base_url, role)` logs in through the real login form."""

    def log_in_browser(page, base_url: str, role: str) -> None:
        # After a redirect to the login page the form is already open, with its `next` parameter.
        if not page.url.startswith(f"{base_url}/login"):
            page.goto(f"{base_url}/login")
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", PASSWORDS[role])
        page.click("button[type=submit]")
        expect(page).not_to_have_url(re.compile(r"/login"))

    return log_in_browser
