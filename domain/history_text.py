"""How a history entry reads: what was done, and each change by its field's label with readable values.

The history stores keys and raw values (domain/history.py): contact columns ("client_group_id"),
a contact person's or note's field ("person 12: phone") and a service's ("Fast: price"). Here
they become "Skupina: Zlatí → Stříbrní" in the user's language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

import sqlalchemy as sa
import sqlalchemy.orm as so
from babel import Locale
from flask_babel import get_locale, gettext, lazy_gettext

from domain.history import NAMED_KEYS, ROW_KEY
from domain.validators import format_phone
from i18n.filters import show_value
from models import (
    Building,
    ChangeLog,
    Contact,
    ContactPerson,
    Note,
    Service,
    ServiceType,
    Socket,
    Street,
    Switchboard,
    db,
)

ACTIONS = {
    "create": lazy_gettext("Contact created"),
    "update": lazy_gettext("Contact edited"),
    "delete": lazy_gettext("Contact deleted"),
    "restore": lazy_gettext("Contact restored"),
    "bulk change": lazy_gettext("Bulk change"),
    "import": lazy_gettext("Imported from a file"),
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
# The installation address's fields, which the form labels as the address's ("City") under its own
# heading: in the history they stand alone.
INSTALL_LABELS = {
    "install_postcode": lazy_gettext("Installation postcode"),
    "install_city": lazy_gettext("Installation city"),
    "install_country": lazy_gettext("Installation country"),
    "install_floor": lazy_gettext("Installation floor"),
    "install_flat": lazy_gettext("Installation flat"),
}
ROW_LABELS = {
    "person": (
        lazy_gettext("Contact person"),
        {
            "name": lazy_gettext("Name"),
            "role": lazy_gettext("Role"),
            "email": lazy_gettext("E-mail"),
            "phone": lazy_gettext("Phone"),
        },
    ),
    "note": (lazy_gettext("Note"), {"text": lazy_gettext("Text")}),
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
PHONE_FIELDS = frozenset({"phone", "mobile", "fax"})
COUNTRY_FIELDS = frozenset({"country", "install_country"})
# A socket with the chain that names it (socket_path), read in the same query.
SOCKET_CHAIN = (
    so.joinedload(Socket.switchboard)
    .joinedload(Switchboard.building)
    .joinedload(Building.street)
    .joinedload(Street.city)
)


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def country_name(code: str) -> str:
    """A country by its name in the user's language ("Česko", "Czechia"); a code Babel does not know as it is."""
    return _territories(str(get_locale() or "en")).get(code, code)


def socket_path(socket: Socket) -> str:
    """Where a socket is: city › street › building › switchboard › socket."""
    board = socket.switchboard
    building = board.building
    return " › ".join(map(str, (building.street.city, building.street, building, board, socket)))


def readable(field: str, value, money: bool = False) -> str:
    """A field's value as the form shows it: a phone as written, a country by name, Yes/No, local dates."""
    if field in PHONE_FIELDS:
        return format_phone(value)
    if field in COUNTRY_FIELDS:
        return country_name(value)
    return show_value(value, money=money)


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


def author_text(entry: ChangeLog) -> str:
    """Who made a history entry: the staff user, the client in the portal, or the system."""
    if entry.user is not None:
        return str(entry.user)
    return gettext("the client (portal)") if entry.actor == "portal" else gettext("system")


class HistoryText:
    """Labels and values of the changes of some history entries; code lists named with one query each.

    `labels` names the contact's fields (the contact form's labels, by form field name: "client_group"
    for the column "client_group_id"); `choices` names the values of fields with fixed choices.
    """

    def __init__(self, entries: list[ChangeLog], labels: dict, choices: dict | None = None):
        self.labels = CONTACT_LABELS | labels | INSTALL_LABELS
        self.choices = {"state": SERVICE_STATE_LABELS} | (choices or {})
        wanted = {key: set() for key in (*NAMED_KEYS, "service_type_id")}
        # A contact person is named by its name: from the entry when it changed, else as it is now.
        self.person_names: dict[int, str] = {}
        persons = set()
        for entry in entries:
            for key, change in entry.changes.items():
                field = key.rsplit(": ", 1)[-1]
                if field in wanted:
                    wanted[field].update(v for v in (change.get("old"), change.get("new")) if v is not None)
                if (row := ROW_KEY.fullmatch(key)) and row[1] == "person":
                    persons.add(int(row[2]))
                    if row[3] == "name" and (change.get("new") or change.get("old")):
                        self.person_names[int(row[2])] = change.get("new") or change.get("old")
        models = NAMED_KEYS | {"service_type_id": ServiceType}
        self.names = {
            field: {
                row.id: socket_path(row) if field == "socket_id" else str(row)
                for row in db.session.scalars(
                    sa.select(models[field])
                    .where(models[field].id.in_(ids))
                    .options(*([SOCKET_CHAIN] if field == "socket_id" else []))
                )
            }
            for field, ids in wanted.items()
            if ids
        }
        if persons - self.person_names.keys():
            query = sa.select(ContactPerson.id, ContactPerson.name).where(
                ContactPerson.id.in_(persons - self.person_names.keys())
            )
            self.person_names.update(db.session.execute(query).all())

    def changes(self, entry: ChangeLog) -> list[tuple[str, str, str]]:
        """The entry's changes as (label, old, new) texts."""
        return [self.change(key, change.get("old"), change.get("new")) for key, change in entry.changes.items()]

    def change(self, key: str, old, new) -> tuple[str, str, str]:
        row = ROW_KEY.fullmatch(key)
        if row:
            kind, row_id, field = row.groups()
            kind_label, field_labels = ROW_LABELS[kind]
            name = self.person_names.get(int(row_id)) if kind == "person" else None
            subject = f"{kind_label} {name}" if name else str(kind_label)
            if field == "id":  # the row itself was added or removed
                return subject, "—", gettext("added") if new is not None else gettext("removed")
            label = f"{subject}: {field_labels.get(field, field)}"
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
        return readable(field, value, money=bool(column is not None and column.info.get("money")))


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
