"""A contact's change history: what changed, recorded with who and when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import (
    ChangeLog,
    ClientGroup,
    ClientStatus,
    Contact,
    ContactPerson,
    InvoiceGroup,
    Location,
    Note,
    PaymentType,
    Socket,
    User,
    db,
    utcnow,
)

# Foreign keys in the history are shown by name (domain/history_text.py).
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
# A contact's persons and notes in its history: each row's fields under "person 12: phone".
# A note's author and time are who wrote it, not something a clerk edits.
ROWS = {"person": ("persons", ContactPerson, ("name", "role", "email", "phone")), "note": ("notes", Note, ("text",))}
ROW_KEY = re.compile(r"(person|note) (\d+): (\w+)")


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
        if old in (None, "") and new in (None, ""):
            continue  # an empty field saved from a form: nothing a clerk would call a change
        if attr.key == "portal_password_hash":
            # The hash never goes into the history; that it changed does.
            old, new = ("***" if old else None), "***"
        changes[attr.key] = {"old": _jsonable(old), "new": _jsonable(new)}
    return changes


def created_changes(columns: dict, skip: frozenset[str] = UNTRACKED_CONTACT_FIELDS) -> dict:
    """A new row's filled columns ({column: value}) as changes from nothing: what `pending_changes`
    gives for a new contact, made without reading each attribute's history (an import's 100,000)."""
    return {
        key: {"old": None, "new": "***" if key == "portal_password_hash" else _jsonable(value)}
        for key, value in columns.items()
        if key not in skip and value is not None and value != ""
    }


def record_created(contacts: list[tuple[int, dict]], action: str, user: User | None = None) -> None:
    """A history entry for each new contact (its id and its columns), inserted in one statement
    (an import's chunk of a thousand; one INSERT each was a third of the import's time)."""
    if contacts:
        user_id = user.id if user is not None else None
        entries = [
            {
                "contact_id": contact_id,
                "user_id": user_id,
                "actor": "staff",
                "action": action,
                "changes": created_changes(columns),
            }
            for contact_id, columns in contacts
        ]
        db.session.execute(sa.insert(ChangeLog), entries)


def record_change(
    contact: Contact, action: str, changes: dict, user: User | None = None, actor: str = "staff"
) -> ChangeLog | None:
    """Add a history entry for `contact` to the session (nothing when nothing changed)."""
    if not changes and action == "update":
        return None
    entry = ChangeLog(contact=contact, user=user, actor=actor, action=action, changes=changes)
    db.session.add(entry)
    return entry


@dataclass
class RowChange:
    """A contact person or note added, changed or removed and not yet flushed (a new row has no id yet)."""

    kind: str
    row: db.Model
    action: str  # "added", "changed" or "removed"
    fields: dict

    def keyed(self) -> dict:
        """The change under its history keys, once a flush has given a new row its id.

        An added or removed row also records its id appearing or going: that tells a revert to
        remove or re-create the row, where a field filled in for the first time only changes it.
        """
        fields = self.fields
        if self.action != "changed":
            ids = {"old": None, "new": self.row.id} if self.action == "added" else {"old": self.row.id, "new": None}
            fields = {"id": ids} | fields
        return {f"{self.kind} {self.row.id}: {name}": change for name, change in fields.items()}


def _filled(value) -> bool:
    return value is not None and value != ""


def pending_row_change(row: ContactPerson | Note) -> RowChange | None:
    """How a contact person or note is changed in the session, not yet flushed; None when it is not."""
    kind = next(kind for kind, (_, model, _) in ROWS.items() if isinstance(row, model))
    names = ROWS[kind][2]
    state = sa.inspect(row)
    if row in db.session.deleted:
        action = "removed"
        fields = {name: {"old": getattr(row, name), "new": None} for name in names if _filled(getattr(row, name))}
    elif state.transient or state.pending:
        action = "added"
        fields = {name: {"old": None, "new": getattr(row, name)} for name in names if _filled(getattr(row, name))}
    else:
        action = "changed"
        fields = {name: change for name, change in pending_changes(row, frozenset()).items() if name in names}
    return RowChange(kind, row, action, fields) if fields or action != "changed" else None


def pending_row_changes(contact: Contact) -> list[RowChange]:
    """The contact's persons and notes added, changed or removed in the session, not yet flushed."""
    changes = []
    for relationship, model, _ in ROWS.values():
        rows = list(getattr(contact, relationship))
        rows += [
            row
            for row in db.session.deleted
            if isinstance(row, model) and row.contact_id == contact.id and all(row is not r for r in rows)
        ]
        changes += [change for row in rows if (change := pending_row_change(row)) is not None]
    return changes


def row_changes(changes: list[RowChange]) -> dict:
    """The row changes under their history keys, for record_change (after the flush that gave ids)."""
    return {key: change for row_change in changes for key, change in row_change.keyed().items()}


def _whole_row(row: ContactPerson | Note, action: str) -> RowChange:
    """All of a row's values as added or removed."""
    kind = next(kind for kind, (_, model, _) in ROWS.items() if isinstance(row, model))
    values = {name: getattr(row, name) for name in ROWS[kind][2] if _filled(getattr(row, name))}
    if action == "added":
        return RowChange(kind, row, action, {name: {"old": None, "new": value} for name, value in values.items()})
    return RowChange(kind, row, action, {name: {"old": value, "new": None} for name, value in values.items()})


def record_row_edit(row: ContactPerson | Note, user: User, removed: bool = False) -> None:
    """A person or note changed in its own list (not on the contact form): recorded in its contact's history.

    A row moved to another contact leaves the one and joins the other. Each contact gets a new
    version, so that a contact form open on it notices. Flushes, so a new row has its id.
    """
    with db.session.no_autoflush:
        # Until the flush the foreign key still names the contact the row belonged to.
        left = row.contact_id if row.contact is not None and row.contact_id not in (None, row.contact.id) else None
        if removed:
            changes = [(row.contact, _whole_row(row, "removed"))]
        elif left is not None:
            changes = [
                (db.session.get(Contact, left), _whole_row(row, "removed")),
                (row.contact, _whole_row(row, "added")),
            ]
        else:
            change = pending_row_change(row)
            changes = [(row.contact, change)] if change is not None else []
        for contact, _ in changes:
            contact.updated_at = utcnow()
    db.session.flush()
    for contact, change in changes:
        record_change(contact, "update", change.keyed(), user)


def latest_history_id(contact_id: int) -> int:
    """The newest history entry of a contact (0 without any): the edit form remembers it."""
    return db.session.scalar(sa.select(sa.func.max(ChangeLog.id)).where(ChangeLog.contact_id == contact_id)) or 0


def revertible_fields(entry: ChangeLog) -> dict:
    """The contact columns of `entry` that a revert may put back."""
    columns = Contact.__table__.c
    return {key: change for key, change in entry.changes.items() if key in columns and key not in NOT_REVERTIBLE}


def python_value(key: str, value):
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
