"""How the lists, the record pages and the exports of every model view write a value, by its type.

Lists and record pages write as the user's locale does (`12. 2. 1985`, `1. 12. 2026 14:05` in
the provider's zone, `1 450,50`, money columns as `1 450,50 Kč`). A CSV export keeps the forms
every spreadsheet and script reads whatever its language: ISO dates (`1985-02-12`, times
`2026-12-01 14:05` in the provider's zone) and decimal points. Its comma-separated columns are
opened through an import that asks for the separators, and a decimal comma inside a
comma-separated file would be one more thing to get wrong there; `12. 2. 1985` is a date only
to a spreadsheet set to Czech. Yes and no are words in the user's language everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_admin.contrib.sqla.typefmt import DEFAULT_FORMATTERS, EXPORT_FORMATTERS
from flask_babel import get_timezone
from markupsafe import Markup

from i18n.filters import show_date, show_datetime, show_money, show_number, show_value
from i18n.formatting import as_utc


def is_money(view, name: str) -> bool:
    """Whether the view's column `name` holds an amount of money (its column says so in `info`)."""
    column = view.model.__table__.columns.get(name)
    return column is not None and bool(column.info.get("money"))


def yes_or_no(view, value: bool, name: str) -> str:
    return show_value(value)


def yes_or_no_icon(view, value: bool, name: str) -> Markup:
    """Flask-Admin's tick or dash, titled in the user's language (its own title is English)."""
    icon = "fa-check-circle" if value else "fa-minus-circle"
    return Markup('<span class="fa {}" title="{}"></span>').format(icon, yes_or_no(view, value, name))


def decimal_value(view, value: Decimal, name: str) -> str:
    return show_money(value) if is_money(view, name) else show_number(value)


def iso_datetime(view, value: datetime, name: str) -> str:
    return as_utc(value).astimezone(get_timezone()).replace(tzinfo=None).isoformat(" ", "minutes")


LIST_FORMATTERS = {
    **DEFAULT_FORMATTERS,
    bool: yes_or_no_icon,
    datetime: lambda view, value, name: show_datetime(value),  # before date: a datetime is a date
    date: lambda view, value, name: show_date(value),
    Decimal: decimal_value,
}
DETAIL_FORMATTERS = {**LIST_FORMATTERS, bool: yes_or_no}
EXPORT_FORMATTERS = {
    **EXPORT_FORMATTERS,
    bool: yes_or_no,
    datetime: iso_datetime,
    date: lambda view, value, name: value.isoformat(),
}


# A cell starting with one of these is a formula to a spreadsheet (`-2+3+cmd|' /C calc'!A0` too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """An exported cell; one a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
