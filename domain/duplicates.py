"""Duplicate warnings: other contacts with the same ID number, company ID, e-mail or mobile."""

from __future__ import annotations

import sqlalchemy as sa

from models import Contact, db

# Fields whose repetition across contacts deserves a warning (the clerk may save anyway).
DUPLICATE_CHECKED_FIELDS = ("id_number", "company_id", "email", "mobile")


def contacts_sharing(field: str, value: str | None, exclude_id: int | None = None, limit: int = 5) -> list[Contact]:
    """Other contacts (not deleted) with the same value in `field`; e-mails match per address."""
    if field not in DUPLICATE_CHECKED_FIELDS or not value:
        return []
    column = getattr(Contact, field)
    if field == "email":
        addresses = {a.strip() for a in value.replace(";", ",").split(",") if a.strip()} | {value}
        condition = column.in_(sorted(addresses))
    else:
        condition = column == value
    # Deleted contacts are dropped here rather than in SQL: a deleted_at condition can make
    # SQLite walk the deleted_at index over every contact instead of using this field's index.
    query = sa.select(Contact).where(condition)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    found = db.session.scalars(query.order_by(Contact.client_number).limit(limit + 20))
    return [contact for contact in found if contact.deleted_at is None][:limit]
