"""How each locale writes dates, times, numbers and money (i18n/formatting.py), without a request."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import pytz

from i18n.formatting import format_date, format_datetime, format_money, format_number, format_time

PRAGUE = ZoneInfo("Europe/Prague")
NBSP = "\xa0"


@pytest.mark.parametrize("language, expected", [("cs", "12. 2. 1985"), ("en", "Feb 12, 1985")])
def test_a_date_is_written_as_the_locale_writes_it(language, expected):
    assert format_date(date(1985, 2, 12), language) == expected


@pytest.mark.parametrize(
    "stored, shown",
    [
        (datetime(2026, 12, 1, 12, 0, tzinfo=UTC), "1. 12. 2026 13:00"),  # winter: UTC+1
        (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "1. 7. 2026 14:00"),  # summer: UTC+2
    ],
)
def test_a_utc_time_is_shown_in_prague_time_winter_and_summer(stored, shown):
    assert format_datetime(stored, "cs", PRAGUE) == shown


def test_a_naive_time_from_sqlite_is_read_as_utc():
    assert format_datetime(datetime(2026, 12, 1, 12, 0), "cs", PRAGUE) == "1. 12. 2026 13:00"


def test_seconds_and_microseconds_are_not_shown():
    value = datetime(2026, 12, 1, 13, 5, 59, 123456, tzinfo=UTC)
    assert format_datetime(value, "cs", PRAGUE) == "1. 12. 2026 14:05"
    assert format_time(value, "cs", PRAGUE) == "14:05"


def test_english_writes_its_own_date_and_12_hour_time():
    shown = format_datetime(datetime(2026, 12, 1, 13, 5, tzinfo=UTC), "en", PRAGUE)
    assert shown.startswith("Dec 1, 2026, 2:05") and shown.endswith("PM")


def test_the_date_of_a_time_is_the_date_in_the_zone():
    """23:30 UTC on 1 December is already 2 December in Prague."""
    assert format_date(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), "cs", PRAGUE) == "2. 12. 2026"


def test_flask_babels_pytz_zones_convert_the_same():
    assert format_datetime(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "cs", pytz.timezone("Europe/Prague")) == (
        "1. 7. 2026 14:00"
    )


@pytest.mark.parametrize(
    "language, number, money",
    [
        ("cs", f"1{NBSP}450,50", f"1{NBSP}450,50{NBSP}Kč"),
        ("en", "1,450.50", f"CZK{NBSP}1,450.50"),
    ],
)
def test_numbers_and_money_as_the_locale_writes_them(language, number, money):
    assert format_number(Decimal("1450.50"), language) == number
    assert format_money(Decimal("1450.50"), language) == money


def test_a_number_keeps_its_own_decimal_places():
    assert format_number(Decimal("50.075500"), "cs") == "50,075500"
    assert format_number(12345, "cs") == f"12{NBSP}345"
    assert format_money(Decimal(450), "cs") == f"450,00{NBSP}Kč"
