"""Who may use the client portal, how a portal login finds its contact, and what a client is shown."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext

from models import Contact, InfoMessage, db


def may_use_portal(contact: Contact) -> bool:
    """Whether the contact may log in to the portal: not deleted, access on, a password set."""
    return contact.deleted_at is None and contact.portal_enabled and bool(contact.portal_password_hash)


def find_client(login: str) -> Contact | None:
    """The contact a portal login names: its portal login, or its client number."""
    login = login.strip()
    conditions = [Contact.portal_login == login]
    # A client number column holds at most ten digits; a longer number cannot name anyone.
    if login.isdigit() and len(login) <= 10:
        conditions.append(Contact.client_number == int(login))
    return db.session.scalars(
        sa.select(Contact).where(sa.or_(*conditions), Contact.deleted_at.is_(None)).order_by(Contact.id).limit(1)
    ).first()


def password_strength_error(password: str, contact: Contact) -> str | None:
    """Why `password` is too weak for the client `contact` to choose, or None when it will do."""
    if len(password) < 10:
        return gettext("Use at least 10 characters.")
    if password.isdigit() or password.isalpha() or password.lower() == password or password.upper() == password:
        return gettext("Mix upper and lower case letters with digits.")
    if password.lower() in {str(contact.client_number), (contact.portal_login or "").lower()}:
        return gettext("The password must not be your login.")
    return None


def current_info_messages(contact: Contact, today: date | None = None) -> list[InfoMessage]:
    """The info messages this client should see today (none if it turned them off)."""
    if not contact.show_info_messages:
        return []
    today = today or date.today()
    audience = [InfoMessage.audience == "all"]
    if contact.client_group_id:
        audience.append(
            sa.and_(InfoMessage.audience == "group", InfoMessage.client_group_id == contact.client_group_id)
        )
    if contact.client_status_id:
        audience.append(
            sa.and_(InfoMessage.audience == "status", InfoMessage.client_status_id == contact.client_status_id)
        )
    return list(
        db.session.scalars(
            sa.select(InfoMessage)
            .where(
                InfoMessage.shown,
                sa.or_(InfoMessage.valid_from.is_(None), InfoMessage.valid_from <= today),
                sa.or_(InfoMessage.valid_to.is_(None), InfoMessage.valid_to >= today),
                sa.or_(*audience),
            )
            .order_by(InfoMessage.valid_from.desc(), InfoMessage.id.desc())
        )
    )
