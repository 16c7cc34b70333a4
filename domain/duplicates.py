"""Duplicate warnings: other contacts with the same ID number, company ID, e-mail or mobile."""

from __future__ import annotations

import sqlalchemy as sa

from domain.identifiers import parse_company_id, parse_id_number
from domain.validators import parse_email_list, parse_phone
from models import Contact, db

# Fields whose repetition across contacts deserves a warning (the clerk may save anyway).
DUPLICATE_CHECKED_FIELDS = ("id_number", "company_id", "email", "mobile")


def contacts_sharing(field: str, value: str | None, exclude_id: int | None = None, limit: int = 5) -> list[Contact]:
    """Other contacts (not deleted) with the same value in `field`; e-mails match per address.

    `value` is in its stored form (normalise_for_duplicate_check): the lookup is the field's index.
    """
    if field not in DUPLICATE_CHECKED_FIELDS or not value:
        return []
    column = getattr(Contact, field)
    if field == "email":
        addresses = {a.strip() for a in value.replace(";", ",").split(",") if a.strip()} | {value}
        condition = column.in_(sorted(addresses))
    else:
        condition = column == value
    # Deleted contacts are dropped here rather than in SQL: with `deleted_at IS NULL` SQLite may
    # walk the list's partial (client_number) index, already in this order, over every contact
    # instead of reading the few rows this field's index finds.
    query = sa.select(Contact).where(condition)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    found = db.session.scalars(query.order_by(Contact.client_number).limit(limit + 20))
    return [contact for contact in found if contact.deleted_at is None][:limit]


def normalise_for_duplicate_check(field: str, value: str, country: str) -> str:
    """The stored form of a typed value, so that the live check matches what saving would.

    Raises ValueError for a value the form would refuse.
    """
    if field == "id_number":
        return parse_id_number(value)
    if field == "company_id":
        return parse_company_id(value, country[:2])
    if field == "email":
        return parse_email_list(value)
    if field == "mobile":
        return parse_phone(value, country[:2])
    return value


def duplicate_warnings(values: dict, exclude_id: int | None) -> list[dict]:
    """For each checked field of `values` that other contacts share: the field, value and those contacts."""
    warnings = []
    for field in DUPLICATE_CHECKED_FIELDS:
        others = contacts_sharing(field, values.get(field), exclude_id)
        if others:
            warnings.append({"field": field, "value": values[field], "contacts": others})
    return warnings
