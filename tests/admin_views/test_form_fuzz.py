"""Property-based fuzzing of every form but the contact form (tests/admin_views/contacts/ has that
one): code lists, invoice groups, the CATV network, services, users, settings, info messages and the
portal's details and password, through the real app with CSRF on.

Hypothesis posts mostly valid forms with junk in a few fields (NUL, U+FFFD, control characters,
huge numbers, decimal commas, very long strings, odd dates), and fully random ones. For each:

* never a 5xx (and never an exception out of the view);
* refused (200): nothing stored, an error shown, and what was typed into a text, number or date
  field shown again as typed (a NUL as U+FFFD, as a browser shows it);
* saved (302): exactly one new row (or the edited one), and it holds what was meant: text as typed,
  numbers and dates as a clerk reads them (450,50 is 450.50); no stored text has control
  characters or U+FFFD, or is longer than its column.

Counts: the "quick" profile (`make test`) tries QUICK_SHARE of its examples per form, a few seconds
in all; the "fuzz" profile (`make fuzz`) its full count, 10,000 per form.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.passwords import check_portal_password
from domain.validators import parse_date, text_input_error
from models import (
    SESSION_IDLE_MINUTES,
    SESSION_LIFETIME_HOURS,
    Building,
    City,
    ClientGroup,
    ClientStatus,
    Contact,
    InfoMessage,
    InvoiceGroup,
    Location,
    PaymentType,
    Service,
    ServiceType,
    Setting,
    Socket,
    Street,
    Switchboard,
    User,
    db,
)
from tests.admin_views.contacts.test_contact_form_fuzz import (
    CHARS,
    DATE_JUNK,
    ID_JUNK,
    NUMBER_JUNK,
    SPECIAL_TEXT,
    post_multipart,
    rendered_value,
    skip_fsync,
)
from tests.helpers import PORTAL_PASSWORD, csrf_token, log_in

# The quick profile's 50 examples would be 50 per form; 20 per form keeps `make test` light.
QUICK_SHARE = 0.4
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")


def examples_per_form() -> int:
    count = settings.default.max_examples
    return count if PROFILE == "fuzz" else max(5, round(count * QUICK_SHARE))


# --- Values ---------------------------------------------------------------------------------------

JUNK_TEXT = st.one_of(
    st.text(CHARS, max_size=24),
    st.sampled_from(SPECIAL_TEXT + ["98\x0076", "bad \ufffd byte", "tab\there", "x" * 65, "x" * 201, "x" * 501]),
)
JUNK_NUMBER = st.one_of(
    st.sampled_from(NUMBER_JUNK + ["450,50", "1 450,50", "1\u00a0450,50", "1,2,3", "9" * 400, str(2**31), str(2**63)]),
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
JUNK_DATE = st.one_of(st.sampled_from(DATE_JUNK), st.dates().map(date.isoformat))
JUNK = {"number": JUNK_NUMBER, "date": JUNK_DATE, "ref": st.sampled_from(ID_JUNK)}
ANY_JUNK = st.one_of(JUNK_TEXT, JUNK_NUMBER, JUNK_DATE, st.sampled_from(ID_JUNK))


def fresh(template: str) -> st.SearchStrategy:
    """A value unique per example (names must be unique): `{n}` is filled in when posting."""
    return st.just(Fresh(template))


@dataclass(frozen=True)
class Fresh:
    template: str


@dataclass(frozen=True)
class Huge:
    """A pasted text of `length` characters, built when posting: a failing example's repr stays short."""

    chunk: str
    length: int


HUGE = st.builds(
    Huge,
    st.sampled_from(["x", "č", "Ž ", "👍", "中文", "a\x00", "\r\n", '<&">', "\u202e"]),
    st.integers(10_000, 200_000),
)


@dataclass
class Input:
    """A form field: what a clerk would type in it, how to read what was stored, how it shows again."""

    valid: st.SearchStrategy
    # text: stored as typed; number / date: stored as read; other: checked only for clean text.
    kind: str = "other"
    strip: bool = False  # a filter strips the text
    junk: st.SearchStrategy | None = None
    stored: bool = True  # False: a rule may clear it on save, so only its redisplay is checked


def text(*valid: str, strip: bool = False, stored: bool = True) -> Input:
    return Input(st.sampled_from(valid), "text", strip, JUNK_TEXT, stored)


def name(template: str, strip: bool = False) -> Input:
    return Input(fresh(template) | st.sampled_from(["Žluťoučký kůň " + template]).map(Fresh), "text", strip, JUNK_TEXT)


def number(low: int, high: int) -> Input:
    return Input(st.integers(low, high).map(str), "number", junk=JUNK_NUMBER)


def money(high: int) -> Input:
    cents = st.integers(0, high * 100)
    comma = cents.map(lambda c: f"{c // 100:,}".replace(",", "\u00a0") + f",{c % 100:02d}")
    point = cents.map(lambda c: f"{c // 100}.{c % 100:02d}")
    return Input(
        st.one_of(comma, point, st.sampled_from(["450,50", "1 450,50", "0", "12,5"])), "number", junk=JUNK_NUMBER
    )


def day() -> Input:
    return Input(st.dates(date(1950, 1, 1), date(2060, 12, 31)).map(date.isoformat), "date", junk=JUNK_DATE)


def choice(*values: str) -> Input:
    return Input(st.sampled_from(values), junk=JUNK_TEXT)


def ref(key: str) -> Input:
    return Input(st.deferred(lambda: st.sampled_from([str(i) for i in REFS[key]])), junk=st.sampled_from(ID_JUNK))


BOOL = Input(st.sampled_from(["y", ""]), junk=st.sampled_from(["", "y", "\x00", "false", "on"]))
REFS: dict[str, list[int]] = {}


@dataclass
class Form:
    name: str
    url: str
    model: type
    fields: dict[str, Input]
    role: str = "admin"
    # Edit forms: the id of the row they edit (None: a create form, which adds a row).
    edit_id: object = None
    stats: Counter = field(default_factory=Counter)


CODE_LIST = {"name": name("Entry {n}", strip=True), "position": number(0, 100000), "hidden": BOOL}
FORMS = [
    Form(
        "client_group", "/admin/client_group/new/", ClientGroup, CODE_LIST | {"description": text("", "VIP\r\nline 2")}
    ),
    Form(
        "client_status",
        "/admin/client_status/new/",
        ClientStatus,
        CODE_LIST
        | {
            "colour": choice("#ff0000", "#00AA00", ""),
            "report_email": Input(
                st.sampled_from(["", "boss@example.cz", "a@example.cz; b@example.cz"]), junk=JUNK_TEXT
            ),
            "report_days": number(1, 3650),
        },
    ),
    Form("location", "/admin/location/new/", Location, CODE_LIST | {"description": text("", "Rack 2")}),
    Form("service_type", "/admin/service_type/new/", ServiceType, CODE_LIST | {"description": text("", "TV")}),
    Form("payment_type", "/admin/payment_type/new/", PaymentType, CODE_LIST | {"is_default": BOOL}),
    Form(
        "invoice_group",
        "/admin/invoice_group/new/",
        InvoiceGroup,
        {
            "name": name("Group {n}"),
            "hidden": BOOL,
            "company_name": name("Firma {n} s.r.o."),
            "company_id": choice("", "25596641"),
            "vat_id": choice("", "CZ25596641"),
            "vat_payer": BOOL,
            "street": text("Hlavní 1", ""),
            "postcode": choice("110 00", ""),
            "city": text("Praha", ""),
            "country": text("CZ"),
            "email": choice("", "fakturace@example.cz"),
            "phone": choice("", "601 123 456"),
            "web": choice("", "www.example.cz"),
            "currency": choice("CZK", "EUR"),
            "due_days": number(0, 3650),
            "bank_account": choice("", "19-2000145399/0800"),
            "iban": choice("", "CZ65 0800 0000 1920 0014 5399"),
            "bic": choice("", "GIBACZPX"),
            "series_prefix": choice("", "2026", "FA"),
            "number_digits": number(1, 6),
            "next_number": number(1, 999),
            "footer": text("", "Thank you.\r\nIBAN below."),
        },
    ),
    Form("city", "/admin/city/new/", City, {"name": name("City {n}")}),
    Form("street", "/admin/street/new/", Street, {"city": ref("city"), "name": name("Street {n}")}),
    Form(
        "building",
        "/admin/building/new/",
        Building,
        {
            "street": ref("street"),
            "number": name("{n}"),
            "name": text("", "Panelák"),
            "floors": number(1, 200),
            "note": text("", "Key at\r\nthe caretaker"),
        },
    ),
    Form(
        "switchboard",
        "/admin/switchboard/new/",
        Switchboard,
        {"building": ref("building"), "name": name("R{n}"), "position": number(1, 8)},
    ),
    Form(
        "socket",
        "/admin/socket/new/",
        Socket,
        {"switchboard": ref("switchboard"), "floor": number(0, 4), "label": name("S{n}")},
    ),
    Form(
        "service",
        "/admin/service/new/",
        Service,
        {
            "contact": ref("contact"),
            "service_type": ref("service_type"),
            "tariff_name": name("Tariff {n}"),
            "price": money(10_000_000),
            "start_date": day(),
            "state": choice("active", "active", "ended"),
            # The fields of other states are cleared on save (domain.services), by design.
            "suspend_reason": text("", stored=False),
            "suspended_from": Input(st.just(""), "date", junk=JUNK_DATE, stored=False),
            "suspended_to": Input(st.just(""), "date", junk=JUNK_DATE, stored=False),
            "end_date": Input(st.just(""), "date", junk=JUNK_DATE, stored=False),
        },
    ),
    Form(
        "user",
        "/admin/user/new/",
        User,
        {
            "username": name("clerk{n}"),
            "full_name": text("Jana Nováková", ""),
            "email": text("", "jana@example.cz"),
            "role": choice("staff", "admin"),
            "active": BOOL,
            "new_password": Input(st.sampled_from(["Correct-Horse-42", "x" * 10]), junk=JUNK_TEXT),
        },
    ),
    Form(
        "setting",
        "/admin/setting/edit/?id=1",
        Setting,
        {
            "client_number_mode": choice("manual", "automatic"),
            "default_country": text("CZ", "SK"),
            "default_due_days": number(0, 3650),
            "min_search_length": number(1, 20),
            "session_idle_minutes": number(*SESSION_IDLE_MINUTES),
            "session_lifetime_hours": number(*SESSION_LIFETIME_HOURS),
            "time_zone": choice("Europe/Prague", "America/New_York"),
        },
        edit_id=1,
    ),
    Form(
        "info_message",
        "/admin/info_message/new/",
        InfoMessage,
        {
            "title": name("Outage {n}"),
            "body": Input(st.sampled_from(["", "<p>Line <b>down</b></p>", "plain"]), junk=JUNK_TEXT),
            "valid_from": day(),
            "valid_to": Input(st.just(""), "date", junk=JUNK_DATE),
            "audience": choice("all"),
            "client_group": Input(st.just(""), junk=st.sampled_from(ID_JUNK)),
            "client_status": Input(st.just(""), junk=st.sampled_from(ID_JUNK)),
            "shown": BOOL,
        },
    ),
    Form(
        "portal_details",
        "/portal/details",
        Contact,
        {
            "email": Input(st.sampled_from(["alice@example.cz", "alice@example.cz; a2@example.cz"]), junk=JUNK_TEXT),
            "invoice_email": Input(st.sampled_from(["", "bills@example.cz"]), junk=JUNK_TEXT),
            "phone": Input(st.sampled_from(["", "222 111 333"]), junk=JUNK_TEXT),
            "mobile": Input(st.sampled_from(["", "777 123 456", "+420 601 123 456"]), junk=JUNK_TEXT),
            "no_bulk_email": BOOL,
        },
        role="portal",
        edit_id="portal",
    ),
    Form(
        "portal_password",
        "/portal/password",
        Contact,
        {
            "old_password": Input(st.just(Fresh("{current}")), junk=JUNK_TEXT),
            "new_password": Input(st.just(Fresh("New-Secret-{n}-xyz")), junk=JUNK_TEXT),
            "repeat": Input(st.just(Fresh("New-Secret-{n}-xyz")), junk=JUNK_TEXT),
        },
        role="portal",
        edit_id="portal",
    ),
]
FORM_NAMES = [form.name for form in FORMS]


def form_strategy(form: Form) -> st.SearchStrategy[dict]:
    """Mostly valid forms with junk in one to three fields (90 %), and fully random ones (10 %)."""
    names = sorted(form.fields)
    own_junk = {
        key: st.one_of(JUNK_TEXT if spec.junk is None else spec.junk, ANY_JUNK) for key, spec in form.fields.items()
    }
    valid = st.fixed_dictionaries({key: spec.valid for key, spec in form.fields.items()})
    mutations = st.lists(st.tuples(st.sampled_from(names), st.integers(0, 99)), max_size=3)

    @st.composite
    def forms(draw) -> dict:
        roll = draw(st.integers(0, 99))
        if roll < 10:
            keys = draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
            return {key: draw(ANY_JUNK) for key in keys}
        data = draw(valid)
        for key, how in draw(mutations):
            if how < 10:
                data.pop(key, None)
            elif how < 14:
                data[key] = draw(HUGE)
            else:
                data[key] = draw(own_junk[key])
        return data

    return forms()


# --- Checking one posted form ---------------------------------------------------------------------


def read_number(typed: str) -> Decimal:
    """How a clerk reads a typed number: spaces group thousands, a comma or a point marks decimals."""
    return Decimal(re.sub(r"[\s\u00a0\u202f]", "", typed).replace(",", ".").replace("\u2212", "-"))


def snapshot(form: Form, row_id) -> tuple:
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(form.model))
    if row_id is None:
        return (rows,)
    row = db.session.get(form.model, row_id)
    db.session.refresh(row)
    return rows, tuple(getattr(row, c.key) for c in form.model.__table__.columns)


def clean_text_problems(row) -> list[str]:
    """What no stored text may have: control characters, U+FFFD, more characters than its column."""
    problems = []
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if not isinstance(value, str):
            continue
        multiline = isinstance(column.type, sa.Text)
        if text_input_error(value, multiline):
            problems.append(f"{column.key}={value!r:.80}")
        length = getattr(column.type, "length", None)
        if length and len(value) > length:
            problems.append(f"{column.key} has {len(value)} > {length} characters")
    return problems


class FormFuzzer:
    def __init__(self, app, client, portal):
        self.app, self.client, self.portal = app, client, portal
        self.counter = itertools.count(1)
        self.portal_password = PORTAL_PASSWORD
        with app.app_context():
            sa.event.listen(db.engine, "connect", skip_fsync)
            db.engine.dispose()
        self.tokens = {"admin": csrf_token(client, "/admin/"), "portal": csrf_token(portal, "/portal/details")}

    def value(self, drawn, n: int) -> str:
        if isinstance(drawn, Fresh):
            return drawn.template.format(n=n, current=self.portal_password)
        if isinstance(drawn, Huge):
            return (drawn.chunk * (drawn.length // len(drawn.chunk) + 1))[: drawn.length]
        return drawn

    def check(self, form: Form, draw: dict) -> None:
        n = next(self.counter)
        data = {key: self.value(value, n) for key, value in draw.items()}
        client = self.portal if form.role == "portal" else self.client
        row_id = PORTAL_CONTACT[0] if form.edit_id == "portal" else form.edit_id
        with self.app.app_context():
            before = snapshot(form, row_id)
            last_id = db.session.scalar(sa.select(sa.func.max(form.model.id)))
        response = post_multipart(client, form.url, {**data, "csrf_token": self.tokens[form.role]})
        status = response.status_code
        assert status in (200, 302), f"{form.name}: {status} for {data!r:.1500}"
        if status == 302:
            assert "login" not in response.headers["Location"], f"{form.name}: logged out"
            form.stats["saved"] += 1
            self._check_saved(form, data, row_id, before, last_id)
        else:
            form.stats["refused"] += 1
            self._check_refused(form, data, row_id, before, response.get_data(as_text=True))

    def _check_saved(self, form: Form, data: dict, row_id, before, last_id) -> None:
        # Flashes of saves pile up in the session cookie until a page shows them; drop them.
        for client in (self.client, self.portal):
            with client.session_transaction() as session:
                session.pop("_flashes", None)
        with self.app.app_context():
            if row_id is None:
                assert snapshot(form, None)[0] == before[0] + 1, f"{form.name}: not one new row"
                row = db.session.scalars(sa.select(form.model).order_by(form.model.id.desc()).limit(1)).one()
                assert row.id != last_id
            else:
                row = db.session.get(form.model, row_id)
            problems = clean_text_problems(row)
            assert not problems, f"{form.name} stored {problems} for {data!r:.1500}"
            for key, spec in form.fields.items():
                if key not in data or spec.kind == "other" or not spec.stored or not hasattr(row, key):
                    continue
                typed, stored = data[key], getattr(row, key)
                if spec.kind == "text":
                    meant = typed.strip() if spec.strip else typed
                    assert stored == meant or (meant == "" and stored is None), (form.name, key, typed, stored)
                elif spec.kind == "number" and typed.strip():
                    assert stored == read_number(typed), (form.name, key, typed, stored)
                elif spec.kind == "date" and typed.strip():
                    assert stored == parse_date(typed), (form.name, key, typed, stored)
            if form.name == "portal_password":
                assert check_portal_password(row, data["new_password"])
                self.portal_password = data["new_password"]

    def _check_refused(self, form: Form, data: dict, row_id, before, html: str) -> None:
        with self.app.app_context():
            assert snapshot(form, row_id) == before, f"{form.name}: a refused form changed data: {data!r:.1500}"
        assert re.search(r'invalid-feedback|alert-danger|class="error"', html), f"{form.name}: no error shown"
        for key, spec in form.fields.items():
            if key not in data or spec.kind == "other":
                continue
            typed = data[key]
            shown = rendered_value(html, key)
            if shown is None:
                continue  # a field the form does not show in this state
            # Admin forms hold a NUL as U+FFFD, the character a browser shows for it.
            meant = typed.replace("\x00", "\ufffd") if form.role == "admin" else typed
            meant = meant.strip() if spec.strip else meant
            assert shown == meant, f"{form.name}.{key}: typed {typed!r:.200}, shown {shown!r:.200}"


PORTAL_CONTACT: list[int] = []


def reference_data(app, make_portal_client, make_socket) -> None:
    chain = make_socket()
    contact_id = make_portal_client(client_number=5001, email="alice@example.cz", invoice_by_email=False)
    PORTAL_CONTACT[:] = [contact_id]
    with app.app_context():
        db.session.add(ServiceType(name="Internet"))
        db.session.commit()
        REFS.update(
            city=[chain.city],
            street=[chain.street],
            building=[chain.building],
            switchboard=[chain.switchboard],
            contact=[contact_id],
            service_type=list(db.session.scalars(sa.select(ServiceType.id))),
        )


def fuzz_form(fuzzer: FormFuzzer, form: Form, count: int) -> None:
    @settings(max_examples=count, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(draw=form_strategy(form))
    def post_one(draw):
        fuzzer.check(form, draw)

    post_one()


@pytest.mark.fuzz
def test_every_form_survives_fuzzing(app, client, make_portal_client, make_socket):
    """Every form, thousands of generated posts in the fuzz profile: no 5xx, nothing stored changed."""
    reference_data(app, make_portal_client, make_socket)
    log_in(client, "admin")
    portal = app.test_client()
    response = portal.post(
        "/portal/login",
        data={"csrf_token": csrf_token(portal, "/portal/login"), "login": "5001", "password": PORTAL_PASSWORD},
    )
    assert response.status_code == 302
    fuzzer = FormFuzzer(app, client, portal)
    count = examples_per_form()
    started = time.perf_counter()
    for form in FORMS:
        fuzz_form(fuzzer, form, count)
    print(
        f"\n{sum(sum(f.stats.values()) for f in FORMS)} forms in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{f.name} {dict(f.stats)}" for f in FORMS)
    )
    # Guard the generator: every form was both saved and refused.
    for form in FORMS:
        assert sum(form.stats.values()) >= count, form.name
        assert form.stats["refused"] and (form.stats["saved"] or count < 20), (form.name, dict(form.stats))
