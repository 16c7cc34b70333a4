"""Code lists: client groups, statuses, locations, service types and payment types.

Administrators change them; staff may read them. An entry in use is never deleted.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import jsonify, request
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from admin_views.formatters import yes_or_no_icon
from admin_views.usage import UsageCountedView
from domain.code_lists import entry_named, make_default_payment_type, payment_type_delete_refusal, payment_type_errors
from domain.validators import parse_email_list, wtforms_validator
from models import ClientGroup, ClientStatus, Contact, Location, PaymentType, Service, ServiceType, db

CATEGORY = lazy_gettext("Code lists")
COLOUR = re.compile(r"#[0-9a-f]{6}")


def colour_formatter(view, context, model, name):
    """A swatch of the status colour beside its code; a malformed stored value shows as text only."""
    if not model.colour or not COLOUR.fullmatch(model.colour):
        return model.colour or ""
    return Markup('<span class="colour-swatch" style="background-color: {}"></span> {}').format(
        model.colour, model.colour
    )


class CodeListView(UsageCountedView):
    """A code list: unique names (case-insensitive), an order, a hidden flag and a usage count."""

    # Most code lists are a name with a description; statuses and payment types say otherwise.
    column_list = ("name", "description", "position", "hidden", "usage")
    form_columns = ("name", "description", "position", "hidden")
    write_role = "admin"
    column_default_sort = [("position", False), ("name", False), ("id", False)]
    column_searchable_list = ("name",)
    column_labels = UsageCountedView.column_labels | {"position": lazy_gettext("Order")}
    column_descriptions = {"hidden": lazy_gettext("Hidden entries are not offered for new choices.")}
    form_args = {
        "name": {"validators": [InputRequired(), Length(max=64)], "filters": [lambda v: v.strip() if v else v]},
        "position": {"label": lazy_gettext("Order"), "validators": [Optional(), NumberRange(0, 100000)]},
        "hidden": {
            "description": lazy_gettext(
                "Hidden entries stay on the contacts that use them but are not offered for new choices."
            )
        },
    }

    # Quick create from the contact form's "+" button.

    @expose("/quick-create/", methods=("POST",))
    def quick_create(self):
        """Create an entry by name and answer {"id", "text"} (JSON), or {"error"} with 400."""
        name = (request.form.get("name") or "").strip()
        error = None
        if not name:
            error = gettext("Type a name.")
        elif len(name) > 64:
            error = gettext("At most 64 characters.")
        elif any(ord(char) < 32 for char in name):
            # PostgreSQL refuses a NUL; no name needs a line break or a tab either.
            error = gettext("The name contains invisible control characters; remove them.")
        elif entry_named(self.model, name) is not None:
            error = gettext("“%(name)s” already exists.", name=name)
        if error:
            return jsonify({"error": error}), 400
        entry = self.model(name=name)
        self.prepare_quick_entry(entry)
        db.session.add(entry)
        try:
            db.session.commit()
        except IntegrityError:
            # Taken after all, by a clerk at the same moment.
            db.session.rollback()
            return jsonify({"error": gettext("“%(name)s” already exists.", name=name)}), 400
        return jsonify({"id": entry.id, "text": str(entry)}), 201

    def prepare_quick_entry(self, entry) -> None:
        """Defaults for an entry created from the contact form."""
        entry.position = (db.session.scalar(sa.select(sa.func.max(self.model.position))) or 0) + 1


class ClientGroupView(CodeListView):
    used_by = Contact.__table__.c.client_group_id


class ClientStatusView(CodeListView):
    used_by = Contact.__table__.c.client_status_id
    column_list = ("name", "colour", "report_email", "report_days", "position", "hidden", "usage")
    column_formatters = UsageCountedView.column_formatters | {"colour": colour_formatter}
    column_labels = CodeListView.column_labels | {
        "colour": lazy_gettext("Colour"),
        "report_email": lazy_gettext("Send report to"),
        "report_days": lazy_gettext("Report after days in this status"),
    }
    form_columns = ("name", "colour", "report_email", "report_days", "position", "hidden")
    form_args = CodeListView.form_args | {
        "colour": {
            "default": "#ffffff",
            "description": lazy_gettext("Rows of contacts with this status get this colour."),
            "filters": [lambda v: v.lower() if v else v],
            "validators": [Optional(), Regexp(r"^#[0-9a-fA-F]{6}$", message=lazy_gettext("Use #rrggbb."))],
        },
        "report_email": {"validators": [wtforms_validator(parse_email_list)]},
        "report_days": {"validators": [Optional(), NumberRange(1, 3650)]},
    }
    form_widget_args = {"colour": {"type": "color"}}


class LocationView(CodeListView):
    used_by = Contact.__table__.c.location_id


class ServiceTypeView(CodeListView):
    used_by = Service.__table__.c.service_type_id
    used_by_noun = lazy_gettext("services")


class PaymentTypeView(CodeListView):
    """Payment types: the five system types keep their names and codes; exactly one is the default."""

    used_by = Contact.__table__.c.payment_type_id
    column_list = ("name", "system_code", "is_default", "position", "hidden", "usage")
    column_labels = CodeListView.column_labels | {
        "system_code": lazy_gettext("System type"),
        "is_default": lazy_gettext("Default"),
    }
    form_columns = ("name", "is_default", "position", "hidden")
    # A system type is named in the user's language; the list says which types are the system's, not their codes.
    column_formatters = CodeListView.column_formatters | {
        "name": lambda view, context, model, name: str(model),
        "system_code": lambda view, context, model, name: yes_or_no_icon(view, model.is_system, name),
    }
    form_args = CodeListView.form_args | {
        "is_default": {
            "label": lazy_gettext("Default for new contacts"),
            "description": lazy_gettext("Exactly one payment type is the default."),
        }
    }

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if obj is not None and obj.is_system:
            form.name.render_kw = {"readonly": True}
            # Its name is shown in the user's language; sent back unchanged, it is the stored one.
            if request.method == "GET":
                form.name.data = str(obj)
            elif form.name.data == str(obj):
                form.name.data = obj.name
        return form

    def rule_errors(self, form) -> dict[str, str]:
        return payment_type_errors(form._obj, form.name.data, form.is_default.data, form.hidden.data)

    def on_model_change(self, form, model, is_created):
        if model.is_default:
            make_default_payment_type(model)
        super().on_model_change(form, model, is_created)

    def refusal(self, models) -> str | None:
        return payment_type_delete_refusal(models) or super().refusal(models)


def register(admin) -> None:
    for view, model, name, endpoint in (
        (ClientGroupView, ClientGroup, lazy_gettext("Client groups"), "client_group"),
        (ClientStatusView, ClientStatus, lazy_gettext("Client statuses"), "client_status"),
        (LocationView, Location, lazy_gettext("Locations"), "location"),
        (ServiceTypeView, ServiceType, lazy_gettext("Service types"), "service_type"),
        (PaymentTypeView, PaymentType, lazy_gettext("Payment types"), "payment_type"),
    ):
        admin.add_view(view(model, db, name=name, category=CATEGORY, endpoint=endpoint))
