"""A contact's fields as text: the form's parsers, yes/no in both languages, countries and code
lists by name; each formatted value parses back to itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from domain.contact_fields import FIELDS_BY_NAME, RowContext, parse_field

CONTEXT = RowContext("CZ", "SK", {"client_status": {"aktivni": "ACTIVE"}})


def parse(name: str, text: str):
    return parse_field(FIELDS_BY_NAME[name], text, CONTEXT)


@pytest.mark.parametrize(("text", "value"), [("ano", True), ("NE", False), ("Yes", True), ("0", False), ("true", True)])
def test_yes_and_no_in_czech_and_english(babel_request, text, value):
    assert parse("is_marked", text) is value


def test_the_forms_parsers_and_rules(babel_request):
    assert parse("postcode", "11000") == "110 00"
    assert parse("install_postcode", "81101") == "811 01"  # the installation's country: Slovakia
    assert parse("phone", "601 123 456") == "+420601123456"
    assert parse("country", "česko") == parse("country", "Czechia") == parse("country", "cz") == "CZ"
    assert parse("client_status", "Aktivní") == "ACTIVE"
    assert parse("birth_date", "12. 2. 1985") == date(1985, 2, 12)
    assert parse("opening_balance", "1 250,50") == Decimal("1250.50")
    assert parse("suspend_mode", "Never suspend this client") == parse("suspend_mode", "never") == "never"
    assert parse("company_name", "  ") is None
    for name, text in [
        ("name", " "),  # required
        ("company_id", "12345678"),
        ("email", "jan@"),
        ("client_status", "Neznámý"),
        ("invoicing_day", "29"),
        ("floor", "x" * 17),  # longer than the column
        ("street", "a\x00b"),
        ("is_marked", "možná"),
        ("country", "Atlantida"),
    ]:
        with pytest.raises(ValueError, match=r"\w"):  # a message for the clerk
            parse(name, text)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_formatted_values_parse_back(babel_request, language):
    values = {
        "is_marked": True,
        "birth_date": date(1985, 2, 12),
        "opening_balance": Decimal("-1250.50"),
        "phone": "+420601123456",
        "gps": (Decimal("50.075525"), Decimal("-14.437801")),
        "suspend_mode": "individual",
        "postcode": "110 00",
    }
    with force_locale(language):
        for name, value in values.items():
            field = FIELDS_BY_NAME[name]
            assert parse(name, field.format(value)) == value, name
