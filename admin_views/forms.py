"""The checks every form makes of what was typed, admin panel, portal and login alike.

Whatever a field's own validators say, a form is refused, with the reason next to the field, when
a value would otherwise be stored changed or fail later: control characters (a NUL used to be
stripped, so 98␀76 became 9876), text that is not valid UTF-8 (Werkzeug hands it over as U+FFFD),
text longer than its column (SQLite stores it anyway), digits other than 0-9 in a value that is
not text (int() reads "٢٠٢٦" as 2026), and dates outside EARLIEST_DATE..LATEST_DATE.
"""

from __future__ import annotations

import functools
from datetime import date

from flask_admin.form import BaseForm
from flask_babel import gettext
from wtforms import FileField
from wtforms.widgets import TextArea

from domain.validators import date_error, has_foreign_digits, text_input_error
from i18n.form_messages import form_messages


class CheckedForm:
    """A mixin put before a WTForms form class (Flask-Admin's BaseForm, Flask-WTF's FlaskForm)."""

    # The model whose String columns bound the text fields of the same name (None: no model).
    input_model = None

    class Meta:
        # WTForms' messages from our catalogue, before the Meta of Flask-Admin's or Flask-WTF's form.
        def get_translations(self, form):
            return form_messages

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            message = typed_input_error(field) or (not field.errors and self.length_error(field))
            if message:
                field.errors = [message, *field.errors]
                valid = False
        return valid

    def length_error(self, field) -> str | None:
        table = getattr(self.input_model, "__table__", None)
        column = table.columns.get(field.name) if table is not None else None
        length = getattr(getattr(column, "type", None), "length", None)
        if isinstance(field.data, str) and length and len(field.data) > length:
            return gettext("At most %(max)d characters.", max=length)
        return None


def typed_input_error(field) -> str | None:
    """Why the text typed into `field` cannot be taken as it is, or None."""
    if isinstance(field, FileField):
        return None
    texts = [raw for raw in getattr(field, "raw_data", None) or () if isinstance(raw, str)]
    multiline = isinstance(field.widget, TextArea)
    for text in texts:
        message = text_input_error(text, multiline)
        if message:
            return message
    data = field.data
    if not isinstance(data, str) and any(has_foreign_digits(text) for text in texts):
        return gettext("Use the digits 0-9.")
    if isinstance(data, date) and not field.errors:
        return date_error(data)
    return None


@functools.cache
def checked_form_for(model) -> type[CheckedForm]:
    """CheckedForm with the text fields bounded by `model`'s columns."""
    return type(f"Checked{model.__name__}Form", (CheckedForm,), {"input_model": model})


class CheckedBaseForm(CheckedForm, BaseForm):
    """Flask-Admin's form base with the checks; a view's forms also know its model (base.py)."""
