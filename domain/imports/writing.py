"""Writing an import's checked rows: new contacts numbered and settled as the form settles them
and inserted a thousand at a time, updated contacts changed only in their mapped fields; every
change recorded in the history as "import". The caller commits, once."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from domain.contacts import settle_contact_fields
from domain.history import pending_changes, record_change, record_created
from domain.imports.reading import count_rows, read_rows
from domain.imports.register import Register
from domain.imports.rows import CheckedRow, cell, differs
from domain.settings import get_settings
from domain.uniqueness import EXTRA_VS_FIELDS
from domain.validators import parse_variable_symbol
from models import MAX_VARIABLE_SYMBOL, Contact, User, db
from storage.search_index import normalise_search_text

NUMBER_FIELDS = ("client_number", *EXTRA_VS_FIELDS)


class ImportFailed(Exception):
    """The commit cannot go on; the message says why, for the clerk."""


def file_numbers(report) -> set[int]:
    """The client numbers and symbols the whole file holds: one quick pass, parsing only their columns."""
    columns = [index for index, name in enumerate(report.mapping) if name in NUMBER_FIELDS]
    numbers = set()
    rows = read_rows(report.source)
    next(rows, None)
    for _, cells in rows:
        for index in columns:
            try:
                numbers.add(parse_variable_symbol(cell(cells, index)))
            except ValueError:
                continue
    return numbers


COLUMNS = frozenset(column.key for column in Contact.__table__.columns)
RELATIONSHIPS = ("client_group", "client_status", "location", "invoice_group", "payment_type", "socket")


def new_contact_columns(contact: Contact) -> dict:
    """A new contact's columns, to insert in bulk: what the flush would write, its search text
    included (the ORM's bulk insert runs no flush events; storage/search_index.py)."""
    state = sa.inspect(contact)
    columns = {key: value for key, value in state.dict.items() if key in COLUMNS}
    for name in RELATIONSHIPS:
        if name in state.dict:
            entry = state.dict[name]
            columns[f"{name}_id"] = entry.id if entry is not None else None
    columns["search_text"] = normalise_search_text(*contact.searchable_values())
    return columns


class Writer:
    """Writes checked rows into the session; flushed in chunks, never committed here."""

    def __init__(self, report, user: User | None):
        self.report = report
        self.total = count_rows(report.source)  # for the progress; None when not known cheaply (XLSX)
        self.user = user
        self.settings = get_settings()
        self.used: set[int] | None = None  # read when a row first needs an automatic number
        self.last = self.highest = self.settings.last_client_number
        self.created: list[dict] = []  # new contacts' columns, inserted at the next flush

    def write(self, row: CheckedRow) -> None:
        values = dict(row.values)
        if row.contact is None:
            # Not added to the session: the columns are inserted in bulk (see new_contact_columns).
            contact = Contact(client_number=values.pop("client_number", None) or self.next_number())
            self.highest = max(self.highest, contact.client_number)
            status_changed = values.get("client_status") is not None
        elif row.changed:
            contact = row.contact
            status_changed = "client_status" in values and differs(contact, "client_status", values["client_status"])
        else:
            return
        with db.session.no_autoflush:
            for name, value in values.items():
                setattr(contact, name, value)
            settle_contact_fields(contact, status_changed)
            if row.contact is not None:
                record_change(contact, "import", pending_changes(contact), self.user)
            else:
                self.created.append(new_contact_columns(contact))

    def next_number(self) -> int:
        """The lowest unused client number above the one issued last (domain/client_numbers.py's
        rule), with the database's and the file's numbers and symbols counted as used."""
        if self.used is None:
            self.used = set(Register().payers) | file_numbers(self.report)
        candidate = self.last + 1
        while candidate in self.used:
            candidate += 1
        if candidate > MAX_VARIABLE_SYMBOL:
            raise ImportFailed(
                gettext(
                    "Automatic numbering has no free client number of at most 10 "
                    "digits left; switch to manual numbering in the settings."
                )
            )
        self.last = candidate
        self.used.add(candidate)
        return candidate

    def flush(self) -> None:
        """Write the rows so far, then the new contacts' history entries."""
        db.session.flush()
        if self.created:
            # One executemany; the new ids read back by client number (RETURNING in the order of
            # the rows made SQLite insert them one statement each).
            db.session.execute(sa.insert(Contact), self.created)
            numbers = [columns["client_number"] for columns in self.created]
            ids = dict(
                db.session.execute(
                    sa.select(Contact.client_number, Contact.id).where(Contact.client_number.in_(numbers))
                ).all()
            )
            record_created([(ids[columns["client_number"]], columns) for columns in self.created], "import", self.user)
            self.created = []

    def finish(self) -> None:
        self.flush()
        self.settings.last_client_number = self.highest
        db.session.flush()
