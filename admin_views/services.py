"""Services the contacts buy: add, edit, suspend, resume and end, each recorded in the contact's history."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_admin.model.template import EndpointLinkRowAction
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms.validators import InputRequired, Length, NumberRange

from admin_views.base import BaseModelView, row_id
from admin_views.contacts import CATEGORY, contact_lookup
from domain.history import record_change
from domain.history_text import SERVICE_LABELS, SERVICE_STATE_LABELS
from domain.services import clear_fields_of_other_states, service_changes, service_errors
from models import SERVICE_STATES, Contact, Service, db

STATES = [(state, SERVICE_STATE_LABELS[state]) for state in SERVICE_STATES]


class ServiceView(BaseModelView):
    """Services; suspending, resuming and ending open the edit form with the new state chosen.

    A service is never deleted, only ended: its history stays, and a contact with services is
    never purged (domain/contacts.py purge_refusals).
    """

    can_delete = False

    column_list = (
        "contact",
        "service_type",
        "tariff_name",
        "price",
        "start_date",
        "end_date",
        "state",
        "suspend_reason",
    )
    # The history names a service's fields as the list does: one set of words.
    column_labels = BaseModelView.column_labels | SERVICE_LABELS | {"service_type": lazy_gettext("Type")}
    column_default_sort = [("start_date", True), ("id", True)]
    column_filters = ("state", "contact_id")
    column_choices = {"state": STATES}
    column_extra_row_actions = [
        EndpointLinkRowAction(
            "fa fa-pause", ".edit_view", title=lazy_gettext("Suspend"), url_args={"state": "suspended"}
        ),
        EndpointLinkRowAction("fa fa-play", ".edit_view", title=lazy_gettext("Resume"), url_args={"state": "active"}),
        EndpointLinkRowAction("fa fa-stop", ".edit_view", title=lazy_gettext("End"), url_args={"state": "ended"}),
    ]
    form_columns = (
        "contact",
        "service_type",
        "tariff_name",
        "price",
        "start_date",
        "state",
        "suspend_reason",
        "suspended_from",
        "suspended_to",
        "end_date",
    )
    form_choices = {"state": STATES}
    form_args = {
        "tariff_name": {"validators": [InputRequired(), Length(max=100)]},
        "price": {"validators": [InputRequired(), NumberRange(0, 10_000_000)]},
        "start_date": {"validators": [InputRequired()]},
        "suspend_reason": {"label": lazy_gettext("Reason for suspending")},
    }
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(Service.contact), joinedload(Service.service_type))

    def create_form(self, obj=None):
        form = super().create_form(obj)
        contact_id = row_id(request.args.get("contact_id"))
        if request.method == "GET":
            form.start_date.data = date.today()
            if contact_id:
                form.contact.data = db.session.get(Contact, contact_id)
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        state = request.args.get("state")
        if request.method == "GET" and state in dict(STATES):
            form.state.data = state
            if state == "suspended" and not form.suspended_from.data:
                form.suspended_from.data = date.today()
            if state == "ended" and not form.end_date.data:
                form.end_date.data = date.today()
        return form

    def rule_errors(self, form) -> dict[str, str]:
        return service_errors(
            form.state.data,
            form.start_date.data,
            form.end_date.data,
            form.suspend_reason.data,
            form.suspended_from.data,
            form.suspended_to.data,
        )

    def on_model_change(self, form, model, is_created):
        with db.session.no_autoflush:
            clear_fields_of_other_states(model)
            action = "service added" if is_created else f"service {model.state}"
            record_change(model.contact, action, service_changes(model), current_user)


def register(admin) -> None:
    admin.add_view(ServiceView(Service, db, name=lazy_gettext("Services"), category=CATEGORY, endpoint="service"))
