"""How a history entry reads: what was done, and each change by its field's label with readable values.

The history stores keys and raw values (domain/history.py): contact columns ("client_group_id"),
a contact person's or note's field ("person 12: phone") and a service's ("Fast: price"). Here
they become "Skupina: Zlatí → Stříbrní" in the user's language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext, lazy_gettext

from domain.history import NAMED_KEYS, ROW_KEY
from i18n.filters import show_value
from models import ChangeLog, Contact, ContactPerson, Note, Service, ServiceType, db

ACTIONS = {
    "create": lazy_gettext("Contact created"),
    "update": lazy_gettext("Contact edited"),
    "delete": lazy_gettext("Contact deleted"),
    "restore": lazy_gettext("Contact restored"),
    "bulk change": lazy_gettext("Bulk change"),
    "portal edit": lazy_gettext("Edited by the client in the portal"),
    "portal password": lazy_gettext("Portal password changed by the client"),
    "service added": lazy_gettext("Service added"),
    "service active": lazy_gettext("Service active"),
    "service suspended": lazy_gettext("Service suspended"),
    "service ended": lazy_gettext("Service ended"),
}
REVERT_ACTION = re.compile(r"revert of #(\d+)")
ACTORS = {"staff": lazy_gettext("Staff member"), "portal": lazy_gettext("Client (portal)")}
SERVICE_STATE_LABELS = {
    "active": lazy_gettext("Active"),
    "suspended": lazy_gettext("Suspended"),
    "ended": lazy_gettext("Ended"),
}
# The history's names of what the contact form does not label itself.
CONTACT_LABELS = {
    "client_number": lazy_gettext("Client number"),
    "portal_login": lazy_gettext("Portal login"),
    "portal_password_hash": lazy_gettext("Portal password"),
    "deleted_at": lazy_gettext("Deleted on"),
    "install_gps_lat": lazy_gettext("Installation GPS latitude"),
    "install_gps_lon": lazy_gettext("Installation GPS longitude"),
}
ROW_LABELS = {
    "person": (
        lazy_gettext("Contact person"),
        {
            "id": lazy_gettext("Record"),
            "name": lazy_gettext("Name"),
            "role": lazy_gettext("Role"),
            "email": lazy_gettext("E-mail"),
            "phone": lazy_gettext("Phone"),
        },
    ),
    "note": (lazy_gettext("Note"), {"id": lazy_gettext("Record"), "text": lazy_gettext("Text")}),
}
SERVICE_LABELS = {
    "service_type_id": lazy_gettext("Service type"),
    "tariff_name": lazy_gettext("Tariff"),
    "price": lazy_gettext("Price"),
    "start_date": lazy_gettext("Start date"),
    "end_date": lazy_gettext("End date"),
    "state": lazy_gettext("State"),
    "suspend_reason": lazy_gettext("Suspended because"),
    "suspended_from": lazy_gettext("Suspended from"),
    "suspended_to": lazy_gettext("Suspended until"),
}
# Each kind of row's table, for the type of a value.
ROW_TABLES = {"person": ContactPerson.__table__, "note": Note.__table__}


def action_text(action: str) -> str:
    """What a history entry did, in the user's language."""
    revert = REVERT_ACTION.fullmatch(action)
    if revert:
        return gettext("Revert of change #%(id)s", id=revert.group(1))
    return str(ACTIONS.get(action, action))


def actor_text(actor: str) -> str:
    return str(ACTORS.get(actor, actor))


def service_state_text(state: str) -> str:
    return str(SERVICE_STATE_LABELS.get(state, state))


class HistoryText:
    """Labels and values of the changes of some history entries; code lists named with one query each.

    `labels` names the contact's fields (the contact form's labels, by form field name: "client_group"
    for the column "client_group_id"); `choices` names the values of fields with fixed choices.
    """

    def __init__(self, entries: list[ChangeLog], labels: dict, choices: dict | None = None):
        self.labels = CONTACT_LABELS | labels
        self.choices = {"state": SERVICE_STATE_LABELS} | (choices or {})
        wanted = {key: set() for key in (*NAMED_KEYS, "service_type_id")}
        for entry in entries:
            for key, change in entry.changes.items():
                field = key.rsplit(": ", 1)[-1]
                if field in wanted:
                    wanted[field].update(v for v in (change.get("old"), change.get("new")) if v is not None)
        models = NAMED_KEYS | {"service_type_id": ServiceType}
        self.names = {
            field: {
                row.id: str(row)
                for row in db.session.scalars(sa.select(models[field]).where(models[field].id.in_(ids)))
            }
            for field, ids in wanted.items()
            if ids
        }

    def changes(self, entry: ChangeLog) -> list[tuple[str, str, str]]:
        """The entry's changes as (label, old, new) texts."""
        return [self.change(key, change.get("old"), change.get("new")) for key, change in entry.changes.items()]

    def change(self, key: str, old, new) -> tuple[str, str, str]:
        row = ROW_KEY.fullmatch(key)
        if row:
            kind, row_id, field = row.groups()
            kind_label, field_labels = ROW_LABELS[kind]
            label = f"{kind_label} #{row_id}: {field_labels.get(field, field)}"
            if field == "id":  # the row itself was added or removed
                return (
                    label,
                    "—" if old is None else f"#{old}",
                    gettext("added") if new is not None else gettext("removed"),
                )
            column = ROW_TABLES[kind].c.get(field)
        elif ": " in key:  # a service's field, under its tariff
            service, field = key.rsplit(": ", 1)
            label = f"{service}: {SERVICE_LABELS.get(field, field)}"
            column = Service.__table__.c.get(field)
        else:
            field = key
            label = str(self.labels.get(key.removesuffix("_id"), self.labels.get(key, key)))
            column = Contact.__table__.c.get(key)
        return label, self.value(field, old, column), self.value(field, new, column)

    def value(self, field: str, value, column: sa.Column | None) -> str:
        """A stored value as the user reads it: a code list's name, Yes/No, a local date, a decimal comma."""
        if value is None or value == "":
            return "—"
        if field in self.names:
            return self.names[field].get(value, f"#{value}")
        if field in self.choices:
            return str(dict(self.choices[field]).get(value, value))
        python_type = column.type.python_type if column is not None else str
        try:
            if python_type is date:
                value = date.fromisoformat(value)
            elif python_type is datetime:
                value = datetime.fromisoformat(value)
            elif python_type is Decimal:
                value = Decimal(value)
        except (TypeError, ValueError, InvalidOperation):
            return str(value)  # a value older than its column's type: shown as stored
        return show_value(value, money=bool(column is not None and column.info.get("money")))


def history_entries(contact_id: int) -> list[ChangeLog]:
    """Each history entry of a contact, newest first, with its user."""
    return list(
        db.session.scalars(
            sa.select(ChangeLog)
            .where(ChangeLog.contact_id == contact_id)
            .options(so.joinedload(ChangeLog.user))
            .order_by(ChangeLog.created_at.desc(), ChangeLog.id.desc())
        )
    )


def history_rows(
    contact_id: int, labels: dict | None = None, choices: dict | None = None
) -> list[tuple[ChangeLog, list]]:
    """Each history entry of a contact, newest first, with its changes as (label, old, new) texts."""
    entries = history_entries(contact_id)
    text = HistoryText(entries, labels or {}, choices)
    return [(entry, text.changes(entry)) for entry in entries]


def changes_since(contact_id: int, mark: int, labels: dict | None = None, choices: dict | None = None) -> list:
    """History entries newer than `mark`, as history_rows gives them: what another user changed."""
    return [(entry, changes) for entry, changes in history_rows(contact_id, labels, choices) if entry.id > mark]
