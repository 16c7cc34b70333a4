"""Form fields that show a stored value one way and accept what a clerk types."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_admin.contrib.sqla.fields import InlineModelFormList, get_field_id, get_obj_pk
from flask_admin.contrib.sqla.form import AdminModelConverter, InlineModelConverter
from flask_admin.form import BaseForm
from flask_admin.model.form import converts
from flask_babel import get_locale, gettext
from wtforms import StringField
from wtforms.validators import Length, StopValidation

from admin_views.forms import checked_form_for
from domain.gps import format_gps
from domain.validators import (
    EARLIEST_DATE,
    LATEST_DATE,
    format_phone,
    format_typed_date,
    parse_date,
    parse_decimal,
    parse_whole_number,
)


class TypedTextField(StringField):
    """A text field whose data a validator replaces with a parsed value.

    After an error the clerk sees exactly what was typed; otherwise `display` formats the data.
    """

    def display(self, data) -> str:
        return "" if data is None else str(data)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.display(self.data)


class ParsedTextField(TypedTextField):
    """A typed text field whose text a subclass's `parse(text)` turns into its data when the form is read.

    A text that does not parse is the field's only error: range and required checks, which would
    only repeat it, are skipped. A blank one is an error too, unless `Optional` clears it.
    """

    inputmode = "text"

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.render_kw = {"inputmode": self.inputmode} | (self.render_kw or {})

    def process_formdata(self, valuelist):
        # A field missing from the post keeps its data, as WTForms' number fields do.
        if valuelist:
            self.data = None  # a ValueError from parse becomes the field's error
            self.data = self.parse(valuelist[0] if isinstance(valuelist[0], str) else "")  # a file is no text

    def pre_validate(self, form):
        if self.process_errors and self.raw_data and str(self.raw_data[0]).strip():
            raise StopValidation()


class DecimalTextField(ParsedTextField):
    """A number with decimals for a Numeric(precision, scale) column, as `parse_decimal` reads it.

    A text input with a decimal keyboard, not <input type=number>: browsers drop the decimal comma
    a Czech clerk types there (450,50 reached the server as 45050). A stored value is shown in the
    plain form 450.50, in both languages, as the lists and exports show it; both forms are accepted.
    """

    inputmode = "decimal"

    def __init__(self, label=None, validators=None, precision: int = 12, scale: int = 2, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.precision, self.scale = precision, scale

    def parse(self, text: str) -> Decimal:
        return parse_decimal(text, self.precision, self.scale)

    def display(self, data) -> str:
        return f"{data:f}" if isinstance(data, Decimal) else "" if data is None else str(data)


class WholeNumberField(ParsedTextField):
    """A whole number of ASCII digits within `minimum`..`maximum` (at least its column's range)."""

    inputmode = "numeric"

    def __init__(self, label=None, validators=None, minimum: int = -(2**31 - 1), maximum: int = 2**31 - 1, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def parse(self, text: str) -> int:
        return parse_whole_number(text, self.minimum, self.maximum)


def user_language() -> str | None:
    return getattr(get_locale(), "language", None)


class DateTextField(ParsedTextField):
    """A date typed as `parse_date` reads it (12.2.1985, 12. 2. 1985, 1985-02-12) and shown as the
    user's language writes it (12. 2. 1985 in Czech), with the date picker of
    static/admin/date_picker.js beside it.

    Not Flask-Admin's DateField: its widget's daterangepicker turned the first keystroke into
    0001-01-01…, and the field took 1985-02-12 only. No data-role here, so form.js leaves it alone.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        # The browser's autocomplete list would cover the picker; the script finds its inputs by data-date-input.
        self.render_kw = {"autocomplete": "off", "data-date-input": True} | self.render_kw

    def __call__(self, **kwargs):
        example = self.display(date(1985, 2, 12))
        kwargs.setdefault("placeholder", gettext("e.g. %(example)s", example=example))
        return super().__call__(**kwargs)

    def parse(self, text: str) -> date:
        return parse_date(text)

    def display(self, data) -> str:
        return "" if data is None else format_typed_date(data, user_language())


def date_picker_settings() -> dict:
    """What static/admin/date_picker.js needs in the user's language, from Babel's locale data:
    month names as a calendar's heading says them (stand-alone: Czech "únor", not "února"),
    weekday names Monday first, the first day of the week (0 = Monday), the date format and the
    hint of a date range filter."""
    locale = get_locale()
    february = [format_typed_date(date(2026, 2, day), locale.language) for day in (1, 28)]
    return {
        "months": [locale.months["stand-alone"]["wide"][month] for month in range(1, 13)],
        "days": [locale.days["format"]["abbreviated"][day] for day in range(7)],
        "dayNames": [locale.days["format"]["wide"][day] for day in range(7)],
        "firstDay": locale.first_week_day,
        "format": "cs" if locale.language == "cs" else "iso",
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
        "labels": {
            "open": gettext("Choose a date"),
            "previousMonth": gettext("Previous month"),
            "nextMonth": gettext("Next month"),
            "previousYear": gettext("Previous year"),
            "nextYear": gettext("Next year"),
            "rangeExample": gettext("e.g. %(example)s", example=" – ".join(february)),
            "keys": gettext("Arrows move by day and week, Page Up and Page Down by month, Enter picks, Escape closes."),
        },
    }


def integer_range(column) -> tuple[int, int]:
    """The whole numbers `column` holds on every database (PostgreSQL's INTEGER is 32 bits)."""
    kind = getattr(column, "type", None)  # a list filter's column may be an expression
    bits = 63 if isinstance(kind, sa.BigInteger) else 15 if isinstance(kind, sa.SmallInteger) else 31
    return -(2**bits - 1), 2**bits - 1


class CheckedConverter(AdminModelConverter):
    """Flask-Admin's converter, except that numbers are read as `parse_whole_number` and
    `parse_decimal` read them, within what their column holds, and dates as `parse_date` reads
    them: every view's Integer, Numeric and Date columns get this, new ones included."""

    @classmethod
    def _string_common(cls, field_args, **extra):
        """Flask-Admin adds the column's Length to the validators a view names: one the view names
        itself would then tell "at most N characters" twice next to the field. The view's stays."""
        named = any(isinstance(validator, Length) for validator in field_args["validators"])
        super()._string_common(field_args=field_args, **extra)
        if named:
            validators = field_args["validators"]
            validators.remove(next(v for v in reversed(validators) if isinstance(v, Length)))

    @converts("Integer")
    def handle_integer_types(self, column, field_args, **extra):
        minimum, maximum = integer_range(column)
        return WholeNumberField(minimum=minimum, maximum=maximum, **field_args)

    @converts("Date")
    def handle_date(self, column, field_args, **extra):
        return DateTextField(**field_args)

    @converts("Numeric")
    def handle_decimal_types(self, column, field_args, **extra):
        field_args.pop("places", None)
        scale = column.type.scale if column.type.scale is not None else 6
        return DecimalTextField(precision=column.type.precision or 18, scale=scale, **field_args)


class GpsField(TypedTextField):
    """Latitude and longitude in one input; the data is a (lat, lon) tuple or None."""

    def display(self, data) -> str:
        return format_gps(*data) if data else ""


class PhoneField(TypedTextField):
    """A phone number stored in E.164, shown in international form."""

    def display(self, data) -> str:
        return format_phone(data)


class InlineRows(InlineModelFormList):
    """Flask-Admin's inline rows (contact persons, notes), except that a row added on the form and
    ticked for deletion is dropped. Flask-Admin skips validating such a row but saved it anyway."""

    def populate_obj(self, obj, name):
        saved = {get_obj_pk(row, self._pk) for row in getattr(obj, name, None) or ()}
        self.entries = [
            entry for entry in self.entries if not (self.should_delete(entry) and get_field_id(entry) not in saved)
        ]
        super().populate_obj(obj, name)


class InlineRowsConverter(InlineModelConverter):
    inline_field_list_type = InlineRows

    def get_info(self, p):
        # Inline rows (contact persons, notes) get the checks every form makes.
        info = super().get_info(p)
        if info is not None and info.form_base_class is None:
            info.form_base_class = type(f"{info.model.__name__}RowForm", (checked_form_for(info.model), BaseForm), {})
        return info
