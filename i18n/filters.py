"""Dates, times, numbers and money in the user's locale and the provider's zone, for templates
(`|date`, `|datetime`, `|time`, `|number`, `|money`) and the admin views' formatters; None is empty."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import get_locale, get_timezone, gettext

from i18n import formatting


def show_date(value: date | None) -> str:
    return "" if value is None else formatting.format_date(value, get_locale(), get_timezone())


def show_datetime(value: datetime | None) -> str:
    return "" if value is None else formatting.format_datetime(value, get_locale(), get_timezone())


def show_time(value: datetime | None) -> str:
    return "" if value is None else formatting.format_time(value, get_locale(), get_timezone())


def show_number(value: int | Decimal | None) -> str:
    return "" if value is None else formatting.format_number(value, get_locale())


def show_money(value: int | Decimal | None) -> str:
    return "" if value is None else formatting.format_money(value, get_locale())


FILTERS = {
    "date": show_date,
    "datetime": show_datetime,
    "time": show_time,
    "number": show_number,
    "money": show_money,
}


def show_value(value, money: bool = False) -> str:
    """Any stored value as the user reads it: by its type, `money` for an amount of money."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):  # before date: a datetime is a date
        return show_datetime(value)
    if isinstance(value, date):
        return show_date(value)
    if isinstance(value, Decimal):
        return show_money(value) if money else show_number(value)
    return "" if value is None else str(value)
