"""Each row of an import checked by the contact form's rules: the field parsers
(domain/contact_fields.py), the rules between fields (domain/contacts.py), what only one contact
may hold (the same messages as domain/uniqueness.py) and the duplicate warnings, also within the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext

from domain.contact_fields import FIELDS, FIELDS_BY_NAME, RowContext, field_value, parse_field
from domain.contacts import INSTALL_FIELDS, contact_rule_errors
from domain.duplicates import DUPLICATE_CHECKED_FIELDS
from domain.imports.mapping import FIRST_NAME, NAME_PARTS, SURNAME
from domain.imports.register import Register, code_lists, stored_values
from domain.settings import get_settings
from domain.uniqueness import EXTRA_VS_FIELDS, client_number_clash_message
from domain.validators import parse_variable_symbol
from models import Contact, InvoiceGroup, PaymentType, db


@dataclass
class Problem:
    """One problem of a row: where the clerk finds it in the file, and what is wrong."""

    row: int
    column: str
    value: str
    message: str
    warning: bool = False


@dataclass
class CheckedRow:
    """A row read and checked: the values it sets and, when updating, the contact it changes."""

    number: int
    texts: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    contact: Contact | None = None
    problems: list[Problem] = field(default_factory=list)
    changed: bool = True

    @property
    def has_errors(self) -> bool:
        return any(not problem.warning for problem in self.problems)

    @property
    def has_warnings(self) -> bool:
        return any(problem.warning for problem in self.problems)


class RowChecker:
    """Checks the rows of one file, in order, remembering what earlier rows hold."""

    def __init__(self, headers: list[str], mapping: list[str | None], mode: str):
        self.mode = mode
        self.settings = get_settings()
        self.register = Register()
        self.codes = code_lists()
        self.columns = [(index, name) for index, name in enumerate(mapping) if name]
        self.headers = {name: headers[index] for index, name in reversed(self.columns)}
        if FIRST_NAME in self.headers or SURNAME in self.headers:
            parts = [self.headers[part] for part in (SURNAME, FIRST_NAME) if part in self.headers]
            self.headers.setdefault("name", " + ".join(parts))
        self.seen_numbers: dict[int, int] = {}
        self.seen_logins: dict[str, int] = {}
        self.seen_values: dict[str, dict[str, int]] = {name: {} for name in DUPLICATE_CHECKED_FIELDS}
        self.defaults = self._new_contact_defaults()

    def _new_contact_defaults(self) -> dict:
        """A new contact's values before the file's, as the form pre-fills them."""
        payment_type = db.session.scalars(sa.select(PaymentType).where(PaymentType.is_default)).first()
        invoice_group = db.session.scalars(
            sa.select(InvoiceGroup).where(InvoiceGroup.hidden.is_(False)).order_by(InvoiceGroup.name)
        ).first()
        return {
            "country": self.settings.default_country,
            "due_days": self.settings.default_due_days,
            "invoicing_day": 1,
            "is_corporate": False,
            "has_different_address": False,
            "show_info_messages": True,
            "portal_enabled": True,
            "suspend_mode": "global",
            "opening_balance": Decimal(0),
            "invoice_group": invoice_group,
            "payment_type": payment_type,
        }

    # --- a chunk of rows ------------------------------------------------------------------

    def check_chunk(self, rows: list[tuple[int, list[str]]]) -> list[CheckedRow]:
        """Check rows (number, cells); an update reads the chunk's contacts in one query."""
        contacts = {}
        if self.mode == "update" and "client_number" in self.headers:
            index = next(index for index, name in self.columns if name == "client_number")
            numbers = set()
            for _, cells in rows:
                try:
                    numbers.add(parse_variable_symbol(cell(cells, index)))
                except ValueError:
                    continue
            if numbers:
                query = sa.select(Contact).where(Contact.client_number.in_(sorted(numbers)))
                contacts = {contact.client_number: contact for contact in db.session.scalars(query)}
        return [self.check(number, cells, contacts) for number, cells in rows]

    def check(self, number: int, cells: list[str], contacts: dict[int, Contact]) -> CheckedRow:
        row = CheckedRow(number)
        texts = row.texts = {name: cell(cells, index) for index, name in self.columns}
        if set(NAME_PARTS) & set(texts):
            joined = " ".join(texts.pop(part, "").strip() for part in (SURNAME, FIRST_NAME)).strip()
            if not texts.get("name", "").strip():
                texts["name"] = joined
        if self.mode == "update" and not self._find_contact(row, texts, contacts):
            return row
        self._parse(row, texts)
        full, current = self._full_values(row)
        # An update is refused for the rules it breaks, not for those the contact already broke.
        already = contact_rule_errors(current) if current else {}
        for name, message in contact_rule_errors(full).items():
            if name not in already:
                self.problem(row, name, message)
        for name in ("invoice_group", "payment_type"):  # a new contact's defaults, when there are any
            if full.get(name) is None:
                self.problem(row, name, gettext("This field is required."))
        self._check_unique(row, full)
        self._check_duplicates(row)
        if row.contact is not None:
            row.changed = any(differs(row.contact, name, value) for name, value in row.values.items())
        else:
            row.values = self.defaults | row.values
        return row

    def problem(self, row: CheckedRow, name: str, message: str, warning: bool = False) -> None:
        header = self.headers.get(name) or str(FIELDS_BY_NAME[name].label)
        row.problems.append(Problem(row.number, header, row.texts.get(name, ""), message, warning))

    # --- the steps of a row --------------------------------------------------------------

    def _find_contact(self, row: CheckedRow, texts: dict, contacts: dict) -> bool:
        try:
            number = parse_variable_symbol(texts.get("client_number", ""))
        except ValueError as error:
            self.problem(row, "client_number", str(error))
            return False
        row.contact = contacts.get(number)
        if row.contact is None:
            self.problem(row, "client_number", gettext("No contact has this client number."))
        elif row.contact.is_deleted:
            self.problem(row, "client_number", gettext("This contact is deleted; restore it first."))
        return row.contact is not None and not row.contact.is_deleted

    def _parse(self, row: CheckedRow, texts: dict) -> None:
        # Countries first: the postcodes, phones and IDs are read as their country writes them.
        countries = [name for name in ("country", "install_country") if name in texts]
        context = None
        for name in [*countries, *(name for name in texts if name not in countries)]:
            spec, text = FIELDS_BY_NAME[name], texts[name]
            if not text.strip() and not spec.nullable and not spec.required:
                continue  # an empty cell keeps the default or the contact's value
            if context is None and name not in countries:
                context = self._context(row.values, row.contact)
            try:
                row.values[name] = parse_field(spec, text, context)
            except ValueError as error:
                self.problem(row, name, str(error))
        values = row.values
        # What the file implies: a company name makes a corporate client, an installation address a
        # different one, unless the file says otherwise (the form would empty them on saving).
        if "is_corporate" not in values and values.get("company_name"):
            values["is_corporate"] = True
        if "has_different_address" not in values and any(values.get(name) for name in INSTALL_FIELDS[:3]):
            values["has_different_address"] = True
        if row.contact is None and "invoice_by_email" not in values:
            values["invoice_by_email"] = bool(values.get("email") or values.get("invoice_email"))

    def _context(self, values: dict, current: Contact | None) -> RowContext:
        country = values.get("country") or (current.country if current else self.settings.default_country)
        install = values.get("install_country") or (current.install_country if current else None) or country
        return RowContext(country, install, self.codes)

    def _full_values(self, row: CheckedRow) -> tuple[dict, dict | None]:
        """The contact as it would be saved (the new contact's defaults or the contact's values,
        then the row's), and as it is (None for a new one)."""
        if row.contact is None:
            return self.defaults | row.values, None
        current = {spec.name: field_value(row.contact, spec.name) for spec in FIELDS}
        return current | row.values, current

    def _check_unique(self, row: CheckedRow, full: dict) -> None:
        own_id = row.contact.id if row.contact is not None else None
        number = row.values.get("client_number")
        if row.contact is None and isinstance(number, int):
            if (first := self.seen_numbers.get(number)) is not None:
                self.problem(row, "client_number", also_on_row(first))
            elif (other := self.register.holder(number, None)) is not None:
                if other.client_number == number:
                    message = client_number_clash_message(other)
                else:
                    message = gettext(
                        "Contact %(contact)s already pays with this number as an extra variable symbol.",
                        contact=f"{other.client_number} {other.name}",
                    )
                self.problem(row, "client_number", message)
            self.seen_numbers.setdefault(number, row.number)
        symbols = {full.get("client_number")}
        for name in EXTRA_VS_FIELDS:
            symbol = row.values.get(name)
            if not isinstance(symbol, int):
                continue
            if symbol in symbols:
                self.problem(row, name, gettext("This symbol is already this contact's client number or symbol."))
            elif (first := self.seen_numbers.get(symbol)) is not None:
                self.problem(row, name, also_on_row(first))
            elif (other := self.register.holder(symbol, own_id)) is not None:
                contact = f"{other.client_number} {other.name}"
                self.problem(row, name, gettext("Contact %(contact)s already pays with this symbol.", contact=contact))
            symbols.add(symbol)
            self.seen_numbers.setdefault(symbol, row.number)
        typed = row.values.get("portal_login")
        login = typed or (str(number) if row.contact is None and isinstance(number, int) else None)
        if login:
            name = "portal_login" if typed else "client_number"
            if (first := self.seen_logins.get(login)) is not None:
                self.problem(row, name, also_on_row(first))
            elif (other := self.register.login_holder(login, own_id)) is not None:
                contact = f"{other.client_number} {other.name}"
                self.problem(row, name, gettext("This login is used by %(contact)s.", contact=contact))
            self.seen_logins.setdefault(login, row.number)

    def _check_duplicates(self, row: CheckedRow) -> None:
        own_id = row.contact.id if row.contact is not None else None
        for name in DUPLICATE_CHECKED_FIELDS:
            value = row.values.get(name)
            if not value:
                continue
            others = self.register.sharing(name, value, own_id)
            if others:
                names = ", ".join(f"{other.client_number} {other.name}" for other in others[:3])
                more = len(others) - 3
                if more > 0:
                    names += gettext(" and %(count)d more", count=more)
                self.problem(
                    row, name, gettext("Other contacts have the same value: %(contacts)s.", contacts=names), True
                )
            for part in stored_values(name, value):
                first = self.seen_values[name].setdefault(part, row.number)
                if first != row.number:
                    self.problem(row, name, also_on_row(first), True)
                    break


# Our exports put an apostrophe before a cell a spreadsheet would run as a formula
# (admin_views/formatters.py, safe_cell): "'+420 601 123 456" is read as the phone it stands for.
_ESCAPED_FORMULAS = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def cell(cells: list[str], index: int) -> str:
    text = cells[index] if index < len(cells) else ""
    return text[1:] if text.startswith(_ESCAPED_FORMULAS) else text


def also_on_row(first: int) -> str:
    return gettext("The same value is on row %(row)d of this file.", row=first)


def differs(contact: Contact, name: str, value) -> bool:
    """Whether setting `name` to `value` changes the contact (code lists compared by their entries)."""
    current = field_value(contact, name)
    if name in ("client_group", "client_status", "location", "invoice_group", "payment_type"):
        current_id = getattr(contact, f"{name}_id")
        return current_id != (value.id if value is not None else None)
    return current != value and not (current in (None, "") and value in (None, ""))
