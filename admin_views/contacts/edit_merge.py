"""An edit conflict on the contact form: the clerk's form merged three-way with what was saved meanwhile.

The form carries what it was opened with (a signed hidden field): the base of the merge. Its
posted values are the clerk's side, a form built from the stored contact the other side. The rule
itself is domain.merge.three_way_merge; this module reads the forms and writes the result back.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import current_app, flash
from flask_babel import gettext
from itsdangerous import BadData, URLSafeSerializer
from wtforms import BooleanField, SelectField
from wtforms.fields import SelectFieldBase

from admin_views.catv_lookups import SOCKET_PICKER_HELPER_FIELDS
from admin_views.contacts.form_fields import FIELD_CHOICES, FIELD_LABELS
from domain.history import ROW_KEY, ROWS, latest_history_id, python_value
from domain.history_text import changes_since
from domain.merge import three_way_merge
from models import ChangeLog, Contact

# Form fields that are not the contact's data: the merge leaves them as the clerk posted them.
NOT_MERGED = frozenset(
    {
        "csrf_token",
        "opened_version",
        "history_mark",
        "opened_values",
        "save_anyway",
        "generate_password",
        *SOCKET_PICKER_HELPER_FIELDS,
    }
)
# The inline lists, by the name their rows have in the history ("person 12: phone").
ROW_LISTS = {"persons": "person", "notes": "note"}


def comparable(value):
    """A field's data as the merge compares it and the form carries it (JSON): no text is None, a row its id."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return format((value + 0).normalize(), "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [comparable(item) for item in value]
    return getattr(value, "id", str(value))


def row_key(entry) -> str | None:
    """The id of an inline row's record; None for a row added on the form."""
    pk = entry.form.id.data
    return None if pk in (None, "") else str(pk)


def row_values(entry) -> dict:
    return {name: comparable(field.data) for name, field in entry.form._fields.items() if name != "id"}


def snapshot(form) -> dict:
    """The contact as a form shows it: each field's value, and each inline list's rows by id.

    Rows ticked for deletion are left out (a deleted row); rows added on the form are "new <n>".
    """
    values = {}
    for field in form:
        if field.name in NOT_MERGED:
            continue
        if field.name in ROW_LISTS:
            values[field.name] = {
                row_key(entry) or f"new {index}": row_values(entry)
                for index, entry in enumerate(field.entries)
                if not field.should_delete(entry)
            }
        else:
            values[field.name] = comparable(field.data)
    return values


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="contact form opened values")


def remember_opened(form, contact: Contact, values: dict | None = None) -> None:
    """Let the form carry the version it shows, the newest history entry and its values (signed)."""
    form.opened_version.data = contact.version
    form.history_mark.data = latest_history_id(contact.id)
    form.opened_values.data = _serializer().dumps(snapshot(form) if values is None else values)


def opened_values(form) -> dict:
    """The values the clerk's form was opened with; none when it lacks them (then every difference clashes)."""
    try:
        values = _serializer().loads(form.opened_values.data or "")
    except BadData:
        return {}
    return values if isinstance(values, dict) else {}


def base_from_history(theirs: dict, since: list) -> dict:
    """The values a form opened at the history mark showed: the stored ones with each later change undone.

    For a form that lacks its opened values (opened before they existed, or altered): the history
    records every change of a contact, its persons and notes.
    """
    base = {
        name: {key: dict(row) for key, row in value.items()} if name in ROW_LISTS else value
        for name, value in theirs.items()
    }
    lists = {kind: name for name, kind in ROW_LISTS.items()}
    for entry, _ in since:  # newest first; within an entry a row's fields before its coming or going
        for key, change in sorted(entry.changes.items(), key=lambda item: item[0].endswith(": id")):
            if (match := ROW_KEY.fullmatch(key)) and match[3] in ("id", *ROWS[match[1]][2]):
                rows, row_id, name = base.setdefault(lists[match[1]], {}), match[2], match[3]
                row = rows.setdefault(row_id, dict.fromkeys(ROWS[match[1]][2]))
                if name != "id":
                    row[name] = change["old"] or None
                elif change["old"] is None:  # added since: the form did not have it
                    del rows[row_id]
                continue
            field = key[:-3] if key.endswith("_id") and key[:-3] in base else key
            if key.endswith(("_lat", "_lon")) and key[:-4] in base:
                pair = list(base[key[:-4]] or [None, None])
                pair[key.endswith("_lon")] = comparable(python_value(key, change["old"]))
                base[key[:-4]] = None if pair == [None, None] else pair
            elif field in base and key in Contact.__table__.c:
                base[field] = comparable(python_value(key, change["old"]))
    return base


def shown(field) -> str:
    """A field's value as the clerk reads it in a message."""
    if isinstance(field, BooleanField):
        return gettext("Yes") if field.data else gettext("No")
    if field.data is None or field.data == "":
        return "—"
    if isinstance(field, SelectField):
        return str(dict(field.choices).get(field.data, field.data))
    if isinstance(field, SelectFieldBase) or not hasattr(field, "_value"):
        return str(field.data)
    return field._value() or "—"


def _history_keys(name: str) -> tuple[str, ...]:
    """The history keys a form field's change is recorded under."""
    if name in ("gps", "install_gps"):
        return f"{name}_lat", f"{name}_lon"
    if f"{name}_id" in Contact.__table__.c:
        return (f"{name}_id",)
    return (name,)


def _who(entry: ChangeLog) -> str:
    if entry.user is not None:
        return str(entry.user)
    return gettext("the client (portal)") if entry.actor == "portal" else gettext("someone else")


class _Authors:
    """Who changed what since the form was opened (the newest change of each history key)."""

    def __init__(self, since):
        self.by_key = {key: _who(entry) for entry, _ in reversed(since) for key in entry.changes}

    def of(self, *keys: str, prefix: str | None = None) -> str:
        found = [self.by_key[key] for key in keys if key in self.by_key]
        if prefix:
            found += [who for key, who in self.by_key.items() if key.startswith(prefix)]
        return found[0] if found else gettext("someone else")


def _take(field, stored) -> None:
    """Show the stored value in the field, as if the clerk had opened the form now."""
    field.data = stored.data
    field.raw_data = None
    field.errors = []


def _mark(field, message: str) -> None:
    field.errors = [*field.errors, message]


def _clash(field, stored, who: str) -> None:
    message = gettext(
        "Changed meanwhile by %(who)s to: %(theirs)s; your value: %(mine)s (kept in the field; saving again keeps it).",
        who=who,
        theirs=shown(stored),
        mine=shown(field),
    )
    _mark(field, message)


def _merge_rows(field, stored, rows: dict, mine: dict, merged: dict, conflicts: dict, authors: _Authors) -> None:
    """Write the merged rows of one inline list back into its entries."""
    kind, records = ROW_LISTS[field.name], {row_key(entry): entry for entry in stored.entries}
    kept = []
    for entry in field.entries:
        key = row_key(entry)
        if key is None:  # added by the clerk
            kept.append(entry)
            continue
        theirs = records.get(key)
        first = next(name for name in entry.form._fields if name != "id")
        who = authors.of(prefix=f"{kind} {key}: ")
        if field.should_delete(entry):
            if theirs is not None and (field.name, key) in conflicts:
                for name in row_values(entry):
                    _take(entry.form[name], theirs.form[name])
                entry._should_delete = False
                message = gettext(
                    "Changed meanwhile by %(who)s; you deleted it. Tick Delete? again to delete it anyway.", who=who
                )
                _mark(entry.form[first], message)
            if theirs is not None:
                kept.append(entry)  # still ticked for deletion when nobody changed it
        elif theirs is None and key in merged:  # deleted meanwhile, changed by the clerk
            entry.form.id.data = entry.form.id.raw_data = None
            message = gettext(
                "Deleted meanwhile by %(who)s; your version is kept as a new row: saving again adds it back.", who=who
            )
            _mark(entry.form[first], message)
            kept.append(entry)
        elif key in merged:
            for name, value in merged[key].items():
                if (field.name, key, name) in conflicts:
                    _clash(entry.form[name], theirs.form[name], authors.of(f"{kind} {key}: {name}"))
                elif value != mine.get(key, {}).get(name):
                    _take(entry.form[name], theirs.form[name])
            kept.append(entry)
    field.entries = kept
    for key, row in rows.items():
        if key in merged and all(row_key(entry) != key for entry in kept):  # added meanwhile
            field.append_entry(row)


def check_version(form, contact: Contact, stored_form) -> bool:
    """Whether the form was opened on the stored version; if not, merge it with the stored contact.

    The re-rendered form holds the stored values where the clerk changed nothing, the clerk's
    values where only the clerk changed something, and marks what both changed with both values.
    It is shown, not saved, even when nothing clashes: nobody has seen this combination yet, and
    the other change may alter what the clerk means to do (a new status, another address). One
    more click is cheaper than a surprise; and the form's rules then check what is really saved.
    `stored_form()` builds the form of the stored contact.
    """
    if str(contact.version) == (form.opened_version.data or ""):
        return True
    stored = stored_form()
    mine, theirs = snapshot(form), snapshot(stored)
    mark = form.history_mark.data or ""
    mark = int(mark) if mark.isascii() and mark.isdigit() and len(mark) < 18 else 0
    form.edit_conflict = changes_since(contact.id, mark, FIELD_LABELS, FIELD_CHOICES)
    base = opened_values(form) or base_from_history(theirs, form.edit_conflict)
    merged, conflicts = three_way_merge(base, mine, theirs)
    authors = _Authors(form.edit_conflict)
    for name, value in mine.items():
        if name in ROW_LISTS:
            rows = {str(row.id): row for row in getattr(contact, name)}
            _merge_rows(form[name], stored[name], rows, value, merged.get(name, {}), conflicts, authors)
        elif (name,) in conflicts:
            _clash(form[name], stored[name], authors.of(*_history_keys(name)))
        elif merged.get(name) != value:
            _take(form[name], stored[name])
    remember_opened(form, contact, theirs)
    flash(
        gettext(
            "Someone else saved this contact after you opened it. Nothing was saved yet: the form now "
            "shows their changes together with yours and marks each field you both changed. Check it, "
            "then save again."
        ),
        "error",
    )
    return False
