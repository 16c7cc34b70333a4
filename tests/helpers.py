"""Plain helpers the tests share: test databases, apps, logging in, reading forms and pages.

Tests import them with `from tests.helpers import ...`; the fixtures are in conftest.py, which is
never imported. No test module imports another test module.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
import uuid
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa
from PIL import Image
from werkzeug.routing import Rule

from app import create_app
from domain.passwords import set_user_password
from domain.settings import ensure_reference_data
from models import ChangeLog, User, db
from storage import install_database_objects
from storage.jobs import jobs_queue

# The test users the `app` fixture creates, by role (the username is the role).
PASSWORDS = {"admin": "admin-password-1", "staff": "staff-password-1"}
# The portal password of the contacts `make_portal_client` creates.
PORTAL_PASSWORD = "Portal-Pass-42"


# --- Test databases ------------------------------------------------------------------------------


class SQLiteDatabase:
    """A schema built once per session; each `fresh_url` is a copy of that file of its own.

    The worker's shared app (the `app` fixture) keeps one database file, `app_file`: `prepare` stores
    it once seeded (reference data, the test users) and `restore` copies that back before each test.
    """

    def __init__(self, directory):
        self.directory = directory
        self.template = directory / "template.sqlite"
        self.app_file = directory / "app.sqlite"
        self.prepared = directory / "prepared.sqlite"
        engine = sa.create_engine(f"sqlite:///{self.template}")
        db.metadata.create_all(engine)
        with engine.begin() as connection:
            install_database_objects(connection)
        engine.dispose()

    def fresh_url(self) -> str:
        path = self.directory / f"test-{uuid.uuid4().hex}.sqlite"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def app_url(self) -> str:
        """The shared app's database: the empty schema, as a new app's database is."""
        shutil.copyfile(self.template, self.app_file)
        return f"sqlite:///{self.app_file}"

    def prepare(self, app) -> None:
        seed_test_data(app)
        _dispose(app)
        shutil.copyfile(self.app_file, self.prepared)

    def restore(self, app) -> None:
        """The shared app's database as `prepare` left it: a new file (a new inode, mode and journal)."""
        _dispose(app)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.app_file}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.prepared, self.app_file)

    def reset(self) -> None:
        pass

    def second_url(self) -> str:
        """Another database, for a test that needs two (an export read into an empty one)."""
        return self.fresh_url()

    def drop(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def sqlite_folder(tmp_path_factory) -> Path:
    """A folder for the SQLite test databases: in memory (/dev/shm) where the machine has one, since
    on a busy disk each commit's fsync and each journal file made and deleted costs milliseconds;
    otherwise pytest's temporary folder."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return Path(tempfile.mkdtemp(prefix="ispdesk-tests-", dir="/dev/shm"))
    return tmp_path_factory.mktemp("sqlite")


class PostgresDatabase:
    """A database of our own on the server named by TEST_DATABASE_URL, emptied after each test."""

    def __init__(self, server_url: str):
        self.server = sa.make_url(server_url)
        self.name = f"ispdesk_test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.url = self.server.set(database=self.name).render_as_string(hide_password=False)
        self.others: list[str] = []
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

    def second_url(self) -> str:
        """Another database beside this one, with the schema (dropped at the end of the session)."""
        name = f"{self.name}_{len(self.others) + 1}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.others.append(name)
        url = self.server.set(database=name).render_as_string(hide_password=False)
        engine = sa.create_engine(url)
        db.metadata.create_all(engine)
        with engine.begin() as connection:
            install_database_objects(connection)
        engine.dispose()
        return url

    def app_url(self) -> str:
        return self.url

    def prepare(self, app) -> None:
        pass

    def restore(self, app) -> None:
        """Emptied (a test without the app may have left rows) and seeded again."""
        _dispose(app)
        self.reset()
        seed_test_data(app)

    def reset(self) -> None:
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))

    def drop(self) -> None:
        self.engine.dispose()
        for name in (self.name, *self.others):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_test_data(app) -> None:
    """Reference data, an administrator and a staff user (PASSWORDS)."""
    with app.app_context():
        ensure_reference_data()
        for role, password in PASSWORDS.items():
            user = User(username=role, full_name=f"Test {role}", role=role)
            set_user_password(user, password)
            db.session.add(user)
        db.session.commit()


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- Apps ----------------------------------------------------------------------------------------

# Every app a test makes, so its connection pool is closed after the test (the dispose_engines fixture).
_made_apps = []


def _reuse_url_builders() -> None:
    """Most of a test's set-up was Werkzeug generating and compiling the same two URL-building
    functions for each of the app's ~1,000 rules again in every new app. The generated function
    depends only on the rule's parsed parts and defaults (its converters are read through the
    rule it is bound to), so each is compiled once per test process and shared."""
    compile_builder = Rule._compile_builder
    compiled = {}

    def shared_builder(rule, append_unknown=True):
        key = (rule.rule, tuple(rule._trace), repr(sorted((rule.defaults or {}).items())), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    Rule._compile_builder = shared_builder


_reuse_url_builders()


def app_config(database_url: str, **config) -> dict:
    """An app's configuration for tests: CSRF on, view exceptions raised.

    Jinja's StrictUndefined is not used: Flask-Admin 2.2.1's own `lib.html` reads
    `field.widget.input_type`, which Select2 widgets lack, whenever a select shows an error.
    """
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION": True,
        # scrypt costs ~0.1 s per hash; tests hash and check passwords hundreds of times.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # English for a request that names no language (the installation's default is Czech),
        # so that tests read the interface's own words; Czech is asked for with Accept-Language.
        "BABEL_DEFAULT_LOCALE": "en",
        **config,
    }


def make_app(database_url: str, **config):
    """A new app of the test's own (app_config), on that database: for a configuration of its own."""
    app = create_app(app_config(database_url, **config))
    _made_apps.append(app)
    return app


class SharedApp:
    """The app one worker's tests share (building one costs ~0.15 s): after each test `restore` puts
    back what a test may change in it, so the next one meets it as new.

    Its configuration, every admin view's attributes (Flask-Admin's filter choices, which the
    contacts list reads again when the code lists change) and its database engine (a new one, without
    the test's event listeners); the contacts list's caches, kept under change counters that start
    again in each test's new database, and the background jobs' queue and store are emptied.
    """

    def __init__(self, app):
        self.app = app
        self.config = dict(app.config)
        self.views = [(view, dict(vars(view))) for admin in app.extensions["admin"] for view in admin._views]

    def start_test(self, instance_path: Path) -> None:
        """The test's own instance folder (uploads, backups), made as create_app makes it."""
        instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.app.instance_path = self.app.config["INSTANCE_PATH"] = str(instance_path)

    def restore(self) -> None:
        self.app.config.clear()
        self.app.config.update(self.config)
        self._new_engine()
        for view, attributes in self.views:
            vars(view).clear()
            vars(view).update(attributes)
            if hasattr(view, "list_query"):
                view.list_query = type(view.list_query)(view)
        # The background jobs' queue and store (progress, cancel requests) are keyed by job ids,
        # which start again; a test may have switched the queue to immediate mode.
        queue = jobs_queue(self.app)
        queue.immediate = False
        queue.flush()

    def _new_engine(self) -> None:
        """A new engine, made as Flask-SQLAlchemy's init_app makes it: the event listeners a test
        hung on the old one (statement counters, the fuzz tests' PRAGMAs) go with it."""
        engines = db._app_engines[self.app]
        engines[None].dispose()
        config = self.app.config
        options = {**config["SQLALCHEMY_ENGINE_OPTIONS"], "url": config["SQLALCHEMY_DATABASE_URI"]}
        options |= {"echo": config["SQLALCHEMY_ECHO"], "echo_pool": config["SQLALCHEMY_ECHO"]}
        db._apply_driver_defaults(options, self.app)
        engines[None] = db._make_engine(None, options, self.app)


def dispose_made_apps() -> None:
    """Close the sessions and connection pools of every app `make_app` made."""
    while _made_apps:
        made = _made_apps.pop()
        with made.app_context():
            db.session.remove()
            db.engine.dispose()


class StatementCounter:
    """Counts the SQL statements the app runs while the `with` block lasts.

    For tests that guard against a query per row: the count must not grow with the rows.
    """

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.count = 0

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, *args):
        self.count += 1


# --- Rows, inside an app context -----------------------------------------------------------------


def user_named(username: str) -> User:
    """The user of that username ("admin" and "staff" are the `app` fixture's)."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def add_named(model, name: str) -> int:
    """A new code-list row (ClientGroup, ClientStatus, Location, ...) of that name, committed; its id."""
    row = model(name=name)
    db.session.add(row)
    db.session.commit()
    return row.id


def contact_history(contact_id: int) -> list[ChangeLog]:
    """The contact's history entries, oldest first."""
    return list(
        db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id).order_by(ChangeLog.id))
    )


# --- Logging in and posting ----------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token of the client's session, read from a rendered form."""
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def log_in(client, role: str):
    """Log in through the real login form as the test user of that role."""
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf_token(client),
            "username": role,
            "password": PASSWORDS[role],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def png_bytes(size: tuple[int, int] = (20, 10), image_format: str = "PNG") -> bytes:
    """A small real image file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


# --- Reading pages -------------------------------------------------------------------------------


def downloaded(client, url: str, **params) -> bytes:
    """A streamed download, read whole and closed: an unclosed stream keeps its request's database
    transaction open (on PostgreSQL the next test's clean-up would wait for it)."""
    response = client.get(url, query_string=params)
    assert response.status_code == 200, response.status
    try:
        return response.get_data()
    finally:
        response.close()


def export_csv(client, **params) -> list[list[str]]:
    """The contacts list's CSV export (header first) for these list arguments."""
    response = client.get("/admin/contact/export/csv/", query_string=params)
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    response.close()
    return list(csv.reader(io.StringIO(text)))


def field_errors(html: str, name: str) -> list[str]:
    """The error messages shown in the form group of field `name`."""
    for group in html.split('<div class="form-group')[1:]:
        if re.search(rf'\bid="{re.escape(name)}"', group):
            feedback = group.split('class="invalid-feedback"', 1)
            if len(feedback) == 1:
                return []
            return [unescape(re.sub(r"\s+", " ", m).strip()) for m in re.findall(r"<li>(.*?)</li>", feedback[1], re.S)]
    raise AssertionError(f"no field {name} in the form")


def input_value(html: str, name: str) -> str | None:
    """The value a form shows in its input (or textarea) `name`; None when there is no such field."""
    match = re.search(rf'<input[^>]*\bid="{re.escape(name)}"[^>]*>', html)
    if match is None:
        match = re.search(rf'<textarea[^>]*\bid="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
        return unescape(match.group(1).strip()) if match else None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def contact_form(**overrides) -> dict:
    """A valid new-contact form, given its invoice_group and payment_type ids (a field given as None is
    left out); tests change what their rule needs."""
    values = {
        "client_number": "2001",
        "name": "Novák Jan",
        "street": "Hlavní 12",
        "postcode": "110 00",
        "city": "Praha",
        "country": "CZ",
        "email": "jan.novak@example.cz",
        "invoice_by_email": "y",
        "invoicing_day": "1",
        "due_days": "14",
        "opening_balance": "0",
        "suspend_mode": "global",
        "show_info_messages": "y",
        "portal_enabled": "y",
        **overrides,
    }
    return {name: value for name, value in values.items() if value is not None}


# --- Which language a page speaks -----------------------------------------------------------------

# Words of English interface text that are not Czech words too ("to", "on", "do", "by", "export",
# "internet", "e-mail" are) and are not in the tests' data. A Czech page showing one of them has
# an untranslated string.
ENGLISH_WORDS = frozenset(
    """
    about account action actions active add address all and apply are back balance bank birth
    building cancel change changed changes choose city clear client clients close code company
    confirm contact contacts count country create created current customer date day days default
    delete deleted description details due edit empty end ended enter error field file filter
    filters first for from group groups has have help hide history home invoice invoicing is
    items last list location log logout marked message messages mobile more name new next no
    none not note notes number of or page password payment people person persons phone please
    previous price private record records remove required reset save search select selected
    service services settings show socket sockets start status street submit switchboard tariff
    the there this type updated user users value view was welcome what when with yes you your
    added also author corporate edited entry entries made overview removed restored reverted send
    sent since used wanted who why
    """.split()  # noqa: SIM905 (a paragraph of words reads better than 150 quoted strings)
)
# Letters a Czech word may have and an English one has not.
CZECH_LETTERS = re.compile(r"[áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]")
# Attributes whose text a user reads or hears.
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm", "data-message", "data-text")


# Flask-Admin's hidden elements whose JSON the page's script shows: filter names, operations and
# option labels in the filter menu, confirmations of the list's actions and its "select a row" message.
JSON_DATA_IDS = ("filter-groups-data", "active-filters-data", "actions-confirmation-data", "message-data")


def _json_texts(element_id: str, data) -> list[str]:
    """The strings of a JSON data element that the page's script shows to the user."""
    if element_id == "message-data":  # what a list's action says when no row is ticked
        return [data] if isinstance(data, str) else []
    if element_id == "actions-confirmation-data":
        return [str(message) for message in data.values()]
    if element_id == "active-filters-data":
        return []  # [index, value] pairs: the values are the user's own
    texts = []
    for group, filters in data.items():
        texts.append(group)
        for flt in filters:
            texts.append(flt["operation"])
            texts.extend(str(option[1]) for option in flt.get("options") or ())
    return texts


class _VisibleText(HTMLParser):
    def __init__(self, other_language: str | None = None):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0
        # An element marked as written in `other_language` (the language switch's "Čeština" on
        # an English page, lang="cs") is not a leftover of that language: its tag and nesting.
        self.other_language = other_language
        self.foreign_tag: str | None = None
        self.foreign_depth = 0
        # The element whose text is not shown as it is: JSON data, or an escaped HTML template
        # (a new inline row) that the page's script inserts as HTML.
        self.special: str | None = None
        self.special_depth = 0
        self.special_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if self.foreign_tag is not None or (self.other_language and values.get("lang") == self.other_language):
            self.foreign_tag = self.foreign_tag or tag
            self.foreign_depth += tag == self.foreign_tag
            return
        if self.special is not None:
            self.special_depth += tag == "div"
            return
        if tag == "div" and (
            values.get("id") in JSON_DATA_IDS or "inline-field-template" in (values.get("class") or "")
        ):
            self.special, self.special_depth, self.special_text = values.get("id") or "template", 1, []
            return
        if tag in ("script", "style"):
            self.hidden_depth += 1
        self.parts.extend(values[name] or "" for name in READ_ATTRIBUTES if name in values)
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if self.foreign_tag is not None:
            self.foreign_depth -= tag == self.foreign_tag
            if not self.foreign_depth:
                self.foreign_tag = None
            return
        if self.special is not None:
            self.special_depth -= tag == "div"
            if not self.special_depth:
                text = "".join(self.special_text)
                if self.special == "template":
                    self.parts.append(visible_text(text))
                else:
                    self.parts.extend(_json_texts(self.special, json.loads(text)))
                self.special = None
            return
        if tag in ("script", "style") and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if self.foreign_tag is not None:
            return
        if self.special is not None:
            self.special_text.append(data)
        elif not self.hidden_depth:
            self.parts.append(data)


def visible_text(html: str, other_language: str | None = None) -> str:
    """The text a user of the page reads: text outside scripts and styles, and the attributes
    tooltips, placeholders, confirmations and buttons show; without the elements marked as
    written in `other_language`."""
    parser = _VisibleText(other_language)
    parser.feed(html)
    return " ".join(" ".join(parts.split()) for parts in parser.parts if parts.strip())


def english_words_in(html: str, allowed=()) -> list[str]:
    """English interface words on a page meant to be Czech (`allowed`: data strings to skip)."""
    text = visible_text(html, other_language="en")
    for data in allowed:
        text = text.replace(data, " ")
    # Whole words: "služby" is not "by", nor "Jméno" "no".
    return sorted({word for word in re.findall(r"\w+", text) if word.isascii() and word.lower() in ENGLISH_WORDS})


def czech_words_in(html: str, allowed=()) -> list[str]:
    """Czech words on a page meant to be English (`allowed`: data strings to skip)."""
    text = visible_text(html, other_language="cs")
    for data in allowed:
        text = text.replace(data, " ")
    return sorted({word for word in re.findall(r"\w+", text) if CZECH_LETTERS.search(word)})
