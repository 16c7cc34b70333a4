"""What every form refuses rather than store it changed: the plain rules, without HTTP."""

from __future__ import annotations

import time
from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.identifiers import parse_company_id, parse_vat_id
from domain.invoicing import next_invoice_number, series_errors
from domain.sockets import create_building_sockets
from domain.validators import (
    date_error,
    has_foreign_digits,
    parse_bank_account,
    parse_bic,
    parse_decimal,
    parse_iban,
    parse_phone,
    parse_postcode,
    parse_whole_number,
    text_input_error,
)
from models import InvoiceGroup

# The messages' gettext needs an app with Babel; no database: these rules never query one.
pytestmark = pytest.mark.usefixtures("babel_request")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("450,50", Decimal("450.50")),
        ("450.50", Decimal("450.50")),
        ("1 450,50", Decimal("1450.50")),
        ("1\u00a0450,50", Decimal("1450.50")),  # non-breaking space
        ("1\u202f450.5", Decimal("1450.50")),  # narrow non-breaking space
        ("12 345 678,9", Decimal("12345678.90")),
        (" 450 ", Decimal("450.00")),
        ("-150,5", Decimal("-150.50")),
        ("\u2212150,5", Decimal("-150.50")),  # the minus sign of Czech texts
        ("450,500", Decimal("450.50")),  # trailing zeros are the same number
        ("-0", Decimal("0.00")),
        ("9999999999,99", Decimal("9999999999.99")),
    ],
)
def test_a_decimal_comma_or_point_is_read_as_typed(typed, stored):
    value = parse_decimal(typed, 12, 2)
    assert value == stored and str(value) == str(stored)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "abc",
        "12a",
        "1,2,3",
        "1.2.3",
        "1.450,50",  # a dot is no thousands separator: 1.450 would be read as 1,45
        "1,450.50",
        "1 45",
        "1  450",
        "NaN",
        "sNaN",
        "-NaN",
        "Infinity",
        "-Infinity",
        "inf",
        "1e3",
        "0x1F",
        "1_000",
        "٤٥٠",
        "４５０",
        "²",
        ",5",
        "5,",
        "0,001",  # three decimals for a column with two
        "10000000000",  # eleven digits before the point for numeric(12, 2)
        "9" * 400,
    ],
)
def test_anything_else_is_refused_not_read_as_another_number(typed):
    with pytest.raises(ValueError, match=r"number|decimal places"):
        parse_decimal(typed, 12, 2)


def test_the_column_decides_places_and_digits():
    assert parse_decimal("99999999,99", 10, 2) == Decimal("99999999.99")
    with pytest.raises(ValueError, match="below 100 000 000"):
        parse_decimal("100000000", 10, 2)
    assert parse_decimal("50,075512", 9, 6) == Decimal("50.075512")
    with pytest.raises(ValueError, match="6 decimal places"):
        parse_decimal("50,0755123", 9, 6)


@pytest.mark.parametrize(
    ("typed", "number"), [("12", 12), (" 7 ", 7), ("+5", 5), ("-5", -5), ("0042", 42), ("2147483647", 2**31 - 1)]
)
def test_whole_numbers_are_read_within_the_range(typed, number):
    assert parse_whole_number(typed, -(2**31 - 1), 2**31 - 1) == number


@pytest.mark.parametrize(
    "typed", ["", "1.0", "1,5", "1e3", "1_000", "1 000", "٢٠٢٦", "２０２６", "²", "2147483648", "9" * 400, "9" * 5000]
)
def test_other_whole_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="whole number"):
        parse_whole_number(typed, -(2**31 - 1), 2**31 - 1)


def test_control_characters_and_lost_text_are_refused():
    assert text_input_error("Novák Jan") is None
    assert text_input_error("98\x0076") is not None
    assert text_input_error("bad \ufffd byte") is not None
    assert text_input_error("a\x1bb") is not None
    assert text_input_error("line 1\r\nline 2\tend") is not None  # one-line field
    assert text_input_error("line 1\r\nline 2\tend", multiline=True) is None
    assert text_input_error("a\x00b", multiline=True) is not None
    assert text_input_error("a\x07b", multiline=True) is not None


def test_foreign_digits_are_found():
    assert not has_foreign_digits("2026 Praha 1")
    assert all(has_foreign_digits(text) for text in ("٢٠٢٦", "２０２６", "²", "१२"))


@pytest.mark.parametrize("typed", ["٢٠٢٦٠٠٠١", "２５５９６６４１"])
def test_company_id_digits_are_ascii(typed):
    with pytest.raises(ValueError, match="0-9 and the letters A-Z"):
        parse_company_id(typed, "CZ")


@pytest.mark.parametrize(
    ("parse", "typed"),
    [
        (parse_bank_account, "１９-２０００１４５３９９/０８００"),
        (parse_iban, "CZ65 0800 0000 1920 0014 ５３９９"),
        (parse_vat_id, "CZ２５５９６６４１"),
        (parse_bic, "ＧＩＢＡCZPX"),
    ],
)
def test_bank_and_tax_identifiers_are_ascii(parse, typed):
    with pytest.raises(ValueError, match="0-9 and the letters A-Z"):
        parse(typed)


def test_phone_and_postcode_digits_are_ascii():
    assert parse_phone("601 123 456", "CZ") == "+420601123456"
    for typed in ("+420 ٦٠١ ١٢٣ ٤٥٦", "６０１ １２３ ４５６"):
        with pytest.raises(ValueError, match="0-9"):
            parse_phone(typed, "CZ")
    for typed, country in (("١١٠٠٠", "CZ"), ("ß1234", "GB"), ("１１０００", None)):
        with pytest.raises(ValueError, match="postcode"):
            parse_postcode(typed, country)


def test_dates_outside_1900_to_2100_are_refused():
    assert date_error(date(1980, 5, 17)) is None
    assert date_error(date(1900, 1, 1)) is None and date_error(date(2100, 12, 31)) is None
    assert date_error(datetime(2026, 1, 1, 12, 0)) is None
    for day in (date(1, 1, 1), date(1899, 12, 31), date(2101, 1, 1), date(9999, 12, 31)):
        assert date_error(day) is not None


def test_series_prefix_digits_are_ascii():
    for prefix in ("٢٠٢٦", "２０２６", "²"):
        assert "series_prefix" in series_errors(prefix, 6, 1, None)
    assert series_errors("2026", 6, 1, None) == {}


def test_series_digits_are_bounded_before_anything_is_computed():
    started = time.perf_counter()
    for digits in (0, 11, 2147483648, 2**63):
        assert "number_digits" in series_errors("", digits, 5, None)
    assert time.perf_counter() - started < 1


def test_issuing_refuses_a_series_with_digits_out_of_range():
    group = InvoiceGroup(name="Huge", company_name="Huge s.r.o.", number_digits=2147483648, next_number=1)
    started = time.perf_counter()
    with pytest.raises(ValueError, match="digits"):
        next_invoice_number(group)
    assert time.perf_counter() - started < 1


def test_creating_sockets_refuses_more_floors_than_a_building_has():
    started = time.perf_counter()
    with pytest.raises(ValueError, match="at most 200 floors"):
        create_building_sockets([], range(1, 2**31), "{floor}")
    assert time.perf_counter() - started < 1
