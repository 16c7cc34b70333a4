"""What hangs on a contact, in lists of its own: contact persons, notes and the change history."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Optional

from admin_views.base import BaseModelView
from admin_views.contacts.form import contact_lookup
from domain.history import record_row_edit
from domain.validators import parse_email_list, wtforms_validator
from models import ChangeLog, ContactPerson, Note, utcnow


class RowHistory:
    """A person or note changed in its own list is recorded in its contact's history, as on the contact form."""

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        record_row_edit(model, current_user)

    def on_model_delete(self, model):
        super().on_model_delete(model)
        record_row_edit(model, current_user, removed=True)


class ContactPersonView(RowHistory, BaseModelView):
    column_list = ("contact", "name", "role", "email", "phone")
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    form_columns = ("contact", "name", "role", "email", "phone")
    form_args = {
        "name": {"validators": [InputRequired()]},
        "email": {"validators": [Optional(), wtforms_validator(parse_email_list)]},
    }
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(ContactPerson.contact))


class NoteView(RowHistory, BaseModelView):
    """Staff-only notes; the author and time are set by the server."""

    column_list = ("contact", "created_at", "author", "text")
    column_default_sort = [("created_at", True), ("id", True)]
    form_columns = ("contact", "text")
    form_args = {"text": {"validators": [InputRequired()]}}
    form_overrides = {"text": TextAreaField}
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(Note.contact), joinedload(Note.author))

    def on_model_change(self, form, model, is_created):
        if is_created:
            model.author_id = current_user.id
            model.created_at = utcnow()
        super().on_model_change(form, model, is_created)


class ChangeLogView(BaseModelView):
    """The audit trail of contacts: read by staff, changed by nobody."""

    write_role = None
    column_list = ("created_at", "contact", "user", "actor", "action", "changes")
    column_default_sort = [("created_at", True), ("id", True)]
    column_filters = ("action", "actor")

    def get_query(self):
        return super().get_query().options(joinedload(ChangeLog.contact), joinedload(ChangeLog.user))
