"""Property-based fuzzing of the "add contact" form through the real app, with CSRF on.

Hypothesis posts thousands of generated forms (mostly valid forms with junk in a few fields, and
fully random forms) as a logged-in staff user and checks for every one:

* never a 5xx and never an exception out of the view (tests raise view exceptions);
* never a half-saved contact: a 302 to the new contact's edit page with exactly one new contact,
  its history entry and its inline persons/notes, or a 200 with nothing saved at all;
* on a 200 every typed text value comes back verbatim in the re-rendered form.

The product bugs the fuzzing found are listed in KNOWN_BUGS. The fuzz test tolerates exactly
those (matched by input *and* by the exception or deviation they cause) so that it guards
against everything else, and each one has a strict-xfail regression test at the bottom of this
file that shows the bug with minimal inputs. Once the product is fixed, the xfail test turns
into an XPASS failure: remove its mark and the bug's KNOWN_BUGS entry.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from html import unescape

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import stream_encode_multipart

from models import (
    MAX_VARIABLE_SYMBOL,
    Building,
    ChangeLog,
    City,
    ClientGroup,
    ClientStatus,
    Contact,
    ContactPerson,
    InvoiceGroup,
    Location,
    Note,
    PaymentType,
    Setting,
    Socket,
    SocketAssignment,
    Street,
    Switchboard,
    User,
    db,
)
from tests.helpers import PostgresDatabase, csrf_token, log_in

NEW_URL = "/admin/contact/new/"
EDIT_LOCATION = re.compile(r"(?:https?://[^/]+)?/admin/contact/edit/\?id=(\d+)")

# How many forms: the Hypothesis profile decides (tests/conftest.py, HYPOTHESIS_PROFILE): "quick",
# the default for `make test`, 50; "fuzz", `make fuzz`, 10,000. Each costs ~33 ms of CPU, 85 % of
# it the app re-rendering the form (two 264-option country selects). SQLite runs the profile's full
# count. The PostgreSQL run repeats the whole suite and costs more wall time per example (a server
# round trip per query), so it gets a 15 % sample of the same generator: the form handling is
# backend-independent; what differs is how PostgreSQL reacts to the saved values (NUL characters,
# numeric overflow), which the regression tests below pin down. (2,000 examples on PostgreSQL pass
# too, in ~130 s.)
POSTGRESQL_SHARE = 0.15


def example_count(backend: str) -> int:
    """The forms to try on `backend`: the active Hypothesis profile's max_examples, or a share of it."""
    count = settings.default.max_examples
    return count if backend == "sqlite" else max(1, round(count * POSTGRESQL_SHARE))


# --- The form's fields --------------------------------------------------------------------------

# Every field of the add form (FORM_RULES in admin_views/contacts.py) and the kind of value it takes.
FIELD_KINDS = {
    "client_number": "vs",
    "name": "required_text",
    "is_corporate": "bool",
    "company_name": "text",
    "contact_person": "text",
    "company_id": "company_id",
    "vat_id": "vat_id",
    "street": "required_text",
    "postcode": "postcode",
    "city": "required_text",
    "country": "country",
    "gps": "gps",
    "floor": "short_text",
    "flat": "short_text",
    # The cascading socket picker: four helper lookups (never stored) and the socket itself.
    "catv_city": "catv_city",
    "catv_street": "catv_street",
    "catv_building": "catv_building",
    "catv_switchboard": "catv_switchboard",
    "socket": "socket",
    "has_different_address": "bool",
    "install_street": "text",
    "install_postcode": "postcode",
    "install_city": "text",
    "install_country": "country",
    "install_gps": "gps",
    "install_floor": "short_text",
    "install_flat": "short_text",
    "id_number": "text",
    "birth_date": "date",
    "email": "email",
    "invoice_email": "email",
    "tech_email": "email",
    "business_email": "email",
    "phone": "phone",
    "mobile": "phone",
    "fax": "phone",
    "www": "www",
    "is_marked": "bool",
    "marked_reason": "long_text",
    "no_bulk_email": "bool",
    "show_info_messages": "bool",
    "portal_login": "text",
    "portal_enabled": "bool",
    "generate_password": "bool",
    "client_group": "client_group",
    "client_status": "client_status",
    "location": "location",
    "internal_note_1": "long_text",
    "internal_note_2": "long_text",
    "invoice_group": "invoice_group",
    "payment_type": "payment_type",
    "bulk_payment_number": "text",
    "invoice_by_post": "bool",
    "invoice_by_email": "bool",
    "no_auto_reminders": "bool",
    "issue_proforma": "bool",
    "bank_account": "bank_account",
    "iban": "iban",
    "bic": "bic",
    "invoicing_day": "int",
    "due_days": "int",
    "opening_balance": "decimal",
    "suspend_mode": "suspend_mode",
    "suspend_min_amount": "decimal",
    "suspend_days_after_due": "int",
    "extra_vs_1": "vs",
    "extra_vs_2": "vs",
    "extra_vs_3": "vs",
    "contract_returned": "bool",
    "hide_overdue": "bool",
    "no_payment_notifications": "bool",
    # Rendered only with the duplicate warning, but always accepted.
    "save_anyway": "bool",
    # The edit form's optimistic-locking marks (hidden); the add form must ignore them.
    "opened_version": "hidden",
    "history_mark": "hidden",
    "opened_values": "hidden",
}
FIELD_NAMES = sorted(FIELD_KINDS)
INLINE_PREFIXES = ("persons", "notes")

# Fields a save needs; a form without a value in one of them must come back (200), never save.
REQUIRED = (
    "name",
    "street",
    "city",
    "postcode",
    "country",
    "invoice_group",
    "payment_type",
    "invoicing_day",
    "due_days",
)
MAX_LENGTHS = {"name": 200, "street": 200, "city": 100}

# Fields whose typed value the re-rendered form must show exactly as typed. Left out: fields whose
# validators store a normalised value into the field (postcode, e-mails, company/VAT ids, bank
# details, web: after an error elsewhere they show the normalised form, which is intended),
# portal_login (a strip filter), booleans and selects.
VERBATIM_FIELDS = (
    "birth_date",
    "name",
    "street",
    "city",
    "internal_note_1",
    "internal_note_2",
    "marked_reason",
    "company_name",
    "contact_person",
    "floor",
    "flat",
    "install_street",
    "install_city",
    "install_floor",
    "install_flat",
    "id_number",
    "bulk_payment_number",
    "client_number",
    "extra_vs_1",
    "extra_vs_2",
    "extra_vs_3",
    "gps",
    "install_gps",
    "phone",
    "mobile",
    "fax",
    "invoicing_day",
    "due_days",
    "opening_balance",
    "suspend_min_amount",
    "suspend_days_after_due",
)
VERBATIM_INLINE = {"persons": ("name", "role", "phone"), "notes": ("text",)}

# Babel's territory list, from which the country choices come, has codes that are no country.
STRIPPED_FIELDS = ("name", "street", "city")
PSEUDO_COUNTRIES = ("EU", "EZ", "QO", "UN", "XA", "XB", "ZZ")
NUMERIC_12_2_LIMIT = Decimal("9999999999.995")  # what numeric(12, 2) can hold after rounding


def first(data: dict, key: str) -> str | None:
    """The value the server reads for `key` (the first one when the key is repeated)."""
    value = data.get(key)
    return value[0] if isinstance(value, list) else value


def values_of(data: dict) -> list[str]:
    return [v for value in data.values() for v in (value if isinstance(value, list) else [value])]


def inline_indices(data: dict, prefix: str) -> list[int]:
    """The entries WTForms' FieldList makes of `prefix-N-…` keys, exactly as it computes them."""
    found = set()
    for key in data:
        if key.startswith(prefix):
            index = key[len(prefix) + 1 :].split("-", 1)[0]
            # The app drops keys that are not plain ASCII field names ("persons-²-name").
            if index.isdigit() and key.isascii():
                found.add(int(index))
    return sorted(found)


def as_decimal(value: str | None) -> Decimal | None:
    """The decimal WTForms' DecimalField makes of a value, or None when it refuses it."""
    try:
        return None if value is None else Decimal(value)
    except (InvalidOperation, ValueError):
        return None


# --- Known product bugs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownBug:
    id: str
    summary: str
    backends: tuple[str, ...]
    triggered: Callable[[dict], bool]
    # For bugs that raise out of the view: whether an exception is this bug's.
    raises: Callable[[BaseException], bool] | None = None


# Empty since B8 was fixed; the machinery stays for the next one the fuzzing finds.
KNOWN_BUGS: list[KnownBug] = []


def bugs_for(backend: str) -> dict[str, KnownBug]:
    return {bug.id: bug for bug in KNOWN_BUGS if backend in bug.backends}


def bug_reason(bug_id: str) -> str:
    return f"{bug_id}: " + next(bug.summary for bug in KNOWN_BUGS if bug.id == bug_id)


# --- Generated values -----------------------------------------------------------------------------

# UTF-8 cannot encode lone surrogates, so the test client could not even send them; all else goes.
CHARS = st.characters(codec="utf-8")
SPECIAL_TEXT = [
    "",
    " ",
    "   ",
    "\t",
    "\x00",
    "a\x00b",
    "\r\n",
    "line 1\r\nline 2",
    "line 1\nline 2\n",
    "\r",
    "\x1b[31m",
    "\x7f\x80\x9f",
    "\ufeff",
    "\u200b",
    "\u202eevil",
    "שלום עולם",
    "مرحبا بالعالم",
    "e\u0301\u0301\u0301",
    "Z\u0351\u0364\u036b\u0300a\u0346\u0350lgo",
    "👨‍👩‍👧‍👦",
    "🇨🇿",
    "😀" * 3,
    "Žluťoučký kůň úpěl ďábelské ódy",
    "<script>alert(1)</script>",
    "</textarea><b>x</b>",
    '"><img src=x>',
    "&amp;&lt;&#0;",
    "'; DROP TABLE contact;--",
    "%s%n%x",
    "{{ 7*7 }}",
    "$CLI_NAME$",
    "\\",
    "null",
    "None",
    "undefined",
    "  padded  ",
    "\U0010ffff",
    "\ufffd",
]
NUMBER_JUNK = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1",
    "28",
    "29",
    "3650",
    "3651",
    "1.5",
    "1,5",
    "1e3",
    "1E+2",
    "0x1F",
    "1_000",
    " 7 ",
    "+5",
    "٣",
    "١٢",
    "１２",
    "²",
    "Ⅻ",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e20",
    "-1e20",
    "1e-20",
    "9999999999.99",
    "10000000000",
    "99999999999999999999",
    "9" * 5000,
    "12a",
    "abc",
    "true",
]
VS_JUNK = [
    "0",
    "00",
    "-5",
    "12a",
    "12345678901",
    "9999999999",
    "00000000001",
    "１２３",
    "٣٤٥",
    "1.0",
    " 42 ",
    "+5",
    "1e3",
    "²",
    "1 000",
]
DATE_JUNK = [
    "31.12.1980",
    "12/31/1980",
    "1980-02-30",
    "1980-13-01",
    "1980-1-1",
    "19800101",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "1980-01-01T00:00",
    "1980-01-01 ",
    "today",
    "-1980-01-01",
    "１９８０-０１-０１",
    (date.today() + timedelta(days=1)).isoformat(),
]
GPS_VALID = [
    "50.0755, 14.4378",
    "50.0755 14.4378",
    "-33.865, 151.209444",
    "50°4'31.8\"N 14°26'16.1\"E",
    "33°51'54\"S 151°12'34\"E",
    "14°26'16.1\"E 50°4'31.8\"N",
    "0, 0",
    "90, 180",
    "-90, -180",
    "50.0755247N, 14.4378006E",
    "50,0755, 14,4378",
    "50,0755 14,4378",
]
GPS_JUNK = [
    "north",
    "95.1, 14.4",
    "50.1, 181",
    "50°61'0\"N 14°0'0\"E",
    "1, 2, 3",
    "50,1,14",
    "٥٠.١, ١٤.٢",
    "50.1",
    "50.1, 14.4x",
    "999°0'0\"N 1°0'0\"E",
    "1" * 400 + ", 1",
    "50.0755,14.4378;",
    "+-1, 2",
]
EMAIL_JUNK = [
    "broken@@example",
    "a@b",
    "@",
    "a@",
    "@example.cz",
    "jan novak@example.cz",
    "jan@příklad.cz",
    "x" * 300 + "@example.cz",
    "a@b.cz\x00",
    "ok@example.cz, broken@@example",
    ";;;",
    ", ,",
    ";".join(f"a{i}@example.cz" for i in range(40)),
    "JAN@EXAMPLE.CZ",
    '"quoted"@example.cz',
]
PHONE_VALID = ["601 123 456", "+420 601 123 456", "+421 905 123 456", "222 111 333", "+49 30 901820", "00420601123456"]
PHONE_JUNK = [
    "12",
    "+999 1",
    "601123456789012345678901",
    "+420 ٦٠١ ١٢٣ ٤٥٦",
    "call me",
    "+",
    "++420601123456",
    "601-123-456 ext. 5",
    "1" * 300,
]
POSTCODE_VALID = ["110 00", "11000", "602 00", "12-345", "12345", "1234", "SW1A 1AA"]
POSTCODE_JUNK = ["1", "110 000", "ABCDE", "١١٠٠٠", "１１０００", "110\u00a000", "-", "1" * 20, "ß1234"]
COUNTRY_JUNK = ["cz", "CZE", "C", "XX", "Z\x00", "ČR", "AA", "1", "__None", *PSEUDO_COUNTRIES]
ID_JUNK = ["", "__None", "0", "-1", "999999", "abc", "1.0", " 1", "1e3", "99999999999999999999", "٣", "None", "null"]
BOOL_VALUES = ["y", "", "false", "False", "0", "n", "no", "on", "true", "1", "\x00"]


def repeat_to(chunk: str, length: int) -> str:
    return (chunk * (length // len(chunk) + 1))[:length]


# Huge strings are built by repetition: drawing 200,000 characters one by one would take seconds.
HUGE_TEXT = st.builds(
    repeat_to,
    st.one_of(
        st.sampled_from(["x", "č", "Ž ", "👍", "中文", "a\x00", "\r\n", '<&">', "\u202e"]),
        st.text(CHARS, min_size=1, max_size=12),
    ),
    st.integers(10_000, 200_000),
)
TEXT = st.one_of(st.text(CHARS, max_size=24), st.sampled_from(SPECIAL_TEXT))


PERCENT = st.integers(0, 99)


def kind_strategies(refs: dict[str, list[int]]) -> dict[str, st.SearchStrategy[str]]:
    """Junk, plus valid values, per kind of field."""
    ids = {
        name: st.sampled_from(ID_JUNK)
        | st.sampled_from([str(i) for i in refs[name]])
        | st.integers(-(10**12), 10**12).map(str)
        for name in refs
    }
    numbers = st.sampled_from(NUMBER_JUNK) | st.integers(-(10**6), 10**6).map(str)
    separators = st.sampled_from([", ", ";", " ; ", ","])
    return {
        "vs": st.sampled_from(VS_JUNK) | st.integers(0, 2 * MAX_VARIABLE_SYMBOL).map(str) | TEXT,
        "required_text": st.sampled_from(["", " ", "\t", "x" * 201, "Ž" * 101]) | TEXT,
        "text": TEXT | st.sampled_from(["x" * 17, "x" * 33, "x" * 65, "x" * 201]),
        "short_text": TEXT | st.sampled_from(["x" * 16, "x" * 17, "1.", "-1", "přízemí"]),
        "long_text": TEXT,
        "bool": st.sampled_from(BOOL_VALUES) | TEXT,
        "company_id": st.sampled_from(
            ["25596641", "2559 6641", "25596642", "123456789", "0", "abc", "２５５９６６４１", "²5596641"]
        )
        | TEXT,
        "vat_id": st.sampled_from(["CZ25596641", "25596641", "cz25596641", "CZ1", "SK2020000000", "CZ" + "1" * 20])
        | TEXT,
        "bank_account": st.sampled_from(
            ["19-2000145399/0800", "19-2000145398/0800", "2000145399/0800", "/0800", "1/1", "19-2000145399/08000"]
        )
        | TEXT,
        "iban": st.sampled_from(
            ["CZ65 0800 0000 1920 0014 5399", "CZ6508000000192000145398", "DE89370400440532013000", "XX00"]
        )
        | TEXT,
        "bic": st.sampled_from(["GIBACZPX", "GIBA", "GIBACZPXXXX", "gibaczpx", "12345678"]) | TEXT,
        "www": st.sampled_from(
            [
                "www.example.cz",
                "https://example.cz/x?y=1",
                "ftp://example.cz",
                "not a url",
                "http://ex ample.cz",
                "javascript:alert(1)",
                "x" * 300 + ".cz",
                "http://příklad.cz",
                "http://[::1]/",
                "https://",
            ]
        )
        | TEXT,
        "postcode": st.sampled_from(POSTCODE_VALID + POSTCODE_JUNK) | TEXT,
        "country": st.sampled_from(refs["countries"]) | st.sampled_from(COUNTRY_JUNK) | TEXT,
        "gps": st.sampled_from(GPS_VALID + GPS_JUNK)
        | st.tuples(st.floats(-100, 100), st.floats(-200, 200)).map(lambda p: f"{p[0]}, {p[1]}")
        | TEXT,
        "date": st.sampled_from(DATE_JUNK)
        | st.dates().map(date.isoformat)
        | st.dates().map(lambda d: d.strftime("%d.%m.%Y"))
        | TEXT,
        "email": st.sampled_from(EMAIL_JUNK)
        | st.tuples(st.lists(st.emails(), min_size=1, max_size=3), separators).map(lambda pair: pair[1].join(pair[0]))
        | TEXT,
        "phone": st.sampled_from(PHONE_VALID + PHONE_JUNK) | st.text("+0123456789 -()/", max_size=25) | TEXT,
        "int": numbers,
        "decimal": numbers | st.decimals(allow_nan=True, allow_infinity=True).map(str) | st.floats().map(str),
        "suspend_mode": st.sampled_from(["global", "individual", "never", "", "GLOBAL", "none"]) | TEXT,
        "hidden": st.sampled_from(ID_JUNK) | TEXT,
        **ids,
    }


INLINE_INDEX = st.sampled_from(["0", "0", "0", "1", "1", "2", "5"])
ODD_INLINE_INDEX = st.sampled_from(["00", "01", "10", "٣", "-1", "x", "", "²", "①"])
INLINE_KEY_FORMATS = st.sampled_from(
    ["persons-{}-name"] * 3
    + ["persons-{}-role", "persons-{}-email", "persons-{}-phone", "persons-{}-id", "persons-{}-x", "persons-{}"]
    + ["notes-{}-text"] * 3
    + ["notes-{}-id", "notes-{}-author_id", "notes-{}-created_at"]
)
DELETE_KEY_FORMATS = st.sampled_from(["del-persons-{}", "del-notes-{}"])
# Keys no field has. Kept to characters the test client writes into a multipart header unharmed.
STRAY_KEY = st.text(
    st.characters(categories=("Ll", "Lu", "Nd"), max_codepoint=0x17F) | st.sampled_from("_-."), min_size=1, max_size=15
)
FIELD_NAME = st.sampled_from(FIELD_NAMES)
# Fields a clerk may paste a huge text into.
HUGE_TARGETS = st.sampled_from(
    [
        "name",
        "street",
        "city",
        "company_name",
        "internal_note_1",
        "internal_note_2",
        "marked_reason",
        "id_number",
        "persons-0-name",
        "notes-0-text",
        "email",
    ]
)


@st.composite
def inline_key(draw) -> str:
    """persons-N-… / notes-N-… keys: mostly ordinary, some odd indices (rarely one that crashes: B11), rarely del-."""
    roll = draw(PERCENT)
    index = draw(ODD_INLINE_INDEX if roll < 15 else INLINE_INDEX)
    return draw(DELETE_KEY_FORMATS if roll % 20 == 7 else INLINE_KEY_FORMATS).format(index)


INLINE_KEY = inline_key()


class Fresh:
    """A value made unique per posted example (client number, e-mail, mobile, ...), from a counter."""

    def __init__(self, template: str):
        self.template = template

    def __repr__(self) -> str:
        return f"Fresh({self.template!r})"

    def make(self, n: int) -> str:
        return self.template.format(n=n, vs=100_000_000 + n, six=f"{n % 1_000_000:06d}", ico=company_id(n))


def company_id(n: int) -> str:
    """A valid Czech company ID (IČO) made of n: seven digits and the mod-11 check digit."""
    digits = f"{n % 10**7:07d}"
    total = sum(int(digit) * weight for digit, weight in zip(digits, range(8, 1, -1)))
    return digits + str((11 - total % 11) % 10)


NAMES = st.sampled_from(
    [
        "Novák Jan",
        "Dvořák Petr",
        "Svobodová Marie",
        "Černý Tomáš",
        "O'Brien Seán",
        "Müller & Söhne",
        "Ng 吴",
        "كريم",
        "Zoë Ünal",
    ]
)
BOOL_FIELDS = [n for n, k in FIELD_KINDS.items() if k == "bool" and n != "is_corporate"]


def form_strategies(refs: dict[str, list[int]]) -> st.SearchStrategy[dict]:
    """Mostly valid forms with junk in some fields (90 %), and fully random forms (10 %).

    Every strategy is built once here: strategies made per draw (flatmap, one_of in a loop)
    cost Hypothesis a validation each time, which doubled the run time.
    """
    kinds = kind_strategies(refs)
    any_junk = st.one_of(list(kinds.values()))
    own_or_any = {key: st.one_of(kinds[kind], any_junk) for key, kind in FIELD_KINDS.items()}
    other_junk = TEXT | st.sampled_from(NUMBER_JUNK)  # for inline and stray keys
    ids = {name: st.sampled_from([str(i) for i in refs[name]]) for name in refs}
    optional_groups = st.lists(
        st.sampled_from(
            [
                "email",
                "mobile",
                "id",
                "gps",
                "company",
                "install",
                "bank",
                "flags",
                "notes",
                "classification",
                "suspend",
                "portal",
            ]
        ),
        max_size=6,
        unique=True,
    )
    inline_count = st.integers(0, 2)
    person_names = st.sampled_from(["Nováková Eva", "Jan", "👍"])
    roles = st.sampled_from(["", "wife", "accountant"])
    note_texts = st.sampled_from(["Wants fibre", "Dog!", "line 1\r\nline 2"])
    birth_dates = st.dates(date(1900, 1, 1), date(2010, 1, 1)).map(date.isoformat)
    flags = st.lists(st.sampled_from(BOOL_FIELDS), max_size=4)
    mutation_count = st.sampled_from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 4])
    yes_or_no = st.sampled_from(["y", ""])
    valid_gps = st.sampled_from(GPS_VALID)
    repeats = st.lists(any_junk, min_size=1, max_size=2)
    random_key_count = st.integers(0, 20)

    def junk_value(draw, key: str):
        value = draw(own_or_any.get(key, other_junk))  # own kind of junk, or a wrong type
        if draw(PERCENT) < 5:  # the key repeated with several values; the server reads the first
            value = [value, *draw(repeats)]
        return value

    def any_key(draw) -> str:
        roll = draw(PERCENT)
        return draw(INLINE_KEY) if roll < 15 else draw(STRAY_KEY) if roll < 20 else draw(FIELD_NAME)

    def mostly_valid(draw) -> dict:
        data = {
            "client_number": Fresh("{vs}"),
            "name": draw(NAMES),
            "street": "Hlavní 12",
            "postcode": "110 00",
            "city": "Praha",
            "country": "CZ",
            "invoice_group": draw(ids["visible_invoice_groups"]),
            "payment_type": draw(ids["plain_payment_types"]),
            "invoicing_day": str(1 + draw(PERCENT) % 28),
            "due_days": str(draw(PERCENT)),
            "opening_balance": "0",
            "suspend_mode": "global",
        }
        for group in draw(optional_groups):
            data.update(
                {
                    "email": lambda: {"email": Fresh("c{n}@example.cz"), "invoice_by_email": "y"},
                    "mobile": lambda: {"mobile": Fresh("+420 601 {six}")},
                    "id": lambda: {"id_number": Fresh("ID{n}"), "birth_date": draw(birth_dates)},
                    "gps": lambda: {"gps": draw(valid_gps)},
                    "company": lambda: {
                        "is_corporate": "y",
                        "company_name": "Firma s.r.o.",
                        "company_id": Fresh("{ico}"),
                        "vat_id": "CZ25596641",
                        "contact_person": "Eva",
                    },
                    "install": lambda: {
                        "has_different_address": "y",
                        "install_street": "Polní 3",
                        "install_postcode": "602 00",
                        "install_city": "Brno",
                        "install_country": "CZ",
                        "install_gps": "49.19, 16.6",
                    },
                    "bank": lambda: {
                        "bank_account": "19-2000145399/0800",
                        "iban": "CZ65 0800 0000 1920 0014 5399",
                        "bic": "GIBACZPX",
                        "www": "www.example.cz",
                        "opening_balance": "-150.50",
                    },
                    "flags": lambda: dict.fromkeys(draw(flags), "y"),
                    "notes": lambda: {
                        "internal_note_1": draw(TEXT),
                        "internal_note_2": "gate code 42",
                        "marked_reason": draw(TEXT),
                    },
                    "classification": lambda: {
                        name: draw(ids[name]) for name in ("client_group", "client_status", "location")
                    },
                    "suspend": lambda: {
                        "suspend_mode": "individual",
                        "suspend_min_amount": "500",
                        "suspend_days_after_due": "10",
                        "extra_vs_1": Fresh("7{n}"),
                    },
                    "portal": lambda: {"portal_login": Fresh("login{n}"), "portal_enabled": "y"},
                }[group]()
            )
        if draw(PERCENT) < 8:  # an e-mail other contacts have: the duplicate warning, or saved anyway
            data.update({"email": "shared@example.cz", "save_anyway": draw(yes_or_no)})
        for i in range(draw(inline_count)):
            data.update(
                {
                    f"persons-{i}-name": draw(person_names),
                    f"persons-{i}-role": draw(roles),
                    f"persons-{i}-email": Fresh(f"p{i}-{{n}}@example.cz"),
                }
            )
        for i in range(draw(inline_count)):
            data[f"notes-{i}-text"] = draw(note_texts)
        # The junk: replaced values (own kind or a wrong type), stray keys, repeated and dropped keys.
        for _ in range(draw(mutation_count)):
            key = any_key(draw)
            data[key] = junk_value(draw, key)
        if draw(PERCENT) < 20:  # drop a key or two, required ones included
            for _ in range(1 + draw(PERCENT) % 2):
                keys = sorted(data)
                del data[keys[draw(PERCENT) % len(keys)]]
        return data

    def fully_random(draw) -> dict:
        data = {}
        for _ in range(draw(random_key_count)):
            key = any_key(draw)
            data[key] = junk_value(draw, key)
        return data

    @st.composite
    def forms(draw) -> dict:
        data = fully_random(draw) if draw(PERCENT) < 10 else mostly_valid(draw)
        data.pop("csrf_token", None)
        if draw(PERCENT) < 4:  # a huge pasted text
            data[draw(HUGE_TARGETS)] = draw(HUGE_TEXT)
        return data

    return forms()


# --- Reading the response -------------------------------------------------------------------------


def rendered_value(html: str, field_id: str) -> str | None:
    """The value an <input> or <textarea> with this id shows, html-unescaped; None when absent.

    WTForms' TextArea widget writes "\\r\\n" right after <textarea> because an HTML parser drops
    the first newline there; exactly that prefix is removed, nothing else is stripped. We compare
    the server's output, not a browser's DOM: a browser would further turn NUL into U+FFFD and
    normalise newlines when submitting, but what the server sent back is what we must check.
    """
    at = html.find(f' id="{field_id}"')
    if at == -1:
        return None
    start = html.rfind("<", 0, at)
    end = html.find(">", at)
    tag = html[start : end + 1]
    if tag.startswith("<textarea"):
        content = html[end + 1 : html.find("</textarea>", end)]
        assert content.startswith("\r\n"), f"textarea {field_id} lacks WTForms' leading newline"
        return unescape(content[2:])
    assert tag.startswith("<input"), f"{field_id} is rendered as {tag[:60]!r}"
    value = re.search(r'\svalue="([^"]*)"', tag)
    return unescape(value.group(1)) if value else ""


ROW_COUNTS = sa.select(
    *(
        sa.select(sa.func.count()).select_from(model).scalar_subquery()
        for model in (Contact, ContactPerson, Note, ChangeLog, SocketAssignment)
    )
)


def post_multipart(client, url: str, data: dict):
    """POST `data` as multipart/form-data, as the admin form does (its enctype).

    Encoded here in memory: the test client would spool a body over 500 kB to a temporary file
    it never closes (a ResourceWarning, an error under filterwarnings=error).
    """
    body, _length, boundary = stream_encode_multipart(data, use_tempfile=False)
    return client.post(url, data=body.getvalue(), content_type=f"multipart/form-data; boundary={boundary}")


def skip_fsync(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA synchronous = OFF")
        dbapi_connection.execute("PRAGMA journal_mode = MEMORY")
    else:
        dbapi_connection.autocommit = True  # a SET inside a transaction would be rolled back with it
        dbapi_connection.execute("SET synchronous_commit TO OFF")
        dbapi_connection.autocommit = False


class Fuzzer:
    """One app, one database and one logged-in client for all examples."""

    def __init__(self, app, client, backend: str):
        self.app, self.client, self.backend = app, client, backend
        with app.app_context():
            # Thousands of commits: the throwaway test database need not survive a power cut, and
            # without an fsync per commit the run is faster (on a busy disk, much faster).
            sa.event.listen(db.engine, "connect", skip_fsync)
            db.engine.dispose()  # the connections pooled so far reconnect with it
        self.counter = itertools.count(1)
        self.examples = 0
        self.stats: Counter[str] = Counter()
        self.automatic = False
        self.known_bugs = bugs_for(backend)
        self.refs = self._reference_data()
        log_in(client, "staff")
        self.token = csrf_token(client, NEW_URL)
        with app.app_context():
            self.staff_id = db.session.scalar(sa.select(User.id).where(User.username == "staff"))
        self.form_memory_limit = app.config["MAX_FORM_MEMORY_SIZE"]
        self.saves_in_a_row = 0
        self.refresh_counts()

    def _reference_data(self) -> dict[str, list[int]]:
        from admin_views.contacts.form_fields import country_choices

        with self.app.app_context():
            groups = [
                InvoiceGroup(name=n, company_name=f"{n} s.r.o.", hidden=n == "Hidden")
                for n in ("Main", "Second", "Hidden")
            ]
            codes = [cls(name=f"{cls.__name__} {i}") for cls in (ClientGroup, ClientStatus, Location) for i in (1, 2)]
            city = City(name="Praha")
            street = Street(city=city, name="Hlavní")
            building = Building(street=street, number="12", floors=4)
            switchboard = Switchboard(building=building, name="R1", position=1)
            sockets = [Socket(switchboard=switchboard, floor=f, label=f"{f}A") for f in (1, 2, 3)]
            db.session.add_all(groups + codes + sockets)
            db.session.commit()
            payment_types = db.session.scalars(sa.select(PaymentType)).all()
            return {
                "invoice_group": [g.id for g in groups],
                "visible_invoice_groups": [g.id for g in groups if not g.hidden],
                "payment_type": [p.id for p in payment_types],
                "plain_payment_types": [p.id for p in payment_types if p.system_code != "bulk_payment"],
                "client_group": [c.id for c in codes if isinstance(c, ClientGroup)],
                "client_status": [c.id for c in codes if isinstance(c, ClientStatus)],
                "location": [c.id for c in codes if isinstance(c, Location)],
                "socket": [s.id for s in sockets],
                "catv_city": [city.id],
                "catv_street": [street.id],
                "catv_building": [building.id],
                "catv_switchboard": [switchboard.id],
                "countries": [code for code, _ in country_choices()],
            }

    def refresh_counts(self) -> tuple[int, ...]:
        with self.app.app_context():
            self.last_counts = tuple(db.session.execute(ROW_COUNTS).one())
        return self.last_counts

    def set_mode(self, automatic: bool) -> None:
        if automatic != self.automatic:
            with self.app.app_context():
                db.session.get(Setting, 1).client_number_mode = "automatic" if automatic else "manual"
                db.session.commit()
            self.automatic = automatic

    def check(self, form: dict, multipart: bool, automatic: bool) -> None:
        n = next(self.counter)
        self.examples = n
        data = {
            key: (
                [v.make(n) if isinstance(v, Fresh) else v for v in value]
                if isinstance(value, list)
                else value.make(n)
                if isinstance(value, Fresh)
                else value
            )
            for key, value in form.items()
        }
        self.set_mode(automatic)
        bugs = {bug_id for bug_id, bug in self.known_bugs.items() if bug.triggered(data)}
        before = self.last_counts  # nothing else writes to the database between examples
        try:
            if multipart:
                response = post_multipart(self.client, NEW_URL, {**data, "csrf_token": self.token})
            else:
                response = self.client.post(NEW_URL, data={**data, "csrf_token": self.token})
        except Exception as exc:
            known = [b for b in sorted(bugs) if self.known_bugs[b].raises and self.known_bugs[b].raises(exc)]
            if not known:
                raise
            self.stats[f"known bug {known[0]}"] += 1
            assert self.refresh_counts() == before, "a save that raised left rows behind"
            return

        status = response.status_code
        if (
            status == 413
            and "B12" in bugs
            and multipart
            and max(len(v.encode()) for v in values_of(data)) > self.form_memory_limit - 1024
        ):
            # Werkzeug refused the form before the view saw it (a text part over MAX_FORM_MEMORY_SIZE).
            self.stats["known bug B12"] += 1
            assert self.refresh_counts() == before
            return
        assert status < 500, f"{status} for {data!r:.2000}"
        if status == 302:
            self._check_saved(data, bugs, response, before)
        elif status == 200:
            self.saves_in_a_row = 0
            self._check_refused(data, bugs, response.get_data(as_text=True), before)
        else:
            raise AssertionError(f"unexpected {status} for {data!r:.2000}")

    def _check_saved(self, data: dict, bugs: set[str], response, before) -> None:
        self.stats["302 saved"] += 1
        # The flashes of saves pile up in the session cookie until a page is rendered (a browser
        # follows the redirect at once); drop them before the cookie outgrows 4 kB.
        self.saves_in_a_row += 1
        if self.saves_in_a_row == 5:
            with self.client.session_transaction() as session:
                session.pop("_flashes", None)
            self.saves_in_a_row = 0
        location = EDIT_LOCATION.fullmatch(response.headers["Location"])
        assert location, f"302 to {response.headers['Location']}"
        contact_id = int(location.group(1))

        for name in REQUIRED + (() if self.automatic else ("client_number",)):
            value = first(data, name)
            if value is None or value == "":
                raise AssertionError(f"saved without {name}: {data!r:.2000}")
            if name in MAX_LENGTHS:
                assert len(value) <= MAX_LENGTHS[name], f"saved a {len(value)}-character {name}"
        # A row ticked for deletion (del-persons-N) is not saved: on a new contact every row is new.
        persons = [
            first(data, f"persons-{i}-name") for i in inline_indices(data, "persons") if f"del-persons-{i}" not in data
        ]
        notes = [first(data, f"notes-{i}-text") for i in inline_indices(data, "notes") if f"del-notes-{i}" not in data]

        with self.app.app_context():
            contact = db.session.get(Contact, contact_id)
            assert contact is not None and contact.deleted_at is None
            after = self.last_counts = tuple(db.session.execute(ROW_COUNTS).one())
            saved_persons = [p.name for p in contact.persons]
            saved_notes = [(note.text, note.author_id) for note in contact.notes]
            history = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id)).all()

            assert after[0] == before[0] + 1, "not exactly one new contact"
            assert after[1] - before[1] == len(saved_persons), "persons saved for another contact"
            assert after[2] - before[2] == len(saved_notes), "notes saved for another contact"
            assert after[3] == before[3] + 1 and [h.action for h in history] == ["create"]
            assert after[4] - before[4] == (contact.socket_id is not None), "socket history out of step"

            name = first(data, "name")
            if "B5" in bugs and contact.name == name != name.strip():
                self.stats["known bug B5"] += 1
            else:
                assert contact.name == name.strip(), f"name {contact.name!r} saved for {name!r}"
                assert contact.name, "saved with a blank name"
            if self.automatic:
                assert 1 <= contact.client_number <= MAX_VARIABLE_SYMBOL
            else:
                assert contact.client_number == int(first(data, "client_number").strip())
            assert contact.portal_login and contact.portal_password_hash

            assert saved_persons == persons, (saved_persons, persons)
            assert [t for t, _ in saved_notes] == notes, (saved_notes, notes)
            assert all(author == self.staff_id for _, author in saved_notes)

            for field in ("opening_balance", "suspend_min_amount"):
                value = getattr(contact, field)
                assert value is None or (value.is_finite() and abs(value) < NUMERIC_12_2_LIMIT), (
                    f"{field} saved as {value!r}"
                )
            assert contact.postcode.isascii(), f"postcode saved as {contact.postcode!r}"
            assert contact.country not in PSEUDO_COUNTRIES, f"country saved as {contact.country!r}"

    def _check_refused(self, data: dict, bugs: set[str], html: str, before) -> None:
        assert self.refresh_counts() == before, f"a refused form left rows behind: {data!r:.2000}"
        if 'id="duplicate-warnings"' in html:
            self.stats["200 duplicate warning"] += 1
        elif 'class="invalid-feedback"' in html:
            self.stats["200 field errors"] += 1
        elif "The record conflicts with existing data" in html:
            self.stats["200 generic conflict"] += 1
        else:
            raise AssertionError(f"a 200 without an error or warning: {data!r:.2000}")

        for name in VERBATIM_FIELDS:
            if name in data and not (name == "client_number" and self.automatic):
                shown = rendered_value(html, name)
                typed = first(data, name)
                if typed is not None:
                    # A NUL comes back as U+FFFD, as a browser would show it (the field is refused:
                    # PostgreSQL cannot store NUL); names and address lines come back without
                    # leading and trailing blanks.
                    typed = typed.replace("\x00", "\ufffd")
                    if name in STRIPPED_FIELDS:
                        typed = typed.strip()
                assert shown == typed, f"{name}: typed {first(data, name)!r:.300}, shown {shown!r:.300}"
        for prefix, subfields in VERBATIM_INLINE.items():
            # FieldList renumbers entries 0..n-1 (WTForms 3.3), so posted entry i shows at position p.
            for position, index in enumerate(inline_indices(data, prefix)):
                for sub in subfields:
                    key = f"{prefix}-{index}-{sub}"
                    if key in data:
                        shown = rendered_value(html, f"{prefix}-{position}-{sub}")
                        typed = first(data, key)
                        typed = typed.replace("\x00", "\ufffd") if typed is not None else None
                        assert shown == typed, f"{key}: typed {typed!r:.300}, shown {shown!r:.300}"


def backend_of(database) -> str:
    return "postgresql" if isinstance(database, PostgresDatabase) else "sqlite"


@pytest.mark.fuzz
def test_add_contact_form_survives_fuzzing(app, client, database):
    """Thousands of generated add-contact forms: no 5xx, nothing half-saved, typed data kept."""
    backend = backend_of(database)
    fuzzer = Fuzzer(app, client, backend)

    # The generator must know every field the form has; a new field should be fuzzed too.
    html = client.get(NEW_URL).get_data(as_text=True)
    rendered = set(re.findall(r'<(?:input|select|textarea)\b[^>]*?\sname="([^"]+)"', html))
    fields = {n for n in rendered if "-" not in n and not n.startswith("_")} - {"csrf_token"}  # no buttons
    assert fields == set(FIELD_KINDS) - {"save_anyway"}, "update FIELD_KINDS to the form's fields"

    # @given sits on an inner function, not on the test: the app, database and logged-in client
    # are built once by the function-scoped fixtures and shared by all examples (each example
    # checks row-count deltas, so the contacts piling up are harmless and even make clashes and
    # duplicate warnings happen). Hence no HealthCheck.function_scoped_fixture to suppress.
    # The profile sets the rest: "quick" has derandomize=True, which seeds the generation from this
    # test's source, so every run tries the same forms, with one caveat: Hypothesis 6.170 still lets
    # later examples drift between processes (seen with different PYTHONHASHSEED values after a few
    # hundred examples; exporting a fixed PYTHONHASHSEED made runs identical here). "fuzz" draws new
    # forms each run. A failure prints the whole falsifying form, and the known bugs' inputs are
    # pinned by the regression tests below. Here only what every profile needs: an example is a
    # whole request, so no deadline.
    examples = example_count(backend)

    @settings(
        max_examples=examples,
        deadline=None,
        # Generation is cheap, but a CI machine running other suites may still trip this one.
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        form=form_strategies(fuzzer.refs),
        multipart=st.integers(0, 3).map(bool),  # the admin form posts multipart; urlencoded too
        automatic=st.integers(0, 9).map(lambda roll: roll == 0),
    )
    def post_one(form, multipart, automatic):
        fuzzer.check(form, multipart, automatic)

    started, cpu = time.perf_counter(), time.process_time()
    post_one()
    print(
        f"\n{backend}: {fuzzer.examples} forms in {time.perf_counter() - started:.1f} s "
        f"({time.process_time() - cpu:.1f} s CPU): {dict(sorted(fuzzer.stats.items()))}"
    )
    # Guard the generator: the examples ran, and both outcomes are well represented.
    assert fuzzer.examples >= examples
    assert fuzzer.stats["302 saved"] >= fuzzer.examples // 10
    assert fuzzer.stats["200 field errors"] >= fuzzer.examples // 10


# --- The bugs the fuzzing found, with minimal inputs ---------------------------------------------
# Regression tests for the product bugs the fuzzing found (B1-B12, all fixed). A strict
# xfail shows a bug still open: when it is fixed the test XPASSes and fails; then remove its
# mark here and the bug's entry in KNOWN_BUGS above. B9 and B10 answer
# 200 with the generic "record conflicts" flash, which the fuzz test accepts (nothing is saved,
# the typing is kept), so they have no KNOWN_BUGS entry.


def field_has_error(html: str, field_id: str) -> bool:
    """Whether the form shows an error at the field (Flask-Admin adds is-invalid to its input)."""
    at = html.find(f' id="{field_id}"')
    assert at != -1, f"no field {field_id} in the form"
    tag = html[html.rfind("<", 0, at) : html.find(">", at)]
    return "is-invalid" in tag


@pytest.fixture
def post_form(app, client):
    """`post_form(**overrides)` posts a valid add-contact form (multipart, like the browser) as staff."""
    with app.app_context():
        group = InvoiceGroup(name="Main", company_name="Main s.r.o.")
        db.session.add(group)
        db.session.commit()
        group_id = group.id
        payment_type = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.system_code == "bank_transfer"))
    log_in(client, "staff")
    token = csrf_token(client, NEW_URL)
    numbers = itertools.count(2001)

    def post(**overrides):
        data = {
            "client_number": str(next(numbers)),
            "name": "Novák Jan",
            "street": "Hlavní 12",
            "postcode": "110 00",
            "city": "Praha",
            "country": "CZ",
            "invoice_group": str(group_id),
            "payment_type": str(payment_type),
            "invoicing_day": "1",
            "due_days": "14",
            "opening_balance": "0",
            "suspend_mode": "global",
            **overrides,
        }
        data = {key: value for key, value in data.items() if value is not None}
        return post_multipart(client, NEW_URL, {**data, "csrf_token": token})

    return post


def saved_contacts(app) -> list[Contact]:
    with app.app_context():
        contacts = db.session.scalars(sa.select(Contact).order_by(Contact.id)).all()
        for contact in contacts:
            _ = contact.persons, contact.notes  # load them before the session closes
        db.session.expunge_all()
        return contacts


def contact_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Contact))


def assert_refused_at(app, post_form, field: str, **overrides) -> None:
    """The form comes back with an error at `field`, and nothing is saved."""
    before = contact_count(app)
    response = post_form(**overrides)
    assert response.status_code == 200, f"{response.status_code} for {overrides!r}"
    assert field_has_error(response.get_data(as_text=True), field), f"no error at {field} for {overrides!r}"
    assert contact_count(app) == before


def test_signaling_nan_is_refused(app, post_form):
    # ValueError: at the flush on SQLite (float conversion), in NumberRange for suspend_min_amount.
    for field in ("opening_balance", "suspend_min_amount"):
        assert_refused_at(app, post_form, field, **{field: "sNaN"})


def test_amounts_beyond_numeric_12_2_are_refused(app, post_form):
    # PostgreSQL: DataError "numeric field overflow". SQLite: saved as typed (1e10, Infinity).
    for field, typed in [
        ("opening_balance", "1e10"),
        ("opening_balance", "Infinity"),
        ("opening_balance", "-Infinity"),
        ("suspend_min_amount", "99999999999"),
        ("suspend_min_amount", "Infinity"),
    ]:
        assert_refused_at(app, post_form, field, **{field: typed})


def test_nan_opening_balance_is_refused(app, post_form):
    assert_refused_at(app, post_form, "opening_balance", opening_balance="NaN")


def test_nul_characters_are_refused_at_their_field(request, database, app, post_form):
    # Stripping them silently (98␀76 saved as 9876) was the old answer; now the field says why.
    for field in (
        "name",
        "street",
        "internal_note_1",
        "id_number",
        "bulk_payment_number",
        "portal_login",
        "persons-0-name",
        "notes-0-text",
    ):
        assert_refused_at(app, post_form, field, **{field: "Nov\x00ák"})


def test_socket_picker_ids_out_of_range_are_no_choice(app, post_form):
    # Found by the fuzzing as OverflowError (SQLite) and DataError (PostgreSQL); fixed meanwhile
    # by row_id() in admin_views/catv.py, kept as a regression test. The helper lookups are read
    # only when the form is shown again, hence the missing name.
    for field, typed in [
        ("socket", "99999999999999999999"),
        ("socket", "9999999999"),
        ("catv_city", "99999999999999999999"),
        ("catv_switchboard", "9999999999"),
    ]:
        assert post_form(**{field: typed, "name": ""}).status_code == 200, field
    assert contact_count(app) == 0


def test_blank_required_text_is_refused(app, post_form):
    for field, typed in [("name", "   "), ("street", " "), ("city", "\t")]:
        assert_refused_at(app, post_form, field, **{field: typed})


def test_name_is_stored_stripped(app, post_form):
    assert post_form(name="  Novák Jan  ").status_code == 302
    assert saved_contacts(app)[0].name == "Novák Jan"


def test_pseudo_territories_are_no_country(app, post_form):
    for code in PSEUDO_COUNTRIES:
        assert_refused_at(app, post_form, "country", country=code, postcode="11000")


def test_postcode_digits_are_ascii(app, post_form):
    for typed in ["١١٠٠٠", "１１０ ００", "११०००"]:  # Arabic-Indic, fullwidth, Devanagari
        response = post_form(postcode=typed)
        if response.status_code == 302:
            assert saved_contacts(app)[-1].postcode == "110 00", typed
        else:
            assert field_has_error(response.get_data(as_text=True), "postcode"), typed


def test_new_inline_rows_marked_for_deletion_are_not_saved(app, post_form):
    for inline in [
        {"persons-0-name": "", "persons-0-email": "not an address", "del-persons-0": "y"},
        {"notes-0-text": "", "del-notes-0": "y"},
    ]:
        assert post_form(**inline).status_code == 302, inline
        contact = saved_contacts(app)[-1]
        assert contact.persons == [] and contact.notes == [], inline


def test_default_portal_login_clash_is_explained_at_a_field(app, post_form):
    assert post_form(client_number="2001", portal_login="7000").status_code == 302
    response = post_form(client_number="7000")
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 302 or field_has_error(html, "portal_login") or field_has_error(html, "client_number")
    )


def test_automatic_numbering_survives_the_largest_typed_number(app, post_form):
    assert post_form(client_number="9999999999").status_code == 302
    with app.app_context():
        db.session.get(Setting, 1).client_number_mode = "automatic"
        db.session.commit()
    response = post_form(client_number=None)
    errors = re.findall(r'<div class="alert alert-danger[^"]*">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert response.status_code == 302 or any("number" in error for error in errors)


def test_inline_keys_with_non_decimal_digits_do_not_crash(app, post_form):
    for key in ["persons-²-name", "notes-①-text"]:
        assert post_form(**{key: "x"}).status_code in (200, 302), key


def test_a_huge_pasted_note_is_saved_or_refused_at_its_field(app, post_form):
    response = post_form(internal_note_1="👍" * 130_000)  # 520 kB as UTF-8
    assert response.status_code in (200, 302)
