"""A contact's own rules: what its fields require of each other, what follows from them, its deletion."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext

from domain.client_numbers import allocate_client_number
from domain.history import pending_changes, record_change
from domain.passwords import generate_portal_password, set_portal_password
from domain.services import end_services
from domain.settings import get_settings
from domain.sockets import reassign_socket
from models import Contact, Service, SocketAssignment, User, db, utcnow

# Fields that only a corporate client keeps (a self-employed person has a company and VAT ID too).
COMPANY_FIELDS = ("company_name", "contact_person")
# Fields that only a contact with a different installation address keeps.
INSTALL_FIELDS = (
    "install_street",
    "install_postcode",
    "install_city",
    "install_country",
    "install_gps_lat",
    "install_gps_lon",
    "install_floor",
    "install_flat",
)


def _blank(value) -> bool:
    return not (value.strip() if isinstance(value, str) else value)


def contact_rule_errors(values: Mapping[str, object], today: date | None = None) -> dict[str, str]:
    """What the contact's fields require of each other, as {field: message} for each broken rule.

    `values` holds the fields by name; `payment_type` is the PaymentType chosen (or None).
    """
    errors = {}
    if values.get("is_corporate") and _blank(values.get("company_name")):
        errors["company_name"] = gettext("A corporate client needs a company name.")
    if values.get("has_different_address"):
        for name in ("install_street", "install_postcode", "install_city"):
            if not values.get(name):
                errors[name] = gettext("Fill in the installation address or untick the box.")
    birth_date = values.get("birth_date")
    if birth_date and birth_date > (today or date.today()):
        errors["birth_date"] = gettext("A birth date cannot be in the future.")
    payment_type = values.get("payment_type")
    if (
        payment_type is not None
        and payment_type.system_code == "bulk_payment"
        and _blank(values.get("bulk_payment_number"))
    ):
        errors["bulk_payment_number"] = gettext("Bulk payment needs the bulk payment number.")
    if values.get("invoice_by_email") and not (values.get("invoice_email") or values.get("email")):
        errors["invoice_by_email"] = gettext("Sending invoices by e-mail needs an invoicing or main e-mail.")
    return errors


def apply_contact_rules(contact: Contact, is_created: bool, new_password: bool, user: User) -> str | None:
    """Set what follows from the contact's fields, before it is saved; the new portal password, if any.

    A new contact gets its client number (automatic numbering) or moves the series on (manual);
    blocks switched off are emptied; the portal login defaults to the client number; a new
    contact, or one asked for it, gets a generated portal password; a status change is dated;
    the clerk's invoice group is remembered for the next new contact.
    Raises ClientNumbersExhausted when automatic numbering has no number left.
    """
    settings = get_settings()
    if is_created and settings.client_number_mode == "automatic":
        contact.client_number = allocate_client_number()
    elif is_created:
        settings.last_client_number = contact.client_number
    settle_contact_fields(contact)
    password = None
    if is_created or new_password:
        password = generate_portal_password()
        set_portal_password(contact, password, generated=True)
    user.last_invoice_group_id = contact.invoice_group.id
    return password


def settle_contact_fields(contact: Contact, status_changed: bool | None = None) -> None:
    """What follows from a numbered contact's fields, for the form and the import alike: blocks
    switched off are emptied, the portal login defaults to the client number, a status change is
    dated (`status_changed`: whether the status changed, when the caller knows; an import of
    100,000 rows does not look through each contact's pending changes for it)."""
    if not contact.is_corporate:
        for name in COMPANY_FIELDS:
            setattr(contact, name, None)
    if not contact.has_different_address:
        for name in INSTALL_FIELDS:
            setattr(contact, name, None)
    if not contact.portal_login:
        contact.portal_login = str(contact.client_number)
    if status_changed is None:
        status_changed = "client_status_id" in pending_changes(contact)
    if status_changed:
        contact.status_changed_at = utcnow()


def soft_delete(contact: Contact, user: User) -> int:
    """Delete the contact from the register: it keeps its number and history, frees its socket and
    ends its services (a deleted contact is nobody's client), all in one history entry.

    Returns how many services it ended.
    """
    contact.deleted_at = utcnow()
    contact.deleted_by_id = user.id
    changes = {"deleted_at": {"old": None, "new": contact.deleted_at.isoformat()}}
    if contact.socket_id is not None:
        # A deleted contact holds no socket: it is free for the next client.
        changes["socket_id"] = {"old": contact.socket_id, "new": None}
        reassign_socket(contact, None, user)
    with db.session.no_autoflush:  # the services' changes are read before they are written
        ended = end_services(contact)
    changes |= ended
    record_change(contact, "delete", changes, user)
    return sum(key.endswith(": state") for key in ended)


def restore(contact: Contact, user: User) -> None:
    """Put a deleted contact back in the register, without the socket it held; its services stay
    ended (a restored contact becomes a client again when a service is added)."""
    record_change(contact, "restore", {"deleted_at": {"old": contact.deleted_at.isoformat(), "new": None}}, user)
    contact.deleted_at = contact.deleted_by_id = None


def purge_refusals(contacts: list[Contact]) -> list[str]:
    """Why each of these contacts must be kept: it has services or a CATV socket history."""
    ids = [c.id for c in contacts]
    with_services = set(db.session.scalars(sa.select(Service.contact_id).where(Service.contact_id.in_(ids))))
    with_sockets = set(
        db.session.scalars(sa.select(SocketAssignment.contact_id).where(SocketAssignment.contact_id.in_(ids)))
    )
    reasons = []
    for contact in contacts:
        if contact.id in with_services:
            reasons.append(gettext("%(name)s has services.", name=contact.name))
        elif contact.id in with_sockets:
            reasons.append(gettext("%(name)s has a CATV socket history.", name=contact.name))
    return reasons
