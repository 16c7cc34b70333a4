"""The form that adds a building's sockets in bulk (admin_views/catv.py's BuildingView)."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from admin_views.forms import CheckedForm
from domain.sockets import socket_label
from models import Building, Switchboard


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BulkSocketsForm(CheckedForm, FlaskForm):
    """Which switchboards get sockets, how floors are numbered and how sockets are labelled."""

    switchboards = MultiCheckboxField(lazy_gettext("Switchboards"), coerce=int)
    first_floor = SelectField(
        lazy_gettext("Number the floors from"),
        coerce=int,
        default=1,
        choices=[(1, lazy_gettext("1 (no socket on the ground floor)")), (0, lazy_gettext("0 (the ground floor)"))],
    )
    pattern = StringField(
        lazy_gettext("Socket label"),
        default="{switchboard}-{floor}",
        validators=[InputRequired(), Length(max=60)],
        description=lazy_gettext(
            "{switchboard} is the switchboard's name, {position} its position, {floor} the floor."
        ),
    )

    def __init__(self, building: Building, boards: list[Switchboard], **kwargs):
        super().__init__(**kwargs)
        self.building, self.boards = building, boards
        self.switchboards.choices = [
            (board.id, gettext("%(name)s (position %(position)d)", name=board.name, position=board.position))
            for board in boards
        ]

    def validate_switchboards(self, field):
        if not field.data:
            raise ValidationError(gettext("Choose at least one switchboard."))

    def validate_pattern(self, field):
        if "{floor}" not in field.data:
            raise ValidationError(gettext("The label needs {floor}, or all floors would get the same label."))
        if self.first_floor.data not in (0, 1) or not self.boards:
            return
        top = self.first_floor.data + self.building.floors - 1
        longest = max((socket_label(field.data, board, top) for board in self.boards), key=len)
        if len(longest) > 20:
            raise ValidationError(gettext("Labels may have 20 characters; %(label)s is longer.", label=longest))
