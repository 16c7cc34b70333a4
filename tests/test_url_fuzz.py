"""Walk every URL rule of the app as every role with strange arguments: no 500, no slow answer.

Every (rule, method) is first requested by every role twice (plainly with a real id, then with an
edge-case id), every list is sorted by each column; then Hypothesis draws requests (path values,
query strings with the real list arguments and Flask-Admin's reserved names, form bodies with the
view's fields and a valid CSRF token) and sends each as every role. A request fails the test when
the app answers 5xx, raises (tests let view exceptions through), or takes longer than MAX_SECONDS.
The ids hit real rows too: every list has rows, and each view's id pool holds its ids.

Counts: "quick" (make test) ~2,400 requests on SQLite (the sweep's ~2,200, then 50 drawn ones
per role), ~15 s of CPU; "fuzz" (make fuzz) >= 10,000 per database. The test prints
"url fuzz (<backend>): N requests, 0 server errors".
"""

from __future__ import annotations

import re
import time
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa
from flask_admin.contrib.sqla import ModelView
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from admin_views.catv_forms import BulkSocketsForm
from admin_views.contacts.bulk import BulkChangeForm
from auth.staff_login import LoginForm
from models import (
    ChangeLog,
    ClientGroup,
    ClientStatus,
    Contact,
    ContactPerson,
    InfoMessage,
    Location,
    Note,
    SocketAssignment,
    User,
    db,
)
from portal.forms import ContactDetailsForm, PasswordForm
from portal.forms import LoginForm as PortalLoginForm
from tests.helpers import PASSWORDS, PORTAL_PASSWORD, PostgresDatabase, csrf_token

MAX_SECONDS = 2.0
ROLES = ("anonymous", "staff", "admin", "portal")
# Endpoints after which a logged-in client may no longer be (or be someone else): it logs in again.
SESSION_ENDPOINTS = {"auth.login", "auth.logout", "portal.login", "portal.logout", "portal.password"}

# Ids no row has: zero, negative, the edges of 32- and 64-bit integers, far beyond, not numbers.
EDGE_IDS = [
    "0",
    "-1",
    str(2**31 - 1),
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    "9" * 400,
    "9" * 5000,
    "1e3",
    "0x10",
    "١٢",
    "²",
    "",
    " 1",
    "abc",
]
STRANGE_TEXT = [
    "1\x00",
    "a\x00b",
    "\x00",
    "x\r\nSet-Cookie: evil=1",
    "\r\n",
    "Žluťoučký kůň 🐴",
    "\u202e\ufeff\ufffd",
    "%",
    "_",
    "\\",
    "'\"<script>",
    "x" * 3000,
    "-2+3+cmd|' /C calc'!A0",
    "//evil.example/",
    "javascript:alert(1)",
    "sNaN",
    "-Infinity",
]
# Flask-Admin's own keyword arguments (url_for, get_url, the view functions, the list templates).
RESERVED_ARGS = ["url", "all", "endpoint", "export_type", "_method", "self", "cls", "_anchor", "_external", "_scheme"]
LIST_ARGS = ["page", "sort", "desc", "search", "page_size", "flt0_0", "flt1_1", "flt2_5"]
OTHER_ARGS = [
    "id",
    "ids",
    "rowid",
    "name",
    "query",
    "offset",
    "limit",
    "parent",
    "field",
    "value",
    "country",
    "next",
    "contact_id",
    "state",
    "thumbnail",
    "entry_id",
    "action",
    "list_form_pk",
    "pk",
    "username",
    "password",
]
PATH_VALUES = {
    "export_type": ["csv", "xlsx", "json", "CSV"],
    "kind": ["logo", "stamp", "signature", "__class__", "id"],
    "filename": ["css/admin.css", "../app.py", "admin/css/bootstrap4/admin.css", "a\x00b", "%2e%2e/secret_key"],
}


# The forms of the pages that are not model views, whose fields the walk posts.
PAGE_FORMS = {
    "auth.login": LoginForm,
    "portal.login": PortalLoginForm,
    "portal.details": ContactDetailsForm,
    "portal.password": PasswordForm,
    "building.bulk_sockets": BulkSocketsForm,
    "contact.bulk_view": BulkChangeForm,
}


def field_names(form_class) -> list[str]:
    return sorted(n for n in dir(form_class) if isinstance(getattr(form_class, n, None), UnboundField))


@dataclass
class Target:
    """What the walk knows about a rule's view: its row ids, lookups, actions, filters, form fields."""

    ids: list[str] = field(default_factory=list)
    ajax_names: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    filter_args: list[str] = field(default_factory=list)
    form_fields: list[str] = field(default_factory=list)
    columns: int = 0
    protected: frozenset[str] = frozenset()


def backend_of(database) -> str:
    return "postgresql" if isinstance(database, PostgresDatabase) else "sqlite"


# --- Seed data: every list has rows, every kind of id hits a real one ------------------------------


def seed(app, make_contact, make_service, make_socket, make_portal_client, staff) -> int:
    """Rows of every kind; returns the portal client's contact id."""
    chain = make_socket()
    contact_id = make_contact()
    make_service(contact_id)
    deleted_id = make_contact()
    portal_id = make_portal_client()
    with app.app_context():
        for model in (ClientGroup, ClientStatus, Location):
            db.session.add(model(name=f"Fuzz {model.__name__}"))
        db.session.add(ContactPerson(contact_id=contact_id, name="Eva Nováková", email="eva@example.cz"))
        db.session.add(Note(contact_id=contact_id, text="Called about the invoice."))
        db.session.add(SocketAssignment(contact_id=contact_id, socket_id=chain.socket))
        db.session.add(InfoMessage(title="Outage on Friday", body="From 2 to 4 am."))
        db.session.add(User(username="fuzzed", full_name="Fuzzed User", role="staff", password_hash="x"))
        contact = db.session.get(Contact, contact_id)
        contact.opening_balance = Decimal("12.50")
        db.session.commit()
    # A history entry through the app, and a deleted contact.
    token = csrf_token(staff, "/admin/")
    staff.post("/admin/contact/delete/", data={"csrf_token": token, "id": str(deleted_id)})
    with app.app_context():
        assert db.session.get(Contact, deleted_id).deleted_at is not None
        db.session.add(ChangeLog(contact_id=contact_id, action="updated", changes={"name": {"old": "A", "new": "B"}}))
        db.session.commit()
    return portal_id


def targets(app, protected: dict[type, set[int]]) -> dict[str, Target]:
    """Per blueprint of a model view: its real ids (minus those the walk's own sessions need) and more."""
    found = {}
    with app.app_context():
        for view in app.extensions["admin"][0]._views:
            if not isinstance(view, ModelView):
                continue
            model = view.model
            ids = db.session.scalars(sa.select(model.id).order_by(model.id.desc()).limit(6)).all()
            keep = protected.get(model, set())
            form_class = view._create_form_class or view._edit_form_class
            found[view.endpoint] = Target(
                ids=[str(i) for i in ids if i not in keep],
                protected=frozenset(map(str, keep)),
                ajax_names=list(view._form_ajax_refs),
                actions=[name for name, _ in view._actions],
                filter_args=[f"flt{n}_{key}" for n, key in enumerate(view._filter_args or {})],
                form_fields=sorted(
                    n for n in dir(form_class) if isinstance(getattr(form_class, n, None), UnboundField)
                ),
                columns=len(view._list_columns),
            )
    return found


# --- Sessions: one test client per role, logged in again when a request may have ended it ----------


class Session:
    def __init__(self, app, role: str):
        self.app, self.role = app, role
        self.logins = 0
        self.log_in()

    def log_in(self) -> None:
        self.client = self.app.test_client()
        # Each login from its own address: the walk's wrong passwords never throttle it.
        self.logins += 1
        environ = {"REMOTE_ADDR": f"10.9.{self.logins // 250}.{self.logins % 250 + 1}"}
        if self.role in ("staff", "admin"):
            data = {"username": self.role, "password": PASSWORDS[self.role]}
            url, token_url = "/login", "/login"
        elif self.role == "portal":
            data = {"login": self.app.config["FUZZ_PORTAL_LOGIN"], "password": PORTAL_PASSWORD}
            url, token_url = "/portal/login", "/portal/login"
        else:
            self.token = csrf_token(self.client, "/login")
            return
        data["csrf_token"] = csrf_token(self.client, token_url)
        response = self.client.post(url, data=data, environ_overrides=environ)
        assert response.status_code == 302, f"{self.role} could not log in again"
        self.token = csrf_token(self.client, "/admin/" if self.role != "portal" else "/portal/password")


# --- Requests ------------------------------------------------------------------------------------


@dataclass
class Probe:
    rule: object
    method: str
    path: str
    query: list[tuple[str, str]]
    form: list[tuple[str, str]] | None
    csrf: str  # "valid", "none", "wrong"
    raw: str = ""  # appended to the query string as it is: invalid UTF-8, bare NUL bytes

    @property
    def query_string(self) -> str:
        return "&".join(part for part in (urlencode(self.query), self.raw) if part)

    def describe(self, role: str) -> str:
        query = self.query_string
        url = f"{self.path}?{query}" if query else self.path
        body = "" if self.form is None else f" form={self.form!r:.400} csrf={self.csrf}"
        return f"{role} {self.method} {url!r:.600}{body}"


def build_path(rule, values: dict[str, str]) -> str:
    """The rule's path with each <argument> replaced by its (percent-encoded) value."""

    def fill(match):
        return quote(values[match.group(1)], safe="" if match.group(1) != "filename" else "/")

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


def describe_exception(exc: BaseException) -> str:
    """The first exception of the chain (Flask-Admin retries a view and reports a TypeError of its
    own) and the last frame of our code it passed; that frame is the failure's identity."""
    chain = [exc]
    while chain[-1].__context__ is not None:
        chain.append(chain[-1].__context__)

    def our_frames(error):
        frames = traceback.extract_tb(error.__traceback__)
        return [f for f in frames if "site-packages" not in f.filename and "/tests/" not in f.filename]

    exc = next((error for error in reversed(chain) if our_frames(error)), exc)
    ours = our_frames(exc) or traceback.extract_tb(exc.__traceback__)
    where = f"{ours[-1].filename}:{ours[-1].lineno} in {ours[-1].name}" if ours else "?"
    return f" -> {type(exc).__name__}: {str(exc)[:300]}\n at {where}"


@dataclass
class Walk:
    app: object
    sessions: dict[str, Session]
    targets: dict[str, Target]
    requests: int = 0
    # Each distinct failure once (its place in the code), with the first request that showed it.
    errors: dict[str, str] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)

    def target(self, rule) -> Target:
        target = self.targets.get(rule.endpoint.rpartition(".")[0], Target())
        if rule.endpoint in PAGE_FORMS:
            return Target(**{**target.__dict__, "form_fields": field_names(PAGE_FORMS[rule.endpoint])})
        return target

    def send(self, role: str, probe: Probe) -> None:
        session = self.sessions[role]
        form = None
        if probe.form is not None:
            form = list(probe.form)
            if probe.csrf == "valid":
                form.insert(0, ("csrf_token", session.token))
            elif probe.csrf == "wrong":
                form.insert(0, ("csrf_token", "x" + session.token[1:]))
        elapsed, error, status = self.timed(session, probe, form)
        if error is None and elapsed > MAX_SECONDS:
            # Once more (a POST too: it is one more request of the walk): a busy machine may have
            # paused the process; a slow page is slow twice.
            elapsed, error, status = self.timed(session, probe, form)
        self.requests += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if error is not None:
            self.errors.setdefault(error.rpartition(" at ")[2], f"{probe.describe(role)}\n{error}")
        elif status >= 500:
            self.errors.setdefault(f"{probe.rule.endpoint} {status}", f"{probe.describe(role)}\n -> HTTP {status}")
        elif elapsed > MAX_SECONDS:
            self.errors.setdefault(f"{probe.rule.endpoint} slow", f"{probe.describe(role)}\n -> {elapsed:.2f} s")
        if role != "anonymous" and probe.rule.endpoint in SESSION_ENDPOINTS:
            session.log_in()

    def timed(self, session: Session, probe: Probe, form):
        started = time.perf_counter()
        try:
            response = session.client.open(
                probe.path,
                method=probe.method,
                query_string=probe.query_string,
                data=None if form is None else MultiDict(form),
                environ_overrides={"REMOTE_ADDR": "10.8.0.1"},
            )
            response.get_data()  # a streamed export fails while it is read
            status, error = response.status_code, None
            response.close()
        except Exception as exc:  # noqa: BLE001 - any exception out of the app is the finding
            status, error = 500, describe_exception(exc)
        return time.perf_counter() - started, error, status

    def send_all(self, probe: Probe) -> None:
        for role in ROLES:
            self.send(role, probe)


# --- Strategies ----------------------------------------------------------------------------------

# Mostly ordinary text, so that most requests reach the view; strange text and a NUL a quarter of the time.
plain_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
texts = st.one_of(
    plain_text,
    plain_text,
    plain_text,
    st.sampled_from(STRANGE_TEXT),
    st.text(st.characters(codec="utf-8"), max_size=8).map(lambda s: s + "\x00"),
)
numbers = st.one_of(st.sampled_from(EDGE_IDS), st.integers(-(2**70), 2**70).map(str))


def id_values(target: Target):
    real = st.sampled_from(target.ids) if target.ids else st.nothing()
    # A drawn number may hit a real row too, but never one the walk's own sessions stand on.
    return st.one_of(real, real, numbers.filter(lambda number: number not in target.protected))


def query_values(key: str, target: Target, text):
    if key == "name" and target.ajax_names:
        return st.one_of(st.sampled_from(target.ajax_names), text)
    if key == "sort":
        return st.one_of(st.integers(-2, target.columns + 2).map(str), numbers)
    if key in ("id", "rowid", "parent", "contact_id", "entry_id", "pk", "list_form_pk"):
        return id_values(target)
    if key in ("page", "page_size", "desc", "offset", "limit"):
        return st.one_of(numbers, st.integers(-5, 300).map(str))
    if key == "action" and target.actions:
        return st.sampled_from(target.actions)
    return st.one_of(text, numbers, id_values(target))


@st.composite
def pairs(draw, keys: list[str], target: Target, max_size: int, text, rare_keys=()):
    key = st.sampled_from(keys)
    if rare_keys:
        key = st.one_of(key, key, key, key, st.sampled_from(list(rare_keys)))
    chosen = draw(st.lists(key, max_size=max_size))
    return [(key, draw(query_values(key, target, text))) for key in chosen]


# Text a user could type: every request of a "plain" example reaches its view.
typed_text = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), max_size=30)


@st.composite
def probes(draw, rules, walk: Walk):
    rule = draw(st.sampled_from(rules))
    target = walk.target(rule)
    method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    # Half the examples are strange (NULs, control characters, reserved names, bytes that are not
    # UTF-8, a missing or wrong CSRF token), half plain, so that both the refusals and the views
    # behind them are walked.
    strange = draw(st.booleans())
    text = texts if strange else typed_text
    values = {}
    for name in rule.arguments:
        choices = PATH_VALUES.get(name, [])
        values[name] = draw(st.one_of(st.sampled_from(choices) if choices else st.nothing(), id_values(target), text))
    rare = RESERVED_ARGS if strange else ()
    query = draw(pairs(LIST_ARGS + OTHER_ARGS + target.filter_args, target, 5, text, rare))
    form = None
    if method == "POST":
        form_keys = ["id", "rowid", "rowid", "action", "name", "ids", "entry_id", "url", "value", "next"]
        form = draw(pairs(form_keys + target.form_fields, target, 8, text))
    csrf, raw = "valid", ""
    if strange:
        csrf = draw(st.sampled_from(["valid"] * 4 + ["none", "wrong"]))
        raw = draw(st.sampled_from(["search=%FF%FE", "q=%C3%28", "%FF=1", "search=a%00b", "%00=1"] + [""] * 5))
    return Probe(rule, method, build_path(rule, values), query, form, csrf, raw)


def sweep(walk: Walk, rules) -> None:
    """Every rule and method as every role, twice: plainly with a real id (reads before writes, so
    the writes do not delete what the reads should find), then with an edge id, a page before the
    first, a NUL in form fields and, on every third, one of Flask-Admin's reserved names."""
    requests = sorted(
        ((rule, method) for rule in rules for method in rule.methods - {"HEAD", "OPTIONS"}),
        key=lambda pair: pair[1] != "GET",
    )
    for count, (rule, method) in enumerate(requests):
        target = walk.target(rule)
        real = target.ids[0] if target.ids else "1"
        edge = EDGE_IDS[count % len(EDGE_IDS)]
        for ident, plain in ((real, True), (edge, False)):
            values = {name: (PATH_VALUES.get(name) or [ident])[0] for name in rule.arguments}
            query = [("id", ident)] if plain else [("id", ident), ("page", "-3"), ("next", "/admin/\r\nX-A: 1")]
            if not plain and count % 3 == 0:
                query.append((RESERVED_ARGS[count % len(RESERVED_ARGS)], "x"))
            form = None
            if method == "POST":
                form = [("id", ident), ("rowid", ident)]
                form += [(name, "a" if plain else "a\x00") for name in target.form_fields[:3]]
                form += [("action", action) for action in target.actions[:1]]
            walk.send_all(Probe(rule, method, build_path(rule, values), query, form, "valid"))
    # Every list sorted by each of its columns (and one past them), as the administrator.
    for rule in rules:
        if rule.endpoint.endswith(".index_view"):
            for column in range(walk.target(rule).columns + 1):
                query = [("sort", str(column)), ("desc", str(column % 2)), ("search", "a")]
                walk.send("admin", Probe(rule, "GET", rule.rule, query, None, "valid"))


@pytest.mark.fuzz
def test_every_url_survives_strange_requests(
    app, database, staff, make_contact, make_service, make_socket, make_portal_client
):
    backend = backend_of(database)
    portal_id = seed(app, make_contact, make_service, make_socket, make_portal_client, staff)
    with app.app_context():
        portal_login = db.session.get(Contact, portal_id).portal_login
        test_users = set(db.session.scalars(sa.select(User.id).where(User.username.in_(list(PASSWORDS)))))
    app.config["FUZZ_PORTAL_LOGIN"] = portal_login
    sessions = {role: Session(app, role) for role in ROLES}
    walk = Walk(app, sessions, targets(app, {User: test_users, Contact: {portal_id}}))
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))

    started = time.perf_counter()
    sweep(walk, rules)
    examples = max(50, settings.default.max_examples // len(ROLES))

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(probe=probes(rules, walk))
    def walk_one(probe):
        walk.send_all(probe)

    walk_one()
    seconds = time.perf_counter() - started
    print(
        f"\nurl fuzz ({backend}): {walk.requests} requests, {len(walk.errors)} server errors "
        f"in {seconds:.1f} s; statuses {dict(sorted(walk.statuses.items()))}"
    )
    assert not walk.errors, f"{len(walk.errors)} distinct failures:\n\n" + "\n\n".join(walk.errors.values())
    assert walk.requests >= max(1_000, len(ROLES) * examples)
    # The sessions the walk stands on survived it: it walked as each role to the end.
    assert sessions["staff"].client.get("/admin/").status_code == 200
    assert sessions["portal"].client.get("/portal/").status_code == 200
    # The walk reached the pages, not only the refusals (most rules are the staff's: anonymous and
    # portal requests are turned away, as are half the examples, which are strange on purpose).
    assert walk.statuses.get(200, 0) >= walk.requests // 20
