"""The provider's settings and the portal's info messages (administrators only)."""

from __future__ import annotations

import pytz
from flask_babel import lazy_gettext
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from admin_views.base import BaseModelView
from domain.info_messages import info_message_errors, sanitise_html
from models import SESSION_IDLE_MINUTES, SESSION_LIFETIME_HOURS, InfoMessage, Setting, db

CATEGORY = lazy_gettext("Settings")


class SettingView(BaseModelView):
    """The single settings row: edited, never created or deleted."""

    read_role = write_role = "admin"
    can_create = False
    can_delete = False
    column_list = (
        "client_number_mode",
        "last_client_number",
        "default_country",
        "default_due_days",
        "min_search_length",
        "session_idle_minutes",
        "session_lifetime_hours",
        "time_zone",
    )
    form_columns = (
        "client_number_mode",
        "default_country",
        "default_due_days",
        "min_search_length",
        "session_idle_minutes",
        "session_lifetime_hours",
        "time_zone",
    )
    column_labels = BaseModelView.column_labels | {
        "client_number_mode": lazy_gettext("Client numbers"),
        "last_client_number": lazy_gettext("Last client number"),
        "default_country": lazy_gettext("Default country"),
        "default_due_days": lazy_gettext("Default due days"),
        "min_search_length": lazy_gettext("Shortest search (characters)"),
        "session_idle_minutes": lazy_gettext("Log out after inactivity (minutes)"),
        "session_lifetime_hours": lazy_gettext("Longest login session (hours)"),
        "time_zone": lazy_gettext("Time zone"),
    }
    form_args = {
        # The table's CHECK constraints, as field errors rather than a refused save.
        "default_due_days": {"validators": [InputRequired(), NumberRange(0, 3650)]},
        "min_search_length": {"validators": [InputRequired(), NumberRange(1, 20)]},
        "session_idle_minutes": {
            "validators": [InputRequired(), NumberRange(*SESSION_IDLE_MINUTES)],
            "description": lazy_gettext("A staff or portal session ends after this long without a request."),
        },
        "session_lifetime_hours": {
            "validators": [InputRequired(), NumberRange(*SESSION_LIFETIME_HOURS)],
            "description": lazy_gettext("Every session ends this long after its login, even in use."),
        },
        "time_zone": {
            "validators": [InputRequired()],
            "description": lazy_gettext("Times are stored in UTC and shown in this zone."),
        },
    }
    form_choices = {
        "client_number_mode": [
            ("manual", lazy_gettext("Manual: the clerk may edit it")),
            ("automatic", lazy_gettext("Automatic: assigned on save")),
        ],
        # The zones Flask-Babel (pytz) converts to, without the old aliases ("US/Eastern", ...).
        "time_zone": [(zone, zone) for zone in pytz.common_timezones],
    }
    column_choices = form_choices


class InfoMessageView(BaseModelView):
    """Messages shown in the portal to all clients, a group or a status, within their period."""

    read_role = write_role = "admin"
    column_list = ("title", "valid_from", "valid_to", "audience", "shown")
    column_labels = BaseModelView.column_labels | {
        "title": lazy_gettext("Title"),
        "body": lazy_gettext("Text"),
        "valid_from": lazy_gettext("Shown from"),
        "valid_to": lazy_gettext("Shown until"),
        "audience": lazy_gettext("For whom"),
        "client_group": lazy_gettext("Client group"),
        "client_status": lazy_gettext("Client status"),
        "shown": lazy_gettext("Shown"),
    }
    column_default_sort = [("created_at", True), ("id", True)]
    form_columns = ("title", "body", "valid_from", "valid_to", "audience", "client_group", "client_status", "shown")
    form_choices = {
        "audience": [
            ("all", lazy_gettext("All clients")),
            ("group", lazy_gettext("A client group")),
            ("status", lazy_gettext("A client status")),
        ]
    }
    column_choices = form_choices
    form_overrides = {"body": TextAreaField}
    form_args = {
        "title": {"validators": [InputRequired(), Length(max=200)]},
        # WTForms shows an empty choice by its value, "__None".
        "client_group": {"blank_text": "—"},
        "client_status": {"blank_text": "—"},
        "body": {
            "description": lazy_gettext("Simple HTML (paragraphs, bold, lists, links); scripts and styles are removed.")
        },
    }

    def rule_errors(self, form) -> dict[str, str]:
        return info_message_errors(
            form.audience.data,
            form.client_group.data,
            form.client_status.data,
            form.valid_from.data,
            form.valid_to.data,
        )

    def on_model_change(self, form, model, is_created):
        model.body = str(sanitise_html(model.body))


def register(admin) -> None:
    admin.add_view(SettingView(Setting, db, name=lazy_gettext("Settings"), category=CATEGORY, endpoint="setting"))
    admin.add_view(
        InfoMessageView(InfoMessage, db, name=lazy_gettext("Info messages"), category=CATEGORY, endpoint="info_message")
    )
