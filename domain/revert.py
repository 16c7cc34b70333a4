"""Reverting one entry of a contact's history: what it can still put back, and putting it back."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from domain.client_numbers import lock_numbering
from domain.history import (
    ROW_KEY,
    ROWS,
    pending_changes,
    pending_row_changes,
    python_value,
    record_change,
    revertible_fields,
    row_changes,
)
from domain.sockets import reassign_socket
from domain.uniqueness import UNIQUE_FIELDS, uniqueness_errors
from models import ChangeLog, Contact, Socket, User, db, utcnow


def _same(a, b) -> bool:
    """Two values of one field alike, an empty text counting as no value."""
    return (None if a == "" else a) == (None if b == "" else b)


@dataclass
class RevertPlan:
    """What reverting one history entry would do now."""

    fields: dict  # contact column: the value put back
    rows: list  # (kind, row or None to re-create it, values put back or None to remove the row)
    stale: list  # history keys changed again since: a revert leaves them, not to undo that later change

    def __bool__(self) -> bool:
        return bool(self.fields or self.rows)


def revert_plan(entry: ChangeLog) -> RevertPlan:
    """What a revert of `entry` would put back: only what still holds the value the entry gave it.

    A creation is never reverted (that is deleting the contact); a value changed again since is
    left alone. A removed person or note comes back unless an identical one is already there; an
    added one goes again if nobody changed it since.
    """
    contact, plan = entry.contact, RevertPlan({}, [], [])
    if entry.action == "create" or contact.deleted_at is not None:
        return plan
    for key, change in revertible_fields(entry).items():
        old, new = python_value(key, change["old"]), python_value(key, change["new"])
        if old is None and not Contact.__table__.c[key].nullable:
            continue  # a required field is never emptied
        if _same(getattr(contact, key), new):
            plan.fields[key] = old
        else:
            plan.stale.append(key)
    grouped: dict[tuple[str, int], dict] = {}
    for key, change in entry.changes.items():
        if match := ROW_KEY.fullmatch(key):
            grouped.setdefault((match[1], int(match[2])), {})[match[3]] = change
    for (kind, row_id), fields in grouped.items():
        relationship, _, names = ROWS[kind]
        rows = getattr(contact, relationship)
        row = next((r for r in rows if r.id == row_id), None)
        values = {name: change for name, change in fields.items() if name in names}
        keys = [f"{kind} {row_id}: {name}" for name in values]
        if fields.get("id", {}).get("old") is not None:  # removed
            old = {name: change["old"] for name, change in values.items()}
            if not any(all(_same(getattr(r, name), old.get(name)) for name in names) for r in rows):
                plan.rows.append((kind, None, old))
        elif row is None:
            plan.stale += keys  # deleted since
        elif "id" in fields:  # added
            if all(_same(getattr(row, name), values.get(name, {}).get("new")) for name in names):
                plan.rows.append((kind, row, None))
            else:
                plan.stale += keys
        else:
            back = {name: c["old"] for name, c in values.items() if _same(getattr(row, name), c["new"])}
            plan.stale += [f"{kind} {row_id}: {name}" for name in values if name not in back]
            if back:
                plan.rows.append((kind, row, back))
    return plan


def revertible_entries(entries: list[ChangeLog]) -> set[int]:
    """The ids of the entries a revert can act on now (the card offers it on these only)."""
    return {entry.id for entry in entries if revert_plan(entry)}


def revert_change(entry: ChangeLog, user: User) -> str | None:
    """Put back what one history entry changed (revert_plan); the reason if refused.

    The revert is itself recorded as a new history entry. Nothing is changed when it is refused;
    the caller commits.
    """
    contact = entry.contact
    if entry.action == "create":
        return gettext("The creation of a contact cannot be reverted; delete the contact instead.")
    plan = revert_plan(entry)
    if not plan:
        if plan.stale:
            return gettext("Everything this entry changed was changed again since; nothing is put back.")
        return gettext("This entry has nothing that can be put back.")
    if any(key in UNIQUE_FIELDS for key in plan.fields):
        lock_numbering()  # as a form save does: the check below and this revert take turns with others
    # The same check as the form's, over the contact's values as the revert would leave them.
    unique = {key: getattr(contact, key) for key in UNIQUE_FIELDS} | {
        key: value for key, value in plan.fields.items() if key in UNIQUE_FIELDS
    }
    errors = uniqueness_errors(unique, contact.id)
    refusal = next((errors[key] for key in UNIQUE_FIELDS if key in errors and key in plan.fields), None)
    if refusal:
        return refusal
    with db.session.no_autoflush:
        for key, value in plan.fields.items():
            setattr(contact, key, value)
        for kind, row, values in plan.rows:
            relationship, model, _ = ROWS[kind]
            if row is None:
                row = model(**values)
                if kind == "note":
                    row.author_id, row.created_at = user.id, utcnow()
                getattr(contact, relationship).append(row)
            elif values is None:
                db.session.delete(row)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
        changes = pending_changes(contact)
        rows = pending_row_changes(contact)
        if rows:
            contact.updated_at = utcnow()  # a new version: a form open on this contact notices
        if "socket_id" in changes:  # the socket's own history follows, as on the form
            socket = db.session.get(Socket, contact.socket_id) if contact.socket_id is not None else None
            reassign_socket(contact, socket, user)
    db.session.flush()  # gives re-created rows their ids for the history
    record_change(contact, f"revert of #{entry.id}", changes | row_changes(rows), user)
    return None
