"""Dates as a clerk types them (domain/validators.py parse_date, format_typed_date, date_error), without HTTP."""

from __future__ import annotations

import os
from datetime import date

import pytest
from flask import Flask
from flask_babel import Babel

from domain.validators import date_error, format_typed_date, parse_date, parse_date_range

TRANSLATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "translations")


@pytest.fixture(params=["en", "cs"])
def language(request):
    """A request in English or in Czech, with the app's catalogue."""
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.abspath(TRANSLATIONS)
    Babel(app, locale_selector=lambda: request.param)
    with app.test_request_context():
        yield request.param


@pytest.mark.parametrize(
    "typed",
    [
        "12.2.1985",
        "12. 2. 1985",
        "12.02.1985",
        "12. 02. 1985",
        "12.\u00a02.\u00a01985",  # non-breaking spaces, as a document pasted from Word has them
        "12.\u202f2.\u202f1985",
        "  12. 2. 1985 ",
        "1985-02-12",
    ],
)
def test_every_way_a_czech_clerk_writes_a_date_is_read_in_either_language(language, typed):
    assert parse_date(typed) == date(1985, 2, 12)


def test_the_first_and_last_accepted_days():
    assert parse_date("1. 1. 1900") == date(1900, 1, 1)
    assert parse_date("2100-12-31") == date(2100, 12, 31)
    assert parse_date("29. 2. 2024") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12/2/1985",
        "2/12/1985",
        "12-2-1985",
        "12.2.85",  # a two-digit year is not guessed
        "12 2 1985",
        "12.2.1985.",
        "12. 2 1985",
        "1985-2-12",
        "1985/02/12",
        "19850212",
        "1985-02-12T00:00",
        "12. února 1985",
        "dnes",
        "today",
        "１２.２.１９８５",  # fullwidth digits
        "١٢.٢.١٩٨٥",
        "0001-01-01…",  # what Flask-Admin's daterangepicker wrote at the first keystroke
    ],
)
def test_any_other_shape_is_refused_with_the_format_named(language, typed):
    with pytest.raises(ValueError, match=r"12\. 2\. 1985 or 1985-02-12|12\. 2\. 1985 nebo 1985-02-12"):
        parse_date(typed)


@pytest.mark.parametrize(
    "typed", ["31.2.1985", "12.13.1985", "1985-2-30", "1985-02-30", "0.1.1985", "29. 2. 2023", "1.1.0000"]
)
def test_a_day_not_in_the_calendar_is_refused(language, typed):
    with pytest.raises(ValueError, match=r"12\. 2\. 1985"):
        parse_date(typed)


def test_the_calendar_message_is_czech_in_czech(language):
    with pytest.raises(ValueError, match="v kalendáři není" if language == "cs" else "not in the calendar"):
        parse_date("31.2.1985")


@pytest.mark.parametrize("typed", ["31. 12. 1899", "1. 1. 2101", "0001-01-01", "9999-12-31"])
def test_dates_outside_1900_to_2100_are_refused(language, typed):
    with pytest.raises(ValueError, match="1900"):
        parse_date(typed)


def test_the_range_message_writes_its_bounds_as_the_language_does(language):
    with pytest.raises(ValueError, match="1900") as refused:
        parse_date("1. 1. 1899")
    bounds = ("1. 1. 1900", "31. 12. 2100") if language == "cs" else ("1900-01-01", "2100-12-31")
    assert all(bound in str(refused.value) for bound in bounds)
    assert str(refused.value) == date_error(date(1899, 1, 1))


def test_a_date_is_written_as_the_language_writes_it():
    assert format_typed_date(date(1985, 2, 12), "cs") == "12. 2. 1985"
    assert format_typed_date(date(1985, 2, 12), "en") == "1985-02-12"
    assert format_typed_date(date(2026, 12, 1), None) == "2026-12-01"
    # What the field shows is read back as the same day.
    for day in (date(1900, 1, 1), date(1985, 2, 12), date(2100, 12, 31)):
        for shown in ("cs", "en"):
            assert parse_date(format_typed_date(day, shown)) == day


@pytest.mark.parametrize(
    "typed",
    [
        "1. 2. 2026 – 28. 2. 2026",
        "1.2.2026-28.2.2026 ",
        "1.2.2026 - 28.2.2026",
        "2026-02-01 to 2026-02-28",
        "1. 2. 2026 do 28. 2. 2026",
        "2026-02-01—2026-02-28",
        "1. 2. 2026 – 2026-02-28",
    ],
)
def test_a_date_range_is_read_with_a_dash_to_or_do_between_the_dates(language, typed):
    assert parse_date_range(typed) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.parametrize(
    "typed", ["1. 2. 2026", "2026-02-01 2026-02-28", "1. 2. 2026 – 28. 2. 2026 – 3. 3. 2026", "", "from 1.2.2026"]
)
def test_a_range_needs_exactly_two_dates(language, typed):
    with pytest.raises(ValueError, match=r"1\. 2\. 2026 – 28\. 2\. 2026"):
        parse_date_range(typed)


def test_each_date_of_a_range_is_checked_and_the_range_must_not_run_backwards(language):
    with pytest.raises(ValueError, match=r"1\. 2\. 2026 – 28\. 2\. 2026"):
        parse_date_range("31. 2. 2026 – 1. 3. 2026")
    with pytest.raises(ValueError, match=r"second date|Druhé datum"):
        parse_date_range("28. 2. 2026 – 1. 2. 2026")
    assert parse_date_range("1. 2. 2026 – 1. 2. 2026") == (date(2026, 2, 1), date(2026, 2, 1))
