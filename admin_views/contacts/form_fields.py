"""The contact form's fields: which columns it edits, their labels, validators, widgets and help.

The card and the list name each field as the form does (FIELD_LABELS).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import phonenumbers
from babel import Locale
from flask_babel import get_locale, lazy_gettext
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from admin_views.catv_lookups import SOCKET_PICKER_HELPER_FIELDS
from admin_views.fields import GpsField, PhoneField, TypedTextField
from domain.gps import parse_gps
from domain.identifiers import parse_company_id, parse_id_number, parse_vat_id
from domain.uniqueness import EXTRA_VS_FIELDS
from domain.validators import (
    amount_validator,
    parse_bank_account,
    parse_bic,
    parse_email_list,
    parse_iban,
    parse_phone,
    parse_postcode,
    parse_url,
    parse_variable_symbol,
    wtforms_validator,
)
from models import SUSPEND_MODES


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    locale = Locale.parse(language)
    names = {code: name for code, name in locale.territories.items() if code in phonenumbers.SUPPORTED_REGIONS}
    choices = [(code, f"{names[code]} ({code})") for code in names if len(code) == 2 and code.isalpha()]
    return sorted(choices, key=lambda item: without_accents(item[1]))


def country_choices() -> list[tuple[str, str]]:
    """Countries by name in the user's language: Babel's territories that are real regions (not EU, UN, ZZ, ...)."""
    return _country_choices(str(get_locale() or "en"))


def without_accents(name: str) -> tuple[str, str]:
    """A sort key that puts Česko among the C's (accents second), not after Z."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold(), name


FORM_EXCLUDED_COLUMNS = (
    "client_number",
    "portal_login",
    "search_text",
    "version",
    "created_at",
    "updated_at",
    "deleted_at",
    "deleted_by_id",
    "portal_password_hash",
    "status_changed_at",
    "services",
    "gps_lat",
    "gps_lon",
    "install_gps_lat",
    "install_gps_lon",
)
FORM_EXTRA_FIELDS = {
    "client_number": TypedTextField(
        lazy_gettext("Client number"),
        validators=[InputRequired(), wtforms_validator(parse_variable_symbol)],
        description=lazy_gettext(
            "Unique, up to 10 digits. It is the variable symbol on the client's payments and the default portal login."
        ),
    ),
    "gps": GpsField(
        lazy_gettext("GPS"),
        validators=[wtforms_validator(parse_gps)],
        description=lazy_gettext("As Mapy.cz or Google Maps copy it; kept to 6 decimal places (10 cm)."),
    ),
    "install_gps": GpsField(lazy_gettext("GPS"), validators=[wtforms_validator(parse_gps)]),
    "generate_password": BooleanField(lazy_gettext("Generate a new portal password when saving")),
    "save_anyway": BooleanField(lazy_gettext("Save anyway")),
    "opened_version": HiddenField(),
    "history_mark": HiddenField(),
    "portal_login": StringField(
        lazy_gettext("Portal login"),
        validators=[Optional(), Length(max=64)],
        filters=[lambda value: value.strip() if value else None],
        description=lazy_gettext("Leave empty to use the client number."),
    ),
    **SOCKET_PICKER_HELPER_FIELDS,
}
FORM_OVERRIDES = dict.fromkeys(EXTRA_VS_FIELDS, TypedTextField) | {
    "id_number": TypedTextField,  # stored normalised, shown as typed after an error
    "phone": PhoneField,
    "mobile": PhoneField,
    "fax": PhoneField,
    "country": SelectField,
    "install_country": SelectField,
    "suspend_mode": SelectField,
    "internal_note_1": TextAreaField,
    "internal_note_2": TextAreaField,
    "marked_reason": TextAreaField,
}
FORM_ARGS = {
    "name": {
        "label": lazy_gettext("Client name"),
        "validators": [DataRequired(), Length(max=200)],
        "filters": [strip_text],
        "description": lazy_gettext("Surname first, then first name (sorts better); or the company name."),
    },
    "is_corporate": {"label": lazy_gettext("Corporate client")},
    "company_name": {"label": lazy_gettext("Company name")},
    "company_id": {"label": lazy_gettext("Company ID"), "validators": [wtforms_validator(parse_company_id, "country")]},
    "vat_id": {"label": lazy_gettext("VAT ID"), "validators": [wtforms_validator(parse_vat_id, "country")]},
    "street": {"validators": [DataRequired(), Length(max=200)], "filters": [strip_text]},
    "postcode": {"validators": [InputRequired(), wtforms_validator(parse_postcode, "country")]},
    "city": {"validators": [DataRequired(), Length(max=100)], "filters": [strip_text]},
    "country": {"choices": country_choices, "validators": [InputRequired()]},
    "socket": {"label": lazy_gettext("CATV socket")},
    "has_different_address": {"label": lazy_gettext("Client has a different installation address")},
    "install_street": {"label": lazy_gettext("Installation street")},
    "install_postcode": {
        "label": lazy_gettext("Postcode"),
        "validators": [wtforms_validator(parse_postcode, "install_country")],
    },
    "install_city": {"label": lazy_gettext("City")},
    "install_country": {"label": lazy_gettext("Country"), "choices": lambda: [("", ""), *country_choices()]},
    "install_floor": {"label": lazy_gettext("Floor")},
    "install_flat": {"label": lazy_gettext("Flat")},
    "id_number": {
        "label": lazy_gettext("ID number"),
        "validators": [wtforms_validator(parse_id_number)],
        "description": lazy_gettext("Passport or identity card number."),
    },
    "birth_date": {"label": lazy_gettext("Birth date")},
    "email": {
        "label": lazy_gettext("E-mail"),
        "validators": [wtforms_validator(parse_email_list)],
        "description": lazy_gettext("Several addresses may be separated by , or ;"),
    },
    "invoice_email": {
        "label": lazy_gettext("Invoicing e-mail"),
        "validators": [wtforms_validator(parse_email_list)],
        "description": lazy_gettext("Invoices go here; if empty, to the main e-mail."),
    },
    "tech_email": {"label": lazy_gettext("Technical e-mail"), "validators": [wtforms_validator(parse_email_list)]},
    "business_email": {"label": lazy_gettext("Business e-mail"), "validators": [wtforms_validator(parse_email_list)]},
    "phone": {"validators": [wtforms_validator(parse_phone, "country")]},
    "mobile": {
        "label": lazy_gettext("Mobile phone"),
        "validators": [wtforms_validator(parse_phone, "country")],
        "description": lazy_gettext("SMS messages go to this number."),
    },
    "fax": {"validators": [wtforms_validator(parse_phone, "country")]},
    "www": {"label": lazy_gettext("Web"), "validators": [wtforms_validator(parse_url)]},
    "is_marked": {"label": lazy_gettext("Mark client (green edge in the list)")},
    "marked_reason": {"label": lazy_gettext("Why is the client marked?")},
    "no_bulk_email": {"label": lazy_gettext("Don't send bulk e-mail or SMS")},
    "show_info_messages": {"label": lazy_gettext("Show info messages in the portal")},
    "portal_enabled": {"label": lazy_gettext("Portal access allowed")},
    "client_group": {"label": lazy_gettext("Group"), "blank_text": "—"},
    "client_status": {"label": lazy_gettext("Status"), "blank_text": "—"},
    "location": {"label": lazy_gettext("Location"), "blank_text": "—"},
    "internal_note_1": {
        "label": lazy_gettext("Internal note 1"),
        "description": lazy_gettext("Available in messages as $CLI_INTERNAL_NOTE_1$."),
    },
    "internal_note_2": {
        "label": lazy_gettext("Internal note 2"),
        "description": lazy_gettext("Available in messages as $CLI_INTERNAL_NOTE_2$."),
    },
    "invoice_group": {"label": lazy_gettext("Invoice group")},
    "payment_type": {"label": lazy_gettext("Payment type")},
    "bulk_payment_number": {"label": lazy_gettext("Bulk payment number")},
    "invoice_by_post": {"label": lazy_gettext("Send invoices by post")},
    "invoice_by_email": {"label": lazy_gettext("Send invoices by e-mail")},
    "no_auto_reminders": {"label": lazy_gettext("Don't send reminders automatically")},
    "issue_proforma": {"label": lazy_gettext("Issue pro-forma invoices")},
    "bank_account": {
        "label": lazy_gettext("Bank account"),
        "validators": [wtforms_validator(parse_bank_account)],
        "description": lazy_gettext("Czech format prefix-number/bank code."),
    },
    "iban": {"label": "IBAN", "validators": [wtforms_validator(parse_iban)]},
    "bic": {"label": "BIC", "validators": [wtforms_validator(parse_bic)]},
    "opening_balance": {
        "label": lazy_gettext("Opening balance"),
        "validators": [amount_validator()],
        "description": lazy_gettext("Overpayment (+) or debt (−) taken over from an old system."),
    },
    "contract_returned": {"label": lazy_gettext("Contract returned")},
    "invoicing_day": {
        "label": lazy_gettext("Invoicing day"),
        "validators": [InputRequired(), NumberRange(1, 28, lazy_gettext("A day from 1 to 28."))],
    },
    "due_days": {
        "label": lazy_gettext("Due days"),
        "validators": [InputRequired(), NumberRange(0, 3650, lazy_gettext("0 or more days."))],
    },
    "suspend_mode": {
        "label": lazy_gettext("Suspend non-payers"),
        "choices": list(
            zip(
                SUSPEND_MODES,
                (
                    lazy_gettext("As in the general settings"),
                    lazy_gettext("Individually: minimum debt and days below"),
                    lazy_gettext("Never suspend this client"),
                ),
            )
        ),
    },
    "suspend_min_amount": {
        "label": lazy_gettext("Minimum debt"),
        "validators": [Optional(), amount_validator(), NumberRange(0)],
    },
    "suspend_days_after_due": {
        "label": lazy_gettext("Days after due date"),
        "validators": [Optional(), NumberRange(0, 3650)],
    },
    "extra_vs_1": {
        "label": lazy_gettext("Extra variable symbol 1"),
        "validators": [wtforms_validator(parse_variable_symbol)],
        "description": lazy_gettext("Other symbols this client pays with."),
    },
    "extra_vs_2": {
        "label": lazy_gettext("Extra variable symbol 2"),
        "validators": [wtforms_validator(parse_variable_symbol)],
    },
    "extra_vs_3": {
        "label": lazy_gettext("Extra variable symbol 3"),
        "validators": [wtforms_validator(parse_variable_symbol)],
    },
    "hide_overdue": {"label": lazy_gettext("Don't show overdue invoices")},
    "no_payment_notifications": {"label": lazy_gettext("No payment notifications")},
}

# Each field's name as the form shows it, and the card's names of the fields the form has not.
FIELD_LABELS = {name: args["label"] for name, args in FORM_ARGS.items() if "label" in args} | {
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
# The values of fields with fixed choices, by name (the history shows them so).
FIELD_CHOICES = {"suspend_mode": FORM_ARGS["suspend_mode"]["choices"]}
