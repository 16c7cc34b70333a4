"""Form fields that show a stored value one way and accept what a clerk types."""

from __future__ import annotations

from wtforms import StringField

from validators import format_gps, format_phone


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
