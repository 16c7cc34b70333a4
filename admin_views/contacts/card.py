"""The client card: a contact's sections, read with its people, notes, services and code lists."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload, undefer

from admin_views.base import row_id
from admin_views.contacts.form_fields import FIELD_CHOICES, FIELD_LABELS
from admin_views.contacts.list_rows import phone_formatter
from domain.gps import format_gps, map_url
from domain.history_text import action_text, history_rows, service_state_text
from domain.revert import revert_change, revert_plan, revertible_entries
from models import ChangeLog, Contact, Note, Service, db

CARD_SECTIONS = [
    (
        lazy_gettext("Basic data"),
        ("client_number", "name", "is_corporate", "company_name", "contact_person"),
    ),
    (
        lazy_gettext("Address"),
        (
            "street",
            "postcode",
            "city",
            "country",
            "gps",
            "floor",
            "flat",
            "has_different_address",
            "install_street",
            "install_postcode",
            "install_city",
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


def gps_formatter(view, context, contact: Contact, name: str) -> Markup | str:
    """A position as Mapy.cz writes it, with a link that opens it there."""
    position = getattr(contact, name)
    if position is None:
        return ""
    return Markup('{} <a href="{}" target="_blank" rel="noopener">{}</a>').format(
        format_gps(*position), map_url(*position), gettext("Show on map")
    )


# The contact with everything the card shows, in a handful of queries (ContactView.one_options).
CARD_OPTIONS = (
    selectinload(Contact.persons),
    selectinload(Contact.notes).joinedload(Note.author),
    selectinload(Contact.services).joinedload(Service.service_type),
    joinedload(Contact.socket),
    joinedload(Contact.client_group),
    joinedload(Contact.client_status),
    joinedload(Contact.location),
    joinedload(Contact.invoice_group),
    joinedload(Contact.payment_type),
    undefer(Contact.is_client),
)


class ClientCardMixin:
    """The contacts view's client card (details view) and the revert of a history entry from it."""

    details_template = "admin/contact_card.html"
    one_options = CARD_OPTIONS
    column_formatters = {"phone": phone_formatter, "gps": gps_formatter, "install_gps": gps_formatter}
    column_details_exclude_list = ("search_text", "portal_password_hash", "version")
    # What a history entry did, for the card and the edit conflict's list.
    history_action = staticmethod(action_text)
    service_state = staticmethod(service_state_text)

    def get_one(self, id):
        contact = super().get_one(id)
        if contact.is_deleted:
            abort(404)
        return contact

    def card(self, contact: Contact) -> dict:
        """What the card template shows besides the contact's own fields."""
        history = history_rows(contact.id, FIELD_LABELS, FIELD_CHOICES)
        return {
            "contact": contact,
            "sections": CARD_SECTIONS,
            "history": history,
            # Revert is offered on the entries it can act on now, to administrators.
            "revertible": revertible_entries([entry for entry, _ in history]) if current_user.is_admin else set(),
        }

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
                flash(
                    gettext("Changed again since, so left as they are: %(fields)s", fields=", ".join(stale)),
                    "warning",
                )
        return redirect(url_for(".details_view", id=contact_id))
