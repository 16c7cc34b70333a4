"""The client card: a contact's fields as the form names and shows them, in tabs with its services,
CATV line, persons, notes and history; a note or a person added from it; a history entry reverted."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload, undefer
from werkzeug.datastructures import MultiDict

from admin_views.base import row_id
from admin_views.contacts.form_fields import FIELD_CHOICES, FIELD_LABELS
from admin_views.contacts.related import change_html, contact_history_url
from domain.gps import format_gps, map_url
from domain.history_text import (
    CONTACT_LABELS,
    SOCKET_CHAIN,
    HistoryText,
    action_text,
    author_text,
    country_name,
    history_rows,
    readable,
    service_state_text,
    socket_path,
)
from domain.revert import revert_change, revert_plan, revertible_entries
from domain.validators import format_phone
from models import ChangeLog, Contact, Note, Service, Socket, db

CARD_SECTIONS = [
    (
        lazy_gettext("Basic data"),
        ("client_number", "name", "is_corporate", "company_name", "contact_person"),
    ),
    (
        lazy_gettext("Address"),
        ("street", "postcode", "city", "country", "gps", "floor", "flat", "has_different_address"),
    ),
    (
        lazy_gettext("Installation address"),
        (
            "install_street",
            "install_postcode",
            "install_city",
            "install_country",
            "install_floor",
            "install_flat",
            "install_gps",
        ),
    ),
    (lazy_gettext("Identification"), ("id_number", "birth_date", "company_id", "vat_id")),
    (
        lazy_gettext("Contact"),
        (
            "email",
            "invoice_email",
            "tech_email",
            "business_email",
            "phone",
            "mobile",
            "fax",
            "www",
            "is_marked",
            "marked_reason",
            "no_bulk_email",
            "show_info_messages",
        ),
    ),
    (lazy_gettext("Portal"), ("portal_login", "portal_enabled")),
    (lazy_gettext("Classification"), ("client_group", "client_status", "status_changed_at", "location")),
    (lazy_gettext("Internal notes"), ("internal_note_1", "internal_note_2")),
    (
        lazy_gettext("Invoicing"),
        (
            "invoice_group",
            "payment_type",
            "bulk_payment_number",
            "invoice_by_post",
            "invoice_by_email",
            "no_auto_reminders",
            "issue_proforma",
            "bank_account",
            "iban",
            "bic",
            "opening_balance",
            "contract_returned",
            "invoicing_day",
            "due_days",
            "suspend_mode",
            "suspend_min_amount",
            "suspend_days_after_due",
            "extra_vs_1",
            "extra_vs_2",
            "extra_vs_3",
            "hide_overdue",
            "no_payment_notifications",
        ),
    ),
    (lazy_gettext("Record"), ("created_at", "updated_at")),
]
# Each field by the form's label; the few the form does not show by the history's.
CARD_LABELS = CONTACT_LABELS | FIELD_LABELS
# The card's tabs: (id, title). The id is the tab's ?tab= in the card's URL.
CARD_TABS = (
    ("overview", lazy_gettext("Overview")),
    ("services", lazy_gettext("Services")),
    ("catv", lazy_gettext("CATV")),
    ("persons", lazy_gettext("Persons and notes")),
    ("history", lazy_gettext("History")),
)
# The lists whose create form the card shows, by endpoint: what it says once one is added.
CARD_ROW_FORMS = {
    "note": lazy_gettext("The note was added."),
    "contact_person": lazy_gettext("The contact person was added."),
}


def gps_html(position: tuple) -> Markup:
    """A position as Mapy.cz writes it, with a link that opens it there."""
    return Markup('{} <a href="{}" target="_blank" rel="noopener">{}</a>').format(
        format_gps(*position), map_url(*position), gettext("Show on map")
    )


def card_value(contact: Contact, name: str) -> str | Markup | None:
    """A field's value as the form shows it (a code list by name, Yes/No, a country by name); None when empty."""
    value = getattr(contact, name)
    if value is None or value == "":
        return None
    if name in ("gps", "install_gps"):
        return gps_html(value)
    if isinstance(value, Socket):
        return socket_path(value)
    if isinstance(value, db.Model):
        return str(value)
    if name in FIELD_CHOICES:
        return str(dict(FIELD_CHOICES[name]).get(value, value))
    column = Contact.__table__.c.get(name)
    return readable(name, value, money=bool(column is not None and column.info.get("money")))


def card_sections(contact: Contact) -> list[tuple[str, list[tuple[str, str | Markup]]]]:
    """The overview's sections with their filled fields as (label, value); a section with none is left out."""
    sections = []
    for title, names in CARD_SECTIONS:
        if names[0].startswith("install_") and not contact.has_different_address:
            continue
        rows = [(CARD_LABELS.get(name, name), value) for name in names if (value := card_value(contact, name))]
        if rows:
            sections.append((title, rows))
    return sections


# The contact with everything the card shows, in a handful of queries (ContactView.one_options).
CARD_OPTIONS = (
    selectinload(Contact.persons),
    selectinload(Contact.notes).joinedload(Note.author),
    selectinload(Contact.services).joinedload(Service.service_type),
    joinedload(Contact.socket).options(SOCKET_CHAIN),
    joinedload(Contact.client_group),
    joinedload(Contact.client_status),
    joinedload(Contact.location),
    joinedload(Contact.invoice_group),
    joinedload(Contact.payment_type),
    undefer(Contact.is_client),
)


class ClientCardMixin:
    """The contacts view's client card (details view), its note and person forms, and the revert of a history entry."""

    details_template = "admin/contact_card.html"
    one_options = CARD_OPTIONS
    # What a history entry did, for the card and the edit conflict's list.
    history_action = staticmethod(action_text)
    service_state = staticmethod(service_state_text)
    phone = staticmethod(format_phone)
    change_html = staticmethod(change_html)

    def get_one(self, id):
        contact = super().get_one(id)
        if contact is not None and contact.is_deleted:
            abort(404)
        return contact

    def card(self, contact: Contact) -> dict:
        """What the card template shows besides the contact's own fields."""
        history = history_rows(contact.id, FIELD_LABELS, FIELD_CHOICES)
        posted = g.get("card_forms", {})
        tab = g.get("card_tab") or request.args.get("tab")
        return {
            "contact": contact,
            "sections": card_sections(contact),
            "socket_path": socket_path(contact.socket) if contact.socket else None,
            "tabs": CARD_TABS,
            "tab": tab if tab in dict(CARD_TABS) else "overview",
            "history": [(entry, author_text(entry), changes) for entry, changes in history],
            # Revert is offered on the entries it can act on now, to administrators.
            "revertible": revertible_entries([entry for entry, _ in history]) if current_user.is_admin else set(),
            # The small forms for a new note and person, or the one just posted, with its errors.
            "forms": {
                endpoint: posted.get(endpoint) or self.row_view(endpoint).create_form() for endpoint in CARD_ROW_FORMS
            },
            "history_url": contact_history_url(contact),
            "persons_url": url_for(".details_view", id=contact.id, tab="persons"),
            "install_country": country_name(contact.install_country) if contact.install_country else None,
        }

    def row_view(self, endpoint: str):
        """The registered list view of contact persons or notes: its form, checks and history rules apply."""
        return next(view for view in self.admin._views if view.endpoint == endpoint)

    @expose("/card/note/", methods=("POST",))
    def add_note(self):
        return self.add_row("note")

    @expose("/card/person/", methods=("POST",))
    def add_person(self):
        return self.add_row("contact_person")

    def add_row(self, endpoint: str):
        """Add a note or contact person to the card's contact through its own list's form and rules
        (author, history); on an error the card shows the form again with the typed text."""
        view = self.row_view(endpoint)
        if not view.can_create:
            abort(403)
        contact_id = row_id(request.args.get("id"))
        contact = None if contact_id is None else self.get_one(contact_id)
        if contact is None:
            return redirect(self.get_url(".index_view"))
        form = view.create_form()
        form.contact.process(MultiDict({"contact": str(contact.id)}))  # the card's contact, whatever was posted
        if view.validate_form(form) and view.create_model(form):
            flash(str(CARD_ROW_FORMS[endpoint]), "success")
            return redirect(url_for(".details_view", id=contact.id, tab="persons", _anchor="card-tabs"))
        g.card_forms, g.card_tab = {endpoint: form}, "persons"
        return self.details_view()

    @expose("/revert/", methods=("POST",))
    def revert(self):
        """Put one history entry's fields back (administrators only)."""
        if not current_user.is_admin:
            abort(403)
        entry_id = row_id(request.form.get("entry_id"))
        entry = None if entry_id is None else db.session.get(ChangeLog, entry_id)
        if entry is None:
            abort(404)
        contact_id, stale = entry.contact_id, revert_plan(entry).stale
        try:
            refusal = revert_change(entry, current_user)
            if not refusal:
                db.session.commit()
        except IntegrityError:  # a number or login the database saw taken after the check
            refusal = gettext("a value it would put back is now used by another contact.")
        if refusal:
            db.session.rollback()
            flash(gettext("Not reverted: %(reason)s", reason=refusal), "error")
        else:
            flash(gettext("History entry #%(id)d was reverted.", id=entry_id), "success")
            if stale:
                text = HistoryText([entry], FIELD_LABELS, FIELD_CHOICES)
                fields = ", ".join(text.change(key, None, None)[0] for key in stale)
                flash(gettext("Changed again since, so left as they are: %(fields)s", fields=fields), "warning")
        return redirect(url_for(".details_view", id=contact_id, tab="history"))
