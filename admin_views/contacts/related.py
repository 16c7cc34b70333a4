"""What hangs on a contact, in lists of its own: contact persons, notes and the change history."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual, IntEqualFilter
from flask_babel import get_timezone, lazy_gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Optional

from admin_views.base import BaseModelView, row_id
from admin_views.contacts.filters import CreatedBetweenFilter, filter_url_name, read_at_start_up
from admin_views.contacts.form import contact_lookup
from admin_views.contacts.form_fields import FIELD_CHOICES, FIELD_LABELS
from domain.history import record_row_edit
from domain.history_text import ACTIONS, ACTORS, HistoryText, action_text, actor_text, author_text
from domain.validators import parse_email_list, wtforms_validator
from models import ChangeLog, Contact, ContactPerson, Note, User, db, utcnow
from storage.search_index import search_condition


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
        "name": {"label": ROW_LABELS["name"], "validators": [DataRequired()]},
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
        "text": {"label": ROW_LABELS["text"], "validators": [DataRequired()]},
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


class ContactFilter(BaseSQLAFilter):
    """History of the contacts with this client number, or that the contacts list's search finds (a name)."""

    def validate(self, value) -> bool:
        return bool(value.strip())

    def apply(self, query, value, alias=None):
        value = value.strip()
        number = row_id(value)
        if number is not None and len(value) <= 10:
            contacts = sa.select(Contact.id).where(Contact.client_number == number)
        else:
            contacts = sa.select(Contact.id).where(search_condition(value, db.engine.dialect.name))
        return query.filter(ChangeLog.contact_id.in_(contacts))

    def operation(self):
        return lazy_gettext("is")


class DayRangeFilter(CreatedBetweenFilter):
    """Made on any day from the first date to the last, days as the provider's time zone counts them."""

    def apply(self, query, value, alias=None):
        zone = get_timezone()
        start, end = (
            zone.localize(datetime.combine(day, time.min)).astimezone(UTC)
            for day in (value[0], value[1] + timedelta(1))
        )
        return query.filter(self.column >= start, self.column < end)


@read_at_start_up
def staff_users():
    """The user filter's choices, read again on each page of the history (ChangeLogView.index_view)."""
    return [
        (str(user.id), str(user))
        for user in db.session.scalars(sa.select(User).order_by(User.full_name, User.username))
    ]


CONTACT_FILTER = ContactFilter(ChangeLog.contact_id, lazy_gettext("Client number or name"))


def contact_history_url(contact: Contact) -> str:
    """The history list of one contact."""
    return url_for("change_log.index_view", **{f"flt0_{filter_url_name(CONTACT_FILTER)}": contact.client_number})


def change_html(label: str, old: str, new: str) -> Markup:
    """One change: its field, the old value struck through, the new one; no value is a plain dash."""
    empty = Markup('<span class="history-empty">—</span>')
    return Markup('<span class="history-field">{}:</span> {} → {}').format(
        label,
        empty if old == "—" else Markup("<del>{}</del>").format(old),
        empty if new == "—" else Markup("<ins>{}</ins>").format(new),
    )


def changes_html(view, context, entry: ChangeLog, name: str) -> Markup:
    """Each change of an entry on its own line."""
    return Markup('<ul class="history-changes">{}</ul>').format(
        Markup("").join(Markup("<li>{}</li>").format(change_html(*change)) for change in view.described(entry))
    )


def contact_link(view, context, entry: ChangeLog, name: str) -> Markup | str:
    """The contact, linked to its card (a deleted one has none)."""
    if entry.contact.is_deleted:
        return str(entry.contact)
    return Markup('<a href="{}">{}</a>').format(url_for("contact.details_view", id=entry.contact_id), entry.contact)


class ChangeLogView(BaseModelView):
    """The audit trail of contacts: read by staff, changed by nobody."""

    write_role = None
    column_list = ("created_at", "contact", "user", "action", "changes")
    column_labels = {
        "created_at": lazy_gettext("When"),
        "contact": lazy_gettext("Contact"),
        "user": lazy_gettext("Who"),
        "actor": lazy_gettext("Made by"),
        "action": lazy_gettext("What"),
        "changes": lazy_gettext("Changes"),
    }
    column_default_sort = [("created_at", True), ("id", True)]
    column_filters = (
        CONTACT_FILTER,
        IntEqualFilter(ChangeLog.user_id, lazy_gettext("User"), options=staff_users),  # a number on PostgreSQL
        DayRangeFilter(ChangeLog.created_at, lazy_gettext("When")),
        FilterEqual(ChangeLog.actor, lazy_gettext("Made by"), options=list(ACTORS.items())),
        FilterEqual(ChangeLog.action, lazy_gettext("What"), options=list(ACTIONS.items())),
    )
    named_filter_urls = True
    column_formatters = {
        "contact": contact_link,
        "user": lambda view, context, entry, name: author_text(entry),
        "actor": lambda view, context, entry, name: actor_text(entry.actor),
        "action": lambda view, context, entry, name: action_text(entry.action),
        "changes": changes_html,
    }
    column_formatters_export = column_formatters | {
        "contact": lambda view, context, entry, name: str(entry.contact),
        "changes": lambda view, context, entry, name: "; ".join(
            f"{label}: {old} → {new}" for label, old, new in view.described(entry)
        ),
    }
    list_template = "admin/history_list.html"

    def get_filter_arg(self, index: int, flt) -> str:
        return filter_url_name(flt)

    @expose("/")
    def index_view(self):
        self._refresh_filters_cache()  # the user filter offers users added since
        return super().index_view()

    def get_list(self, *args, **kwargs):
        """The page's entries, their changes described by one HistoryText (a query per code list, not per row)."""
        count, entries = super().get_list(*args, **kwargs)
        entries = list(entries)
        text = HistoryText(entries, FIELD_LABELS, FIELD_CHOICES)
        for entry in entries:
            entry.described_changes = text.changes(entry)
        return count, entries

    def described(self, entry: ChangeLog) -> list[tuple[str, str, str]]:
        """The entry's changes, as its list page described them (or on their own, on its details page)."""
        described = getattr(entry, "described_changes", None)
        if described is None:
            described = HistoryText([entry], FIELD_LABELS, FIELD_CHOICES).changes(entry)
        return described

    def get_query(self):
        return super().get_query().options(joinedload(ChangeLog.contact), joinedload(ChangeLog.user))
