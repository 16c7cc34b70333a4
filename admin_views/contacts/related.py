"""What hangs on a contact, in lists of its own: contact persons, notes and the change history."""

from __future__ import annotations

from flask_admin.contrib.sqla.filters import FilterEqual
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Optional

from admin_views.base import BaseModelView
from admin_views.contacts.form import contact_lookup
from admin_views.contacts.form_fields import FIELD_CHOICES, FIELD_LABELS
from domain.history import record_row_edit
from domain.history_text import ACTIONS, ACTORS, HistoryText, action_text, actor_text
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


ROW_LABELS = {
    "contact": lazy_gettext("Contact"),
    "name": lazy_gettext("Name"),
    "role": lazy_gettext("Role"),
    "email": lazy_gettext("E-mail"),
    "phone": lazy_gettext("Phone"),
    "created_at": lazy_gettext("Created"),
    "author": lazy_gettext("Author"),
    "text": lazy_gettext("Note"),
}


class ContactPersonView(RowHistory, BaseModelView):
    column_list = ("contact", "name", "role", "email", "phone")
    column_labels = ROW_LABELS
    column_default_sort = [("name", False), ("id", False)]
    column_searchable_list = ("name",)
    form_columns = ("contact", "name", "role", "email", "phone")
    form_args = {
        "contact": {"label": ROW_LABELS["contact"]},
        "name": {"label": ROW_LABELS["name"], "validators": [InputRequired()]},
        "role": {"label": ROW_LABELS["role"]},
        "email": {"label": ROW_LABELS["email"], "validators": [Optional(), wtforms_validator(parse_email_list)]},
        "phone": {"label": ROW_LABELS["phone"]},
    }
    form_ajax_refs = {"contact": contact_lookup("contact")}

    def get_query(self):
        return super().get_query().options(joinedload(ContactPerson.contact))


class NoteView(RowHistory, BaseModelView):
    """Staff-only notes; the author and time are set by the server."""

    column_list = ("contact", "created_at", "author", "text")
    column_labels = ROW_LABELS
    column_default_sort = [("created_at", True), ("id", True)]
    form_columns = ("contact", "text")
    form_args = {
        "contact": {"label": ROW_LABELS["contact"]},
        "text": {"label": ROW_LABELS["text"], "validators": [InputRequired()]},
    }
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
    column_labels = {
        "created_at": lazy_gettext("When"),
        "contact": lazy_gettext("Contact"),
        "user": lazy_gettext("User"),
        "actor": lazy_gettext("Made by"),
        "action": lazy_gettext("What"),
        "changes": lazy_gettext("Changes"),
    }
    column_default_sort = [("created_at", True), ("id", True)]
    column_filters = (
        FilterEqual(ChangeLog.actor, lazy_gettext("Made by"), options=list(ACTORS.items())),
        FilterEqual(ChangeLog.action, lazy_gettext("What"), options=list(ACTIONS.items())),
    )
    column_formatters = {
        "actor": lambda view, context, entry, name: actor_text(entry.actor),
        "action": lambda view, context, entry, name: action_text(entry.action),
        "changes": lambda view, context, entry, name: view.changes_text(entry),
    }

    def get_list(self, *args, **kwargs):
        """The page's entries, their changes described by one HistoryText (a query per code list, not per row)."""
        count, entries = super().get_list(*args, **kwargs)
        entries = list(entries)
        text = HistoryText(entries, FIELD_LABELS, FIELD_CHOICES)
        for entry in entries:
            entry.described_changes = text.changes(entry)
        return count, entries

    def changes_text(self, entry: ChangeLog) -> str:
        """The entry's changes, as its list page described them (or on their own, on its details page)."""
        described = getattr(entry, "described_changes", None)
        if described is None:
            described = HistoryText([entry], FIELD_LABELS, FIELD_CHOICES).changes(entry)
        return "; ".join(f"{label}: {old} → {new}" for label, old, new in described)

    def get_query(self):
        return super().get_query().options(joinedload(ChangeLog.contact), joinedload(ChangeLog.user))
