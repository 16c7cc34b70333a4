"""Form fields that show a stored value one way and accept what a clerk types."""

from __future__ import annotations

from flask_admin.contrib.sqla.fields import InlineModelFormList, get_field_id, get_obj_pk
from flask_admin.contrib.sqla.form import InlineModelConverter
from wtforms import StringField

from domain.validators import format_gps, format_phone


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
