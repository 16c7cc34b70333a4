"""A contact's fields as text: one table of every field an import reads and a full export writes.

Each field has its label (the form's, FORM_LABELS: the form takes its labels from here), a parser
from text to the stored value (the same parsers the form's validators wrap) and a formatter back
to text that the parser reads again, so that an export re-imports to the same contact.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

import phonenumbers
from babel import Locale
from flask_babel import force_locale, get_locale, gettext, lazy_gettext

from domain.gps import format_gps, parse_gps
from domain.identifiers import parse_company_id, parse_id_number, parse_vat_id
from domain.validators import (
    format_phone,
    format_typed_date,
    parse_bank_account,
    parse_bic,
    parse_date,
    parse_decimal,
    parse_email_list,
    parse_iban,
    parse_phone,
    parse_postcode,
    parse_url,
    parse_variable_symbol,
    parse_whole_number,
    text_input_error,
)
from models import SUSPEND_MODES, Contact

FORM_LABELS = {
    "client_number": lazy_gettext("Client number"),
    "name": lazy_gettext("Client name"),
    "is_corporate": lazy_gettext("Corporate client"),
    "company_name": lazy_gettext("Company name"),
    "company_id": lazy_gettext("Company ID"),
    "vat_id": lazy_gettext("VAT ID"),
    "socket": lazy_gettext("CATV socket"),
    "has_different_address": lazy_gettext("Client has a different installation address"),
    "install_street": lazy_gettext("Installation street"),
    "install_postcode": lazy_gettext("Postcode"),
    "install_city": lazy_gettext("City"),
    "install_country": lazy_gettext("Country"),
    "install_floor": lazy_gettext("Floor"),
    "install_flat": lazy_gettext("Flat"),
    "id_number": lazy_gettext("ID number"),
    "birth_date": lazy_gettext("Birth date"),
    "email": lazy_gettext("E-mail"),
    "invoice_email": lazy_gettext("Invoicing e-mail"),
    "tech_email": lazy_gettext("Technical e-mail"),
    "business_email": lazy_gettext("Business e-mail"),
    "mobile": lazy_gettext("Mobile phone"),
    "www": lazy_gettext("Web"),
    "is_marked": lazy_gettext("Mark client (green edge in the list)"),
    "marked_reason": lazy_gettext("Why is the client marked?"),
    "no_bulk_email": lazy_gettext("Don't send bulk e-mail or SMS"),
    "show_info_messages": lazy_gettext("Show info messages in the portal"),
    "portal_login": lazy_gettext("Portal login"),
    "portal_enabled": lazy_gettext("Portal access allowed"),
    "client_group": lazy_gettext("Group"),
    "client_status": lazy_gettext("Status"),
    "location": lazy_gettext("Location"),
    "internal_note_1": lazy_gettext("Internal note 1"),
    "internal_note_2": lazy_gettext("Internal note 2"),
    "invoice_group": lazy_gettext("Invoice group"),
    "payment_type": lazy_gettext("Payment type"),
    "bulk_payment_number": lazy_gettext("Bulk payment number"),
    "invoice_by_post": lazy_gettext("Send invoices by post"),
    "invoice_by_email": lazy_gettext("Send invoices by e-mail"),
    "no_auto_reminders": lazy_gettext("Don't send reminders automatically"),
    "issue_proforma": lazy_gettext("Issue pro-forma invoices"),
    "bank_account": lazy_gettext("Bank account"),
    "iban": "IBAN",
    "bic": "BIC",
    "opening_balance": lazy_gettext("Opening balance"),
    "contract_returned": lazy_gettext("Contract returned"),
    "invoicing_day": lazy_gettext("Invoicing day"),
    "due_days": lazy_gettext("Due days"),
    "suspend_mode": lazy_gettext("Suspend non-payers"),
    "suspend_min_amount": lazy_gettext("Minimum debt"),
    "suspend_days_after_due": lazy_gettext("Days after due date"),
    "extra_vs_1": lazy_gettext("Extra variable symbol 1"),
    "extra_vs_2": lazy_gettext("Extra variable symbol 2"),
    "extra_vs_3": lazy_gettext("Extra variable symbol 3"),
    "hide_overdue": lazy_gettext("Don't show overdue invoices"),
    "no_payment_notifications": lazy_gettext("No payment notifications"),
}
# Each field's name as the form shows it, and the card's names of the fields the form has not.
FIELD_LABELS = FORM_LABELS | {
    "name": lazy_gettext("Name"),
    "street": lazy_gettext("Street"),
    "postcode": lazy_gettext("Postcode"),
    "city": lazy_gettext("City"),
    "country": lazy_gettext("Country"),
    "gps": lazy_gettext("GPS"),
    "install_gps": lazy_gettext("Installation GPS"),
    "gps_lat": lazy_gettext("GPS latitude"),
    "gps_lon": lazy_gettext("GPS longitude"),
    "floor": lazy_gettext("Floor"),
    "flat": lazy_gettext("Flat"),
    "phone": lazy_gettext("Phone"),
    "fax": lazy_gettext("Fax"),
    "contact_person": lazy_gettext("Contact person"),
    "status_changed_at": lazy_gettext("Status changed"),
    "created_at": lazy_gettext("Created"),
    "updated_at": lazy_gettext("Updated"),
}
SUSPEND_MODE_CHOICES = list(
    zip(
        SUSPEND_MODES,
        (
            lazy_gettext("As in the general settings"),
            lazy_gettext("Individually: minimum debt and days below"),
            lazy_gettext("Never suspend this client"),
        ),
    )
)
# A file's column names a field without the form's section around it: the installation address
# fields get their own names, the client name the form's.
_HEADERS = {
    "name": FORM_LABELS["name"],
    "install_postcode": lazy_gettext("Installation postcode"),
    "install_city": lazy_gettext("Installation city"),
    "install_country": lazy_gettext("Installation country"),
    "install_floor": lazy_gettext("Installation floor"),
    "install_flat": lazy_gettext("Installation flat"),
}
# Code lists: the contact's relationship and the model whose entries are matched by name.
CODE_LIST_FIELDS = ("client_group", "client_status", "location", "invoice_group", "payment_type")
LANGUAGES = ("en", "cs")
_TRUE = frozenset({"1", "yes", "y", "true", "ano", "a", "pravda", "x"})
_FALSE = frozenset({"0", "no", "n", "false", "ne", "nepravda"})


def plain(text: str) -> str:
    """Text compared loosely: lower case, without accents and without what is not a letter or digit."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return "".join(char for char in folded if char.isalnum())


@dataclass(frozen=True)
class RowContext:
    """What a field's parser reads besides its text: the row's countries and the code lists by name."""

    country: str | None
    install_country: str | None
    codes: Mapping[str, Mapping[str, object]]


@dataclass(frozen=True)
class ContactField:
    """One field of a contact as text. `parse(text, context)` returns the value to store or raises
    ValueError with a message for the clerk; `format(value)` writes the value as `parse` reads it."""

    name: str
    parse: Callable[[str, RowContext], object]
    format: Callable[[object], str] = lambda value: "" if value is None else str(value)
    required: bool = False
    # Whether the column may be empty (an empty cell then clears the field); otherwise an empty
    # cell keeps the default (a new contact) or the value (an updated one).
    nullable: bool = True

    @property
    def label(self):
        return _HEADERS.get(self.name) or FIELD_LABELS[self.name]

    def header(self) -> str:
        return str(self.label)


def _length(name: str) -> int | None:
    column = Contact.__table__.c.get(name)
    return getattr(column.type, "length", None) if column is not None else None


def _checked_length(name: str, value):
    limit = _length(name)
    if isinstance(value, str) and limit and len(value) > limit:
        raise ValueError(gettext("At most %(limit)d characters.", limit=limit))
    return value


def text(multiline: bool = False):
    def parse(value: str, context: RowContext) -> str:
        value = value.strip()
        if error := text_input_error(value, multiline):
            raise ValueError(error)
        return value

    return parse


def parse_bool(value: str, context: RowContext) -> bool:
    word = plain(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(gettext("Write yes or no (ano, ne, 1, 0)."))


def format_bool(value) -> str:
    return gettext("Yes") if value else gettext("No")


def _language() -> str | None:
    return getattr(get_locale(), "language", None)


def format_decimal(value) -> str:
    if value is None:
        return ""
    return f"{value:f}".replace(".", ",") if _language() == "cs" else f"{value:f}"


def format_date(value) -> str:
    return format_typed_date(value, _language()) if value is not None else ""


@cache
def country_names() -> dict[str, str]:
    """Country codes by their plain names in English and Czech and by the codes themselves."""
    names = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in phonenumbers.SUPPORTED_REGIONS:
                names[plain(name)] = code
                names[plain(code)] = code
    return names


def parse_country(value: str, context: RowContext) -> str:
    code = country_names().get(plain(value))
    if code is None:
        raise ValueError(gettext("Write a country's code (CZ) or name (Česko, Czechia)."))
    return code


def parse_suspend_mode(value: str, context: RowContext) -> str:
    for code, label in SUSPEND_MODE_CHOICES:
        if plain(value) in {plain(code), *(plain(in_language(language, label)) for language in LANGUAGES)}:
            return code
    raise ValueError(
        gettext("Choose one of: %(choices)s.", choices=", ".join(str(label) for _, label in SUSPEND_MODE_CHOICES))
    )


def in_language(language: str, label) -> str:
    with force_locale(language):
        return str(label)


def code_list(name: str):
    def parse(value: str, context: RowContext):
        entry = context.codes[name].get(plain(value))
        if entry is None:
            raise ValueError(
                gettext("“%(value)s” is not in the list %(list)s.", value=value.strip(), list=FIELD_LABELS[name])
            )
        return entry

    return parse


def with_country(parser, which: str = "country"):
    return lambda value, context: parser(value, getattr(context, which))


def whole(minimum: int, maximum: int):
    return lambda value, context: parse_whole_number(value, minimum, maximum)


def _gps_text(value) -> str:
    return format_gps(*value) if value else ""


_TEXT, _NOTE = text(), text(multiline=True)
_EMAIL = lambda value, context: parse_email_list(value)  # noqa: E731
_VS = lambda value, context: parse_variable_symbol(value)  # noqa: E731
_MONEY = lambda value, context: parse_decimal(value)  # noqa: E731

# In the form's order: the full export writes its columns so.
FIELDS = [
    ContactField("client_number", _VS, nullable=False),
    ContactField("name", _TEXT, required=True, nullable=False),
    ContactField("is_corporate", parse_bool, format_bool, nullable=False),
    ContactField("company_name", _TEXT),
    ContactField("contact_person", _TEXT),
    ContactField("street", _TEXT, required=True, nullable=False),
    ContactField("postcode", with_country(parse_postcode), required=True, nullable=False),
    ContactField("city", _TEXT, required=True, nullable=False),
    ContactField("country", parse_country, nullable=False),
    ContactField("gps", lambda value, context: parse_gps(value), _gps_text),
    ContactField("floor", _TEXT),
    ContactField("flat", _TEXT),
    ContactField("has_different_address", parse_bool, format_bool, nullable=False),
    ContactField("install_street", _TEXT),
    ContactField("install_postcode", with_country(parse_postcode, "install_country")),
    ContactField("install_city", _TEXT),
    ContactField("install_country", parse_country),
    ContactField("install_gps", lambda value, context: parse_gps(value), _gps_text),
    ContactField("install_floor", _TEXT),
    ContactField("install_flat", _TEXT),
    ContactField("id_number", lambda value, context: parse_id_number(value)),
    ContactField("birth_date", lambda value, context: parse_date(value), format_date),
    ContactField("company_id", with_country(parse_company_id)),
    ContactField("vat_id", with_country(parse_vat_id)),
    ContactField("email", _EMAIL),
    ContactField("invoice_email", _EMAIL),
    ContactField("tech_email", _EMAIL),
    ContactField("business_email", _EMAIL),
    ContactField("phone", with_country(parse_phone), format_phone),
    ContactField("mobile", with_country(parse_phone), format_phone),
    ContactField("fax", with_country(parse_phone), format_phone),
    ContactField("www", lambda value, context: parse_url(value)),
    ContactField("is_marked", parse_bool, format_bool, nullable=False),
    ContactField("marked_reason", _NOTE),
    ContactField("no_bulk_email", parse_bool, format_bool, nullable=False),
    ContactField("show_info_messages", parse_bool, format_bool, nullable=False),
    ContactField("portal_login", _TEXT),
    ContactField("portal_enabled", parse_bool, format_bool, nullable=False),
    *(ContactField(name, code_list(name)) for name in ("client_group", "client_status", "location")),
    ContactField("internal_note_1", _NOTE),
    ContactField("internal_note_2", _NOTE),
    ContactField("invoice_group", code_list("invoice_group"), nullable=False),
    ContactField("payment_type", code_list("payment_type"), nullable=False),
    ContactField("bulk_payment_number", _TEXT),
    *(
        ContactField(name, parse_bool, format_bool, nullable=False)
        for name in ("invoice_by_post", "invoice_by_email", "no_auto_reminders", "issue_proforma")
    ),
    ContactField("bank_account", lambda value, context: parse_bank_account(value)),
    ContactField("iban", lambda value, context: parse_iban(value)),
    ContactField("bic", lambda value, context: parse_bic(value)),
    ContactField("invoicing_day", whole(1, 28), nullable=False),
    ContactField("due_days", whole(0, 3650), nullable=False),
    ContactField("opening_balance", _MONEY, format_decimal, nullable=False),
    ContactField(
        "suspend_mode",
        parse_suspend_mode,
        lambda value: str(dict(SUSPEND_MODE_CHOICES).get(value, value or "")),
        nullable=False,
    ),
    ContactField("suspend_min_amount", lambda value, context: _not_negative(parse_decimal(value)), format_decimal),
    ContactField("suspend_days_after_due", whole(0, 3650)),
    *(ContactField(f"extra_vs_{n}", _VS) for n in (1, 2, 3)),
    ContactField("contract_returned", parse_bool, format_bool, nullable=False),
    ContactField("hide_overdue", parse_bool, format_bool, nullable=False),
    ContactField("no_payment_notifications", parse_bool, format_bool, nullable=False),
]
FIELDS_BY_NAME = {field.name: field for field in FIELDS}


def _not_negative(value):
    if value < 0:
        raise ValueError(gettext("0 or more."))
    return value


def parse_field(field: ContactField, value: str, context: RowContext):
    """The stored value of `value` typed in `field`, None for an empty cell; ValueError if refused."""
    if not value.strip():
        if field.required:
            raise ValueError(gettext("This field is required."))
        return None
    return _checked_length(field.name, field.parse(value, context))


def field_value(contact_or_row, name: str):
    """A field's value read from a contact or a row of its columns (gps from its two columns)."""
    if name in ("gps", "install_gps"):
        prefix = "install_" if name == "install_gps" else ""
        lat = getattr(contact_or_row, f"{prefix}gps_lat")
        return None if lat is None else (lat, getattr(contact_or_row, f"{prefix}gps_lon"))
    return getattr(contact_or_row, name)


def plain_labels(label) -> set[str]:
    """A label in every language, plain (see `plain`): how a file's header may name it."""
    return {plain(in_language(language, label)) for language in LANGUAGES}
