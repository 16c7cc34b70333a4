"""The client card: a contact's sections, people, notes, services, socket and history, and reverting."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext, lazy_gettext
from sqlalchemy.orm import joinedload, selectinload, undefer

from domain.client_numbers import contact_with_client_number, contact_with_portal_login, variable_symbol_owner
from domain.history import pending_changes, record_change
from domain.sockets import socket_holder
from models import (
    ChangeLog, ClientGroup, ClientStatus, Contact, InvoiceGroup, Location, Note, PaymentType, Service, Socket, User,
    db,
)

CARD_SECTIONS = [
    (lazy_gettext("Basic data"), ("client_number", "name", "is_corporate", "company_name", "contact_person",
                                  "company_id", "vat_id")),
    (lazy_gettext("Address"), ("street", "postcode", "city", "country", "gps_lat", "gps_lon", "floor", "flat",
                               "has_different_address", "install_street", "install_postcode", "install_city")),
    (lazy_gettext("Identification"), ("id_number", "birth_date")),
    (lazy_gettext("Contact"), ("email", "invoice_email", "tech_email", "business_email", "phone", "mobile", "fax",
                               "www", "is_marked", "marked_reason", "no_bulk_email", "show_info_messages")),
    (lazy_gettext("Portal"), ("portal_login", "portal_enabled")),
    (lazy_gettext("Classification"), ("client_group", "client_status", "status_changed_at", "location")),
    (lazy_gettext("Internal notes"), ("internal_note_1", "internal_note_2")),
    (lazy_gettext("Invoicing"), ("invoice_group", "payment_type", "bulk_payment_number", "invoice_by_post",
                                 "invoice_by_email", "no_auto_reminders", "issue_proforma", "bank_account", "iban",
                                 "bic", "opening_balance", "contract_returned", "invoicing_day", "due_days",
                                 "suspend_mode", "suspend_min_amount", "suspend_days_after_due", "extra_vs_1",
                                 "extra_vs_2", "extra_vs_3", "hide_overdue", "no_payment_notifications")),
    (lazy_gettext("Record"), ("created_at", "updated_at")),
]

# Foreign keys in the history are shown by name.
NAMED_KEYS = {"client_group_id": ClientGroup, "client_status_id": ClientStatus, "location_id": Location,
              "invoice_group_id": InvoiceGroup, "payment_type_id": PaymentType, "socket_id": Socket}
# What a revert never puts back: bookkeeping, the password hash (never in the history) and deletion.
NOT_REVERTIBLE = frozenset({"portal_password_hash", "deleted_at", "deleted_by_id", "status_changed_at"})


def yes_or_no(view, value: bool, name: str) -> str:
    """A yes/no field on the card, in the user's language (Flask-Admin would print True)."""
    return gettext("Yes") if value else gettext("No")


# The contact with everything the card shows, in a handful of queries (ContactView.one_options).
CARD_OPTIONS = (
    selectinload(Contact.persons), selectinload(Contact.notes).joinedload(Note.author),
    selectinload(Contact.services).joinedload(Service.service_type),
    joinedload(Contact.socket), joinedload(Contact.client_group), joinedload(Contact.client_status),
    joinedload(Contact.location), joinedload(Contact.invoice_group), joinedload(Contact.payment_type),
    undefer(Contact.is_client))


def history_rows(contact: Contact) -> list[tuple[ChangeLog, list[tuple[str, str, str]]]]:
    """Each history entry, newest first, with its changes as (field, old, new) texts."""
    entries = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact.id)
                                 .options(joinedload(ChangeLog.user))
                                 .order_by(ChangeLog.created_at.desc(), ChangeLog.id.desc())).all()
    wanted = {key: set() for key in NAMED_KEYS}
    for entry in entries:
        for key, change in entry.changes.items():
            if key in wanted:
                wanted[key].update(v for v in (change.get("old"), change.get("new")) if v is not None)
    names = {key: {row.id: str(row) for row in db.session.scalars(sa.select(NAMED_KEYS[key]).where(
        NAMED_KEYS[key].id.in_(ids)))} for key, ids in wanted.items() if ids}

    def shown(key, value):
        if value is None or value == "":
            return "—"
        return names.get(key, {}).get(value, str(value))

    return [(entry, [(key, shown(key, change.get("old")), shown(key, change.get("new")))
                     for key, change in entry.changes.items()]) for entry in entries]


def latest_history_id(contact_id: int) -> int:
    """The newest history entry of a contact (0 without any): the edit form remembers it."""
    return db.session.scalar(sa.select(sa.func.max(ChangeLog.id)).where(ChangeLog.contact_id == contact_id)) or 0


def changes_since(contact_id: int, mark: int) -> list[tuple[ChangeLog, list[tuple[str, str, str]]]]:
    """History entries newer than `mark`, as history_rows gives them: what another user changed."""
    contact = db.session.get(Contact, contact_id)
    return [(entry, changes) for entry, changes in history_rows(contact) if entry.id > mark]


def revertible_fields(entry: ChangeLog) -> dict:
    columns = Contact.__table__.c
    return {key: change for key, change in entry.changes.items() if key in columns and key not in NOT_REVERTIBLE}


def _python_value(key: str, value):
    """A value from the JSON history as the column's Python type."""
    if value is None:
        return None
    python_type = Contact.__table__.c[key].type.python_type
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    return value


def revert_change(entry: ChangeLog, user: User) -> str | None:
    """Put the fields of one history entry back to their old values; the reason if refused.

    The revert is itself recorded as a new history entry; nothing is saved when it is refused.
    """
    contact = entry.contact
    fields = revertible_fields(entry)
    if not fields or contact.deleted_at is not None:
        return gettext("This entry has nothing that can be put back.")
    old = {key: _python_value(key, change["old"]) for key, change in fields.items()}
    if old.get("client_number") is not None:
        holder = contact_with_client_number(old["client_number"], contact.id)
        if holder is not None:
            return gettext("Client number %(number)s now belongs to %(name)s.", number=old["client_number"],
                           name=holder.name)
    if old.get("socket_id") is not None:
        holder = socket_holder(old["socket_id"], contact.id)
        if holder is not None:
            return gettext("The socket is now held by %(name)s.", name=holder.name)
    for key in ("extra_vs_1", "extra_vs_2", "extra_vs_3"):
        if old.get(key) is not None and variable_symbol_owner(old[key], contact.id) is not None:
            return gettext("Variable symbol %(number)s is now used by another contact.", number=old[key])
    if old.get("portal_login"):
        taken = contact_with_portal_login(old["portal_login"], contact.id)
        if taken is not None:
            return gettext("Portal login %(login)s is now used by %(name)s.", login=old["portal_login"],
                           name=taken.name)
    with db.session.no_autoflush:
        for key, value in old.items():
            setattr(contact, key, value)
        record_change(contact, f"revert of #{entry.id}", pending_changes(contact), user)
    db.session.commit()
    return None
