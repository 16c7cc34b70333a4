"""What the database holds that an import's rows are checked against, read once for the whole file.

Asking the database once per row (is this client number taken? this login? who else has this
e-mail?) would be 100,000 × several queries; one pass over the contacts' few unique and
duplicate-checked columns answers every row from memory.
"""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from domain.contact_fields import LANGUAGES, in_language, plain
from domain.duplicates import DUPLICATE_CHECKED_FIELDS
from domain.uniqueness import EXTRA_VS_FIELDS
from models import (
    SYSTEM_PAYMENT_TYPE_NAMES,
    ClientGroup,
    ClientStatus,
    Contact,
    InvoiceGroup,
    Location,
    PaymentType,
    db,
)

CODE_LIST_MODELS = {
    "client_group": ClientGroup,
    "client_status": ClientStatus,
    "location": Location,
    "invoice_group": InvoiceGroup,
    "payment_type": PaymentType,
}


class Register:
    """The contacts' client numbers and extra symbols, portal logins and duplicate-checked values."""

    def __init__(self):
        # number → the contact paying with it (client number or extra symbol), as `uniqueness` names it.
        self.payers: dict[int, SimpleNamespace] = {}
        self.logins: dict[str, SimpleNamespace] = {}
        # field → stored value (each e-mail address on its own) → contacts not deleted that hold it.
        self.shared: dict[str, dict[str, list[SimpleNamespace]]] = {field: {} for field in DUPLICATE_CHECKED_FIELDS}
        columns = (Contact.id, Contact.client_number, Contact.name, Contact.deleted_at, Contact.portal_login)
        query = sa.select(*columns, *(getattr(Contact, name) for name in (*EXTRA_VS_FIELDS, *DUPLICATE_CHECKED_FIELDS)))
        for row in db.session.execute(query.execution_options(yield_per=5000)):
            contact = SimpleNamespace(id=row.id, client_number=row.client_number, name=row.name)
            contact.is_deleted = row.deleted_at is not None
            self.payers[row.client_number] = contact
            for name in EXTRA_VS_FIELDS:
                if getattr(row, name) is not None:
                    self.payers.setdefault(getattr(row, name), contact)
            if row.portal_login:
                self.logins[row.portal_login] = contact
            if contact.is_deleted:
                continue
            for field in DUPLICATE_CHECKED_FIELDS:
                for value in stored_values(field, getattr(row, field)):
                    self.shared[field].setdefault(value, []).append(contact)

    def holder(self, number: int, exclude_id: int | None) -> SimpleNamespace | None:
        found = self.payers.get(number)
        return found if found is not None and found.id != exclude_id else None

    def login_holder(self, login: str, exclude_id: int | None) -> SimpleNamespace | None:
        found = self.logins.get(login)
        return found if found is not None and found.id != exclude_id else None

    def sharing(self, field: str, value, exclude_id: int | None) -> list[SimpleNamespace]:
        found = {}
        for part in stored_values(field, value):
            for contact in self.shared[field].get(part, ()):
                if contact.id != exclude_id:
                    found[contact.id] = contact
        return sorted(found.values(), key=lambda contact: contact.client_number)


def stored_values(field: str, value) -> list[str]:
    """The values of `field` compared for duplicates: each address of an e-mail list on its own."""
    if not value:
        return []
    if field == "email":
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return [value]


def code_lists() -> dict[str, dict[str, object]]:
    """Each code list's entries by their plain names (system payment types also by their names
    in both languages), for matching a file's texts case- and accent-insensitively."""
    codes = {}
    for field, model in CODE_LIST_MODELS.items():
        entries = {}
        for entry in db.session.scalars(sa.select(model)):
            names = {entry.name}
            if field == "payment_type" and entry.system_code in SYSTEM_PAYMENT_TYPE_NAMES:
                label = SYSTEM_PAYMENT_TYPE_NAMES[entry.system_code]
                names |= {in_language(language, label) for language in LANGUAGES}
            entries.update(dict.fromkeys(map(plain, names), entry))
        codes[field] = entries
    return codes
