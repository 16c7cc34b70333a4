"""Duplicate warnings: other contacts with the same ID number, company ID, e-mail or mobile.

A clerk who saves anyway says the two contacts differ: that pair and kind is remembered
(AcknowledgedDuplicate) and the form does not warn about it again, from either side.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import sqlalchemy as sa

from domain.identifiers import parse_company_id, parse_id_number
from domain.validators import parse_email_list, parse_phone
from models import AcknowledgedDuplicate, Contact, User, db, utcnow

# Fields whose repetition across contacts deserves a warning (the clerk may save anyway).
DUPLICATE_CHECKED_FIELDS = ("id_number", "company_id", "email", "mobile")


def contacts_sharing(
    field: str, value: str | None, exclude_id: int | None = None, limit: int = 5, skip: Collection[int] = ()
) -> list[Contact]:
    """Other contacts (not deleted, not in `skip`) with the same value in `field`; e-mails match per address.

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
    if skip:
        query = query.where(Contact.id.not_in(sorted(skip)))
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


def duplicate_warnings(
    values: dict, exclude_id: int | None, skip: Mapping[str, Collection[int]] | None = None
) -> list[dict]:
    """For each checked field of `values` that other contacts share: the field, value and those
    contacts (but `exclude_id`, and those in `skip` under the field's name)."""
    warnings = []
    for field in DUPLICATE_CHECKED_FIELDS:
        others = contacts_sharing(field, values.get(field), exclude_id, skip=(skip or {}).get(field, ()))
        if others:
            warnings.append({"field": field, "value": values[field], "contacts": others})
    return warnings


def acknowledged_others(contact_id: int | None) -> dict[str, set[int]]:
    """The contacts a clerk said differ from `contact_id` despite a shared value, by kind (field)."""
    if contact_id is None:
        return {}
    table = AcknowledgedDuplicate
    pairs = db.session.execute(
        sa.select(table.kind, table.other_contact_id)
        .where(table.contact_id == contact_id)
        .union_all(sa.select(table.kind, table.contact_id).where(table.other_contact_id == contact_id))
    )
    found = {}
    for kind, other_id in pairs:
        found.setdefault(kind, set()).add(other_id)
    return found


def unacknowledged_duplicates(values: dict, contact_id: int | None) -> list[dict]:
    """The duplicate warnings for contact `contact_id` (None: a new one) but the pairs a clerk saved
    anyway: a clash once confirmed is not asked about again, a new one (another contact, another
    kind of value) is."""
    return duplicate_warnings(values, contact_id, acknowledged_others(contact_id))


def acknowledge_duplicates(contact_id: int, warnings: list[dict], user: User | None) -> None:
    """Remember that `contact_id` differs from each contact of `warnings` (the clerk saved anyway);
    added to the session, committed by the caller."""
    known = acknowledged_others(contact_id)
    for warning in warnings:
        for other in warning["contacts"]:
            if other.id not in known.get(warning["field"], ()):
                db.session.add(
                    AcknowledgedDuplicate(
                        contact_id=contact_id,
                        other_contact_id=other.id,
                        kind=warning["field"],
                        user_id=user.id if user is not None else None,
                        created_at=utcnow(),
                    )
                )
                known.setdefault(warning["field"], set()).add(other.id)
