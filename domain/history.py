"""A contact's change history: what changed, recorded with who and when."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext

from domain.sockets import reassign_socket
from domain.uniqueness import UNIQUE_FIELDS, uniqueness_errors
from models import ChangeLog, ClientGroup, ClientStatus, Contact, InvoiceGroup, Location, PaymentType, Socket, User, db

# Foreign keys in the history are shown by name.
NAMED_KEYS = {
    "client_group_id": ClientGroup,
    "client_status_id": ClientStatus,
    "location_id": Location,
    "invoice_group_id": InvoiceGroup,
    "payment_type_id": PaymentType,
    "socket_id": Socket,
}
# What a revert never puts back: bookkeeping, the password hash (never in the history) and deletion.
NOT_REVERTIBLE = frozenset({"portal_password_hash", "deleted_at", "deleted_by_id", "status_changed_at"})
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


def record_change(
    contact: Contact, action: str, changes: dict, user: User | None = None, actor: str = "staff"
) -> ChangeLog | None:
    """Add a history entry for `contact` to the session (nothing when nothing changed)."""
    if not changes and action == "update":
        return None
    entry = ChangeLog(contact=contact, user=user, actor=actor, action=action, changes=changes)
    db.session.add(entry)
    return entry


def history_rows(contact_id: int) -> list[tuple[ChangeLog, list[tuple[str, str, str]]]]:
    """Each history entry of a contact, newest first, with its changes as (field, old, new) texts."""
    entries = db.session.scalars(
        sa.select(ChangeLog)
        .where(ChangeLog.contact_id == contact_id)
        .options(so.joinedload(ChangeLog.user))
        .order_by(ChangeLog.created_at.desc(), ChangeLog.id.desc())
    ).all()
    wanted = {key: set() for key in NAMED_KEYS}
    for entry in entries:
        for key, change in entry.changes.items():
            if key in wanted:
                wanted[key].update(v for v in (change.get("old"), change.get("new")) if v is not None)
    names = {
        key: {
            row.id: str(row)
            for row in db.session.scalars(sa.select(NAMED_KEYS[key]).where(NAMED_KEYS[key].id.in_(ids)))
        }
        for key, ids in wanted.items()
        if ids
    }

    def shown(key, value):
        if value is None or value == "":
            return "—"
        return names.get(key, {}).get(value, str(value))

    return [
        (
            entry,
            [
                (key, shown(key, change.get("old")), shown(key, change.get("new")))
                for key, change in entry.changes.items()
            ],
        )
        for entry in entries
    ]


def latest_history_id(contact_id: int) -> int:
    """The newest history entry of a contact (0 without any): the edit form remembers it."""
    return db.session.scalar(sa.select(sa.func.max(ChangeLog.id)).where(ChangeLog.contact_id == contact_id)) or 0


def changes_since(contact_id: int, mark: int) -> list[tuple[ChangeLog, list[tuple[str, str, str]]]]:
    """History entries newer than `mark`, as history_rows gives them: what another user changed."""
    return [(entry, changes) for entry, changes in history_rows(contact_id) if entry.id > mark]


def revertible_fields(entry: ChangeLog) -> dict:
    """The changes of `entry` that a revert may put back."""
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

    The revert is itself recorded as a new history entry. Nothing is changed when it is refused;
    the caller commits.
    """
    contact = entry.contact
    fields = revertible_fields(entry)
    if not fields or contact.deleted_at is not None:
        return gettext("This entry has nothing that can be put back.")
    old = {key: _python_value(key, change["old"]) for key, change in fields.items()}
    # The same check as the form's, over the contact's values as the revert would leave them.
    unique = {key: getattr(contact, key) for key in UNIQUE_FIELDS} | {
        key: value for key, value in old.items() if key in UNIQUE_FIELDS
    }
    errors = uniqueness_errors(unique, contact.id)
    refusal = next((errors[key] for key in UNIQUE_FIELDS if key in errors and key in old), None)
    if refusal:
        return refusal
    with db.session.no_autoflush:
        for key, value in old.items():
            setattr(contact, key, value)
        changes = pending_changes(contact)
        record_change(contact, f"revert of #{entry.id}", changes, user)
        if "socket_id" in changes:  # the socket's own history follows, as on the form
            socket = db.session.get(Socket, contact.socket_id) if contact.socket_id is not None else None
            reassign_socket(contact, socket, user)
    return None
