"""Contacts, their contact persons and notes, and the change history."""

from __future__ import annotations

from flask import abort, request
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.model.form import InlineFormAdmin
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms.validators import InputRequired, NumberRange

from admin_views import BaseModelView
from models import (
    MAX_VARIABLE_SYMBOL,
    ChangeLog,
    Contact,
    ContactPerson,
    Note,
    Socket,
    db,
    get_settings,
    next_client_number,
    pending_changes,
    record_change,
    utcnow,
)

CATEGORY = lazy_gettext("Contacts")


class ContactLookup(QueryAjaxModelLoader):
    """Ajax lookup of contacts that are not deleted, by name."""

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_(None))


def contact_lookup(name: str) -> ContactLookup:
    return ContactLookup(name, db, Contact, fields=["name"], order_by=Contact.name,
                         minimum_input_length=2, placeholder=lazy_gettext("Type a name"))


class ContactPersonInline(InlineFormAdmin):
    form_columns = ("id", "name", "role", "email", "phone")
    form_label = lazy_gettext("Contact persons")
    form_args = {"name": {"validators": [InputRequired()]}}


class ContactView(BaseModelView):
    """The register of contacts; deleting only hides a contact (soft delete)."""

    column_list = ("client_number", "name", "company_name", "city", "street", "phone", "email",
                   "client_group", "client_status", "invoice_group")
    column_labels = {"client_number": lazy_gettext("Client number"), "company_name": lazy_gettext("Company"),
                     "client_group": lazy_gettext("Group"), "client_status": lazy_gettext("Status")}
    column_sortable_list = ("client_number", "name", "company_name", "city", "street", "phone", "email",
                            ("client_group", "client_group.name"), ("client_status", "client_status.name"),
                            ("invoice_group", "invoice_group.name"))
    column_default_sort = [("name", False), ("id", False)]
    column_details_exclude_list = ("search_text", "portal_password_hash", "version")

    form_excluded_columns = ("search_text", "version", "created_at", "updated_at", "deleted_at",
                             "deleted_by_id", "portal_password_hash", "status_changed_at",
                             "services", "notes")
    form_args = {"client_number": {"validators": [InputRequired(), NumberRange(1, MAX_VARIABLE_SYMBOL)]}}
    form_ajax_refs = {
        "socket": QueryAjaxModelLoader("socket", db, Socket, fields=["label"], order_by=Socket.label,
                                       minimum_input_length=1),
    }
    inline_models = (ContactPersonInline(ContactPerson),)

    def get_query(self):
        return super().get_query().filter(Contact.deleted_at.is_(None))

    def get_count_query(self):
        return super().get_count_query().filter(Contact.deleted_at.is_(None))

    def get_one(self, id):
        contact = super().get_one(id)
        if contact.deleted_at is not None:
            abort(404)
        return contact

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if request.method == "GET":
            form.client_number.data = next_client_number()
            form.country.data = get_settings().default_country
            form.due_days.data = get_settings().default_due_days
        return form

    def on_model_change(self, form, model, is_created):
        if is_created:
            get_settings().last_client_number = model.client_number
        record_change(model, "create" if is_created else "update", pending_changes(model), current_user)

    def delete_model(self, model) -> bool:
        """Soft delete: the contact leaves the lists but keeps its number and history."""
        model.deleted_at = utcnow()
        model.deleted_by_id = current_user.id
        record_change(model, "delete", {"deleted_at": {"old": None, "new": model.deleted_at.isoformat()}},
                      current_user)
        db.session.commit()
        return True


class ContactPersonView(BaseModelView):
    column_list = ("contact", "name", "role", "email", "phone")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    form_columns = ("contact", "name", "role", "email", "phone")
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(ContactPerson.contact))


class NoteView(BaseModelView):
    """Staff-only notes; the author and time are set by the server."""

    column_list = ("contact", "created_at", "author", "text")
    column_default_sort = [("created_at", True), ("id", True)]
    form_columns = ("contact", "text")
    form_args = {"text": {"validators": [InputRequired()]}}
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(Note.contact), joinedload(Note.author))

    def on_model_change(self, form, model, is_created):
        if is_created:
            model.author = current_user
            model.created_at = utcnow()


class ChangeLogView(BaseModelView):
    """The audit trail of contacts: read by staff, changed by nobody."""

    write_role = None
    column_list = ("created_at", "contact", "user", "actor", "action", "changes")
    column_default_sort = [("created_at", True), ("id", True)]
    column_filters = ("action", "actor")

    def get_query(self):
        return super().get_query().options(joinedload(ChangeLog.contact), joinedload(ChangeLog.user))


def register(admin) -> None:
    admin.add_view(ContactView(Contact, db, name=lazy_gettext("Contacts"), category=CATEGORY,
                               endpoint="contact"))
    admin.add_view(ContactPersonView(ContactPerson, db, name=lazy_gettext("Contact persons"),
                                     category=CATEGORY, endpoint="contact_person"))
    admin.add_view(NoteView(Note, db, name=lazy_gettext("Notes"), category=CATEGORY, endpoint="note"))
    admin.add_view(ChangeLogView(ChangeLog, db, name=lazy_gettext("History"), category=CATEGORY,
                                 endpoint="change_log"))
