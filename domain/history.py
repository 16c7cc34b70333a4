"""A contact's change history: what changed, recorded with who and when."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import ChangeLog, Contact, User, db

# Columns whose changes are bookkeeping, not something a clerk changed.
UNTRACKED_CONTACT_FIELDS = frozenset({"id", "search_text", "version", "created_at", "updated_at"})


def _jsonable(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def pending_changes(obj: db.Model, skip: frozenset[str] = UNTRACKED_CONTACT_FIELDS) -> dict:
    """The column changes of `obj` not yet flushed, as {field: {"old": ..., "new": ...}}."""
    state = sa.inspect(obj)
    changes = {}
    # A form sets relationships (contact.client_status); their foreign keys change only at flush.
    for relationship in state.mapper.relationships:
        local = list(relationship.local_columns)
        if relationship.direction is not so.interfaces.MANYTOONE or len(local) != 1 or local[0].key in skip:
            continue
        history = state.attrs[relationship.key].history
        if not history.added:
            continue
        new = history.added[0].id if history.added[0] is not None else None
        old = None if state.pending else state.attrs[local[0].key].loaded_value
        if old is sa.orm.base.NO_VALUE:
            old = None
        if old != new:
            changes[local[0].key] = {"old": old, "new": new}
    for attr in state.mapper.column_attrs:
        if attr.key in skip:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new or (state.pending and new is None) or attr.key in changes:
            continue
        if attr.key == "portal_password_hash":
            # The hash never goes into the history; that it changed does.
            old, new = ("***" if old else None), "***"
        changes[attr.key] = {"old": _jsonable(old), "new": _jsonable(new)}
    return changes


def record_change(contact: Contact, action: str, changes: dict, user: User | None = None,
                  actor: str = "staff") -> ChangeLog | None:
    """Add a history entry for `contact` to the session (nothing when nothing changed)."""
    if not changes and action == "update":
        return None
    entry = ChangeLog(contact=contact, user=user, actor=actor, action=action, changes=changes)
    db.session.add(entry)
    return entry
