"""How a locale writes dates, times, numbers and money: pure functions over Babel.

Stored times are UTC; they are shown in the zone passed in (the provider's).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal

from babel import Locale, dates, numbers

CURRENCY = "CZK"
# CLDR puts a space between a currency code and its digits ("CZK 1,450.50"); Babel leaves it out.
_CODE_BEFORE_DIGIT = re.compile(r"(?<=[A-Za-z])(?=\d)")


def as_utc(value: datetime) -> datetime:
    """`value` with its zone; SQLite hands back DateTime(timezone=True) values naive, and they are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def format_date(value: date, locale: Locale | str, zone: tzinfo = UTC) -> str:
    """`12. 2. 1985` in Czech, `Feb 12, 1985` in English; a datetime by its date in `zone`."""
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(zone).date()
    return dates.format_date(value, "medium", locale=locale)


def format_time(value: datetime, locale: Locale | str, zone: tzinfo) -> str:
    """Hours and minutes in `zone`: `14:05` in Czech, `2:05 PM` in English."""
    return dates.format_time(as_utc(value), "short", tzinfo=zone, locale=locale)


def format_datetime(value: datetime, locale: Locale | str, zone: tzinfo) -> str:
    """`1. 12. 2026 14:05` in Czech: the date and the time in `zone`, no seconds."""
    pattern = dates.get_datetime_format("medium", locale=locale)
    return pattern.replace("{1}", format_date(value, locale, zone)).replace("{0}", format_time(value, locale, zone))


def number_pattern(value: int | Decimal) -> str:
    """Thousands grouped, and as many decimal places as the value has (a price keeps its `,50`)."""
    places = max(0, -value.as_tuple().exponent) if isinstance(value, Decimal) and value.is_finite() else 0
    return "#,##0" + ("." + "0" * places if places else "")


def format_number(value: int | Decimal, locale: Locale | str) -> str:
    """`1 450,50` in Czech (a non-breaking space between thousands), `1,450.50` in English."""
    return numbers.format_decimal(value, format=number_pattern(value), locale=locale)


def format_money(value: int | Decimal, locale: Locale | str) -> str:
    """`1 450,50 Kč` in Czech, `CZK 1,450.50` in English."""
    return _CODE_BEFORE_DIGIT.sub("\xa0", numbers.format_currency(value, CURRENCY, locale=locale))
