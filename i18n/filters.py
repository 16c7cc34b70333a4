"""Dates, times, numbers and money in the user's locale and the provider's zone, for templates
(`|date`, `|datetime`, `|time`, `|number`, `|money`) and the admin views' formatters; None is empty."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import url_for
from flask_babel import get_locale, get_timezone

from auth.sessions import in_portal
from i18n import formatting

# The switch's choices, each named in its own language.
LANGUAGE_NAMES = {"cs": "Čeština", "en": "English"}


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


def language_switch() -> dict:
    """What the switch (templates/_language_switch.html) needs: where it posts, the current language."""
    endpoint = "i18n.portal_switch" if in_portal() else "i18n.switch"
    return {"action": url_for(endpoint), "current": get_locale().language, "names": LANGUAGE_NAMES}
