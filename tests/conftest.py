"""Shared fixtures: the app with a fresh database per test, on SQLite and (when asked) PostgreSQL;
logged-in clients; factories for the rows tests need. Plain helpers are in tests/helpers.py."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections import namedtuple
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import hypothesis
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import Babel
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

pytest.register_assert_rewrite("tests.helpers")

from app import create_app  # noqa: E402
from domain.history import pending_changes, pending_row_changes, record_change, row_changes  # noqa: E402
from domain.passwords import set_portal_password  # noqa: E402
from models import (  # noqa: E402
    Building,
    City,
    ClientGroup,
    ClientStatus,
    Contact,
    ContactPerson,
    InvoiceGroup,
    Location,
    Note,
    PaymentType,
    Service,
    ServiceType,
    Socket,
    Street,
    Switchboard,
    User,
    db,
)
from tests.helpers import (  # noqa: E402
    PASSWORDS,
    PORTAL_PASSWORD,
    PostgresDatabase,
    SharedApp,
    SQLiteDatabase,
    app_config,
    contact_form,
    csrf_token,
    dispose_made_apps,
    input_value,
    log_in,
    make_app,
    seed_test_data,
    sqlite_folder,
)

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])

# Hypothesis profiles, picked by HYPOTHESIS_PROFILE. "quick" (the default, `make test`) keeps the
# suite short and tries the same 50 examples on every run: it keeps the fuzz tests' checks working
# (200 cost ~25 s more CPU per run, the same examples each time); the searching is `make fuzz`'s
# "fuzz" profile: 10,000 contact forms, new ones on each run (a failure prints the form and a
# @reproduce_failure blob). HYPOTHESIS_MAX_EXAMPLES overrides the chosen profile's count. Neither
# writes a .hypothesis directory.
hypothesis.settings.register_profile("quick", max_examples=50, derandomize=True, database=None)
hypothesis.settings.register_profile("fuzz", max_examples=10_000, database=None, print_blob=True)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")
if os.environ.get("HYPOTHESIS_MAX_EXAMPLES"):
    hypothesis.settings.register_profile(
        HYPOTHESIS_PROFILE,
        hypothesis.settings.get_profile(HYPOTHESIS_PROFILE),
        max_examples=int(os.environ["HYPOTHESIS_MAX_EXAMPLES"]),
    )
hypothesis.settings.load_profile(HYPOTHESIS_PROFILE)


# The longest tests (~5-40 s each, besides the fuzz-marked ones) run first: started last, one of
# them would keep one xdist worker busy long after the other had run out of tests.
LONG_TESTS = ("test_client_number_concurrency.py", "test_two_editors_thirty_rounds", "test_concurrent_callers")


def pytest_collection_modifyitems(items):
    def long(item) -> bool:
        return item.get_closest_marker("fuzz") is not None or any(name in item.nodeid for name in LONG_TESTS)

    items.sort(key=lambda item: not long(item))  # stable: the rest keep their order


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, tmp_path_factory):
    """The backend under test: every test runs once per backend."""
    if request.param == "sqlite":
        backend = SQLiteDatabase(sqlite_folder(tmp_path_factory))
    else:
        backend = PostgresDatabase(os.environ["TEST_DATABASE_URL"])
    yield backend
    backend.drop()


@pytest.fixture(scope="module")
def babel_request():
    """A request of a bare app with Flask-Babel, for rules whose messages are translated but which
    need no database."""
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


@pytest.fixture(autouse=True)
def dispose_engines():
    """Close the connection pools of the apps the test made (the views query at start-up)."""
    yield
    dispose_made_apps()


@pytest.fixture(scope="session")
def shared_app(database, tmp_path_factory):
    """One app per backend and worker process, built on an empty database as a new app is; the
    `app` fixture hands it to each test with a database of its own."""
    instance = tmp_path_factory.mktemp("shared-instance")
    app = create_app(app_config(database.app_url(), INSTANCE_PATH=str(instance)))
    database.prepare(app)
    yield SharedApp(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(request, shared_app, database, tmp_path):
    """The app, with a fresh instance folder and a fresh database holding the reference data, an
    administrator and a staff user (PASSWORDS).

    The worker's shared app (SharedApp puts back what a test changed in it), or, for a test marked
    `own_app` (it adds routes, which an app refuses once it has served a request), a new one.
    """
    if request.node.get_closest_marker("own_app"):
        app = make_app(database.fresh_url(), INSTANCE_PATH=str(tmp_path / "instance"))
        seed_test_data(app)
        yield app
        database.reset()
        return
    database.restore(shared_app.app)
    shared_app.start_test(tmp_path / "instance")
    yield shared_app.app
    with shared_app.app.app_context():
        db.session.remove()
    shared_app.restore()
    database.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- Logged-in clients ----------------------------------------------------------------------------


@pytest.fixture
def login(client):
    """`login("admin")` or `login("staff")` logs the `client` fixture in."""
    return lambda role: log_in(client, role)


@pytest.fixture
def staff(app):
    """A test client of its own, logged in as the staff user.

    Not the `client` fixture: a test may hold `staff` and `admin` side by side.
    """
    client = app.test_client()
    log_in(client, "staff")
    return client


@pytest.fixture
def admin(app):
    """A test client of its own, logged in as the administrator."""
    client = app.test_client()
    log_in(client, "admin")
    return client


# --- Factories: each returns the new row's id (make_invoice_group: the row) ----------------------


@pytest.fixture
def make_invoice_group(app):
    """Create an invoice group; keyword arguments override its fields."""
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
                "client_number": 1000 + n,
                "name": f"Novák Jan {n}",
                "street": "Hlavní 1",
                "postcode": "110 00",
                "city": "Praha",
                "payment_type_id": db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default)),
                "opening_balance": Decimal(0),
            }
            values.update(overrides)
            if "invoice_group_id" not in values:
                values["invoice_group_id"] = make_invoice_group().id
            contact = Contact(**values)
            db.session.add(contact)
            db.session.commit()
            return contact.id

    return make


@pytest.fixture
def make_portal_client(app, make_contact):
    """A contact with portal access and the password PORTAL_PASSWORD; keyword arguments go to make_contact.

    Its portal login is its client number unless `portal_login` is given.
    """

    def make(**overrides) -> int:
        contact_id = make_contact(**overrides)
        with app.app_context():
            contact = db.session.get(Contact, contact_id)
            contact.portal_login = contact.portal_login or str(contact.client_number)
            set_portal_password(contact, PORTAL_PASSWORD)
            db.session.commit()
        return contact_id

    return make


@pytest.fixture
def make_service_type(app):
    """`make_service_type("TV")`: the id of the service type of that name, created when missing."""

    def make(name: str = "Internet") -> int:
        with app.app_context():
            found = db.session.scalar(sa.select(ServiceType.id).where(ServiceType.name == name))
            if found is not None:
                return found
            service_type = ServiceType(name=name)
            db.session.add(service_type)
            db.session.commit()
            return service_type.id

    return make


@pytest.fixture
def make_service(app, make_service_type):
    """`make_service(contact_id, service_type="Internet", **fields)`: a service of the contact, tariff "Fast"."""

    def make(contact_id: int, service_type: str = "Internet", **overrides) -> int:
        values = {"tariff_name": "Fast", "service_type_id": make_service_type(service_type), **overrides}
        with app.app_context():
            service = Service(contact_id=contact_id, **values)
            db.session.add(service)
            db.session.commit()
            return service.id

    return make


CatvChain = namedtuple("CatvChain", "city street building switchboard socket")


def _found_or_added(model, keys: dict, other_fields: dict):
    """The row of `model` with these key values, or a new one with the other fields too."""
    row = db.session.scalar(sa.select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **other_fields)
        db.session.add(row)
        db.session.flush()
    return row


@pytest.fixture
def make_socket(app):
    """A CATV socket and its chain city › street › building › switchboard; returns the five ids (CatvChain).

    Each level is found by name under its parent, or created: sockets made with the same city, street,
    building or switchboard share those rows. `floors` and `position` apply when the row is created.
    """

    def make(
        label: str = "R1-1",
        *,
        floor: int = 1,
        city: str = "Praha",
        street: str = "Hlavní",
        building: str = "12",
        floors: int = 4,
        switchboard: str = "R1",
        position: int = 1,
    ) -> CatvChain:
        with app.app_context():
            city_row = _found_or_added(City, {"name": city}, {})
            street_row = _found_or_added(Street, {"city_id": city_row.id, "name": street}, {})
            building_row = _found_or_added(
                Building, {"street_id": street_row.id, "number": building}, {"floors": floors}
            )
            board = _found_or_added(
                Switchboard, {"building_id": building_row.id, "name": switchboard}, {"position": position}
            )
            socket = Socket(switchboard_id=board.id, floor=floor, label=label)
            db.session.add(socket)
            db.session.commit()
            return CatvChain(city_row.id, street_row.id, building_row.id, board.id, socket.id)

    return make


# --- The contact form ----------------------------------------------------------------------------


@pytest.fixture
def invoice_group(app, make_invoice_group) -> int:
    """The id of an invoice group named Main."""
    return make_invoice_group(name="Main").id


@pytest.fixture
def form_data(app, invoice_group):
    """A valid new-contact form; tests change what their rule needs."""
    with app.app_context():
        payment_type = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.system_code == "bank_transfer"))

    def data(**overrides) -> dict:
        return contact_form(**{"invoice_group": str(invoice_group), "payment_type": str(payment_type), **overrides})

    return data


@pytest.fixture
def post_contact(client, login):
    """POST the contact form (create, or edit with `id`) as staff, with a valid CSRF token.

    It logs in the `client` fixture, which the test may use as the same staff user.
    """
    login("staff")

    def post(data: dict, id: int | None = None, follow: bool = False):
        url = "/admin/contact/new/" if id is None else f"/admin/contact/edit/?id={id}"
        opened = {}
        if id is not None and "opened_version" not in data:
            # As a browser does: the edit form carries the version it was opened with.
            html = client.get(url).get_data(as_text=True)
            opened = {name: input_value(html, name) for name in ("opened_version", "history_mark")}
        return client.post(
            url, data={"csrf_token": csrf_token(client, "/admin/"), **opened, **data}, follow_redirects=follow
        )

    return post


# --- Browser tests ---------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


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


@contextmanager
def checked_page(chromium, locale: str, **options):
    """A fresh browser context (no cookies) and page in `locale`, closed afterwards; fails if the
    Content-Security-Policy refused anything on its pages. Short timeouts: a broken page fails fast."""
    context = chromium.new_context(locale=locale, **options)
    context.set_default_timeout(5_000)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Security Policy" in message.text else None)
    yield page
    context.close()
    assert refused == [], refused


@pytest.fixture
def browser_page(chromium):
    """A page in English, whatever the machine's locale."""
    with checked_page(chromium, "en-US") as page:
        yield page


@pytest.fixture
def czech_page(chromium):
    """A page in a browser set to Czech (its Accept-Language), at the panel's usual 1366×900."""
    with checked_page(chromium, "cs-CZ", viewport={"width": 1366, "height": 900}) as page:
        yield page


@pytest.fixture
def browser_login(request):
    """`browser_login(page, base_url, role)` logs the page's browser in as the test user of that role.

    On the login page (where the app sent the page, with its `next`) it fills in the real form and
    the page goes where the login leads. Anywhere else a test client logs in through the same form
    and the browser gets its session cookie, which saves two page loads per test; the page stays
    where it was (go on with page.goto).
    """

    def log_in_browser(page, base_url: str, role: str) -> None:
        if page.url.startswith(f"{base_url}/login"):
            page.fill("input[name=username]", role)
            page.fill("input[name=password]", PASSWORDS[role])
            page.click("form:has(input[name=password]) button[type=submit]")  # not the language switch
            expect(page).not_to_have_url(re.compile(r"/login"))
            return
        app = request.getfixturevalue("app")
        client = app.test_client()
        log_in(client, role)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": base_url, "httpOnly": True, "sameSite": "Lax"}]
        )

    return log_in_browser


AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
# Screenshots a reviewer can look at, kept after the run (not committed).
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS") or Path(__file__).parent.parent / "test-artifacts")


@pytest.fixture
def axe():
    """`axe(page)`: what axe-core finds wrong on the page (by default only text contrast, WCAG AA),
    as "rule: element: summary" lines. axe-core is vendored (tests/vendor/axe.min.js, MPL-2.0):
    nothing is fetched, and evaluating it is not inline script, so the page's CSP stays as it is."""

    def run(page, rules=("color-contrast",)) -> list[str]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)
        result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", list(rules))
        return [
            f"{violation['id']}: {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
            for violation in result["violations"]
            for node in violation["nodes"]
        ]

    return run


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "contact-list-cs")` saves the page as test-artifacts/screenshots/<name>.png
    (TEST_ARTIFACTS moves the folder), for a reviewer to look at."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, full_page: bool = False) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    return save


# --- card ---


@pytest.fixture
def full_contact(app, make_contact, make_service, make_socket):
    """A contact with everything the card shows: a country, code lists, a socket, two services, a
    person, a note and a history of several kinds (created, edited by staff, by the client in the
    portal, a person's phone changed). Returns its id."""

    socket = make_socket("R1-7", city="Opava", street="Nádražní", building="12", switchboard="R1").socket
    with app.app_context():
        group, status, location = (
            ClientGroup(name="Zlatí"),
            ClientStatus(name="Platící", colour="#ffeeba"),
            Location(name="Sever"),
        )
        silver = ClientGroup(name="Stříbrní")
        db.session.add_all([group, status, location, silver])
        db.session.commit()
        codes = {"client_group_id": silver.id, "client_status_id": status.id, "location_id": location.id}
        group_id = group.id
    contact_id = make_contact(
        client_number=7001,
        name="Dvořák Antonín",
        street="Nádražní 12",
        postcode="746 01",
        city="Opava",
        country="SK",
        phone="+420601123456",
        mobile="+420777000111",
        email="antonin@example.cz",
        has_different_address=True,
        install_street="Horní 5",
        install_postcode="747 05",
        install_city="Opava",
        install_country="CZ",
        birth_date=date(1985, 2, 12),
        **codes,
    )
    make_service(contact_id, price=Decimal("450.50"), start_date=date(2026, 1, 1))
    make_service(
        contact_id, "TV", tariff_name="Basic", state="ended", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31)
    )
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.username == "staff"))
        contact = db.session.get(Contact, contact_id)
        record_change(contact, "create", {"name": {"old": None, "new": contact.name}}, staff)
        contact.persons.append(ContactPerson(name="Dvořáková Eva", role="manželka", phone="+420602000111"))
        contact.notes.append(Note(text="Volat po 17. hodině", author=staff))
        db.session.flush()
        contact.country, contact.client_group_id, contact.socket_id, contact.is_marked = "CZ", group_id, socket, True
        contact.persons[0].phone = "+420602000222"
        changes, rows = pending_changes(contact), pending_row_changes(contact)
        db.session.flush()
        record_change(contact, "update", changes | row_changes(rows), staff)
        contact.email = "tonda@example.cz"
        record_change(contact, "portal edit", pending_changes(contact), None, actor="portal")
        db.session.commit()
    return contact_id


# --- import_jobs ---


@pytest.fixture
def immediate_jobs(app):
    """Jobs started in the test run at once, in its own process (Huey's immediate mode, an
    in-memory job store). Returns the app."""
    from storage.jobs import jobs_queue

    jobs_queue(app).immediate = True
    return app


# --- import_ui ---


@pytest.fixture
def import_office(app, immediate_jobs, make_invoice_group):
    """An office ready for a contacts import (an invoice group, the status "Aktivní"); jobs run at once."""
    make_invoice_group(name="Domácnosti")
    with app.app_context():
        db.session.add(ClientStatus(name="Aktivní"))
        db.session.commit()
    return app
