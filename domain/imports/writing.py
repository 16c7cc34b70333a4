"""Writing an import's checked rows: new contacts numbered and settled as the form settles them,
updated contacts changed only in their mapped fields; every change recorded in the history as
"import". The caller commits, once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from domain.contacts import settle_contact_fields
from domain.history import pending_changes, record_change, record_created
from domain.imports.reading import read_rows
from domain.imports.register import Register
from domain.imports.rows import CheckedRow, cell, differs
from domain.settings import get_settings
from domain.uniqueness import EXTRA_VS_FIELDS
from domain.validators import parse_variable_symbol
from models import MAX_VARIABLE_SYMBOL, Contact, User, db

NUMBER_FIELDS = ("client_number", *EXTRA_VS_FIELDS)


class ImportFailed(Exception):
    """The commit cannot go on; the message says why, for the clerk."""


@dataclass(frozen=True)
class Prescan:
    """What the commit needs to know of the whole file before it writes the first row."""

    total: int  # data rows, for the progress
    numbers: set[int]  # the client numbers and symbols the file holds: automatic numbering skips them


def prescan(report) -> Prescan:
    """One quick pass over the file (no parsing but of the number columns)."""
    columns = [index for index, name in enumerate(report.mapping) if name in NUMBER_FIELDS]
    total, numbers = 0, set()
    rows = read_rows(report.source)
    next(rows, None)
    for _, cells in rows:
        if not any(text.strip() for text in cells):
            continue
        total += 1
        for index in columns:
            try:
                numbers.add(parse_variable_symbol(cell(cells, index)))
            except ValueError:
                continue
    return Prescan(total, numbers)


class Writer:
    """Writes checked rows into the session; flushed in chunks, never committed here."""

    def __init__(self, scan: Prescan, user: User | None):
        self.total = scan.total
        self.user = user
        self.settings = get_settings()
        self.used = set(Register().payers) | scan.numbers
        self.last = self.highest = self.settings.last_client_number
        self.created: list[Contact] = []

    def write(self, row: CheckedRow) -> None:
        values = dict(row.values)
        if row.contact is None:
            contact = Contact(client_number=values.pop("client_number", None) or self.next_number())
            self.highest = max(self.highest, contact.client_number)
            status_changed = values.get("client_status") is not None
            db.session.add(contact)
            self.created.append(contact)
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

    def next_number(self) -> int:
        """The lowest unused client number above the one issued last (domain/client_numbers.py's
        rule), with the database's and the file's numbers and symbols counted as used."""
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
        record_created(self.created, "import", self.user)
        self.created.clear()

    def finish(self) -> None:
        self.flush()
        self.settings.last_client_number = self.highest
        db.session.flush()
