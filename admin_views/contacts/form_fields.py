"""The contact form's fields: which columns it edits, their validators, widgets and help.

Their labels are domain/contact_fields.py's (FORM_LABELS), which the import and the full export
share; the card and the list name each field as the form does (FIELD_LABELS, re-exported here).
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
from domain.contact_fields import FIELD_LABELS, FORM_LABELS, SUSPEND_MODE_CHOICES  # noqa: F401 (FIELD_LABELS: for the card)
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
        FORM_LABELS["client_number"],
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
        FORM_LABELS["portal_login"],
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
        "label": FORM_LABELS["name"],
        "validators": [DataRequired(), Length(max=200)],
        "filters": [strip_text],
        "description": lazy_gettext("Surname first, then first name (sorts better); or the company name."),
    },
    "is_corporate": {"label": FORM_LABELS["is_corporate"]},
    "company_name": {"label": FORM_LABELS["company_name"]},
    "company_id": {"label": FORM_LABELS["company_id"], "validators": [wtforms_validator(parse_company_id, "country")]},
    "vat_id": {"label": FORM_LABELS["vat_id"], "validators": [wtforms_validator(parse_vat_id, "country")]},
    "street": {"validators": [DataRequired(), Length(max=200)], "filters": [strip_text]},
    "postcode": {"validators": [InputRequired(), wtforms_validator(parse_postcode, "country")]},
    "city": {"validators": [DataRequired(), Length(max=100)], "filters": [strip_text]},
    "country": {"choices": country_choices, "validators": [InputRequired()]},
    "socket": {"label": FORM_LABELS["socket"]},
    "has_different_address": {"label": FORM_LABELS["has_different_address"]},
    "install_street": {"label": FORM_LABELS["install_street"]},
    "install_postcode": {
        "label": FORM_LABELS["install_postcode"],
        "validators": [wtforms_validator(parse_postcode, "install_country")],
    },
    "install_city": {"label": FORM_LABELS["install_city"]},
    "install_country": {"label": FORM_LABELS["install_country"], "choices": lambda: [("", ""), *country_choices()]},
    "install_floor": {"label": FORM_LABELS["install_floor"]},
    "install_flat": {"label": FORM_LABELS["install_flat"]},
    "id_number": {
        "label": FORM_LABELS["id_number"],
        "validators": [wtforms_validator(parse_id_number)],
        "description": lazy_gettext("Passport or identity card number."),
    },
    "birth_date": {"label": FORM_LABELS["birth_date"]},
    "email": {
        "label": FORM_LABELS["email"],
        "validators": [wtforms_validator(parse_email_list)],
        "description": lazy_gettext("Several addresses may be separated by , or ;"),
    },
    "invoice_email": {
        "label": FORM_LABELS["invoice_email"],
        "validators": [wtforms_validator(parse_email_list)],
        "description": lazy_gettext("Invoices go here; if empty, to the main e-mail."),
    },
    "tech_email": {"label": FORM_LABELS["tech_email"], "validators": [wtforms_validator(parse_email_list)]},
    "business_email": {"label": FORM_LABELS["business_email"], "validators": [wtforms_validator(parse_email_list)]},
    "phone": {"validators": [wtforms_validator(parse_phone, "country")]},
    "mobile": {
        "label": FORM_LABELS["mobile"],
        "validators": [wtforms_validator(parse_phone, "country")],
        "description": lazy_gettext("SMS messages go to this number."),
    },
    "fax": {"validators": [wtforms_validator(parse_phone, "country")]},
    "www": {"label": FORM_LABELS["www"], "validators": [wtforms_validator(parse_url)]},
    "is_marked": {"label": FORM_LABELS["is_marked"]},
    "marked_reason": {"label": FORM_LABELS["marked_reason"]},
    "no_bulk_email": {"label": FORM_LABELS["no_bulk_email"]},
    "show_info_messages": {"label": FORM_LABELS["show_info_messages"]},
    "portal_enabled": {"label": FORM_LABELS["portal_enabled"]},
    "client_group": {"label": FORM_LABELS["client_group"], "blank_text": "—"},
    "client_status": {"label": FORM_LABELS["client_status"], "blank_text": "—"},
    "location": {"label": FORM_LABELS["location"], "blank_text": "—"},
    "internal_note_1": {
        "label": FORM_LABELS["internal_note_1"],
        "description": lazy_gettext("Available in messages as $CLI_INTERNAL_NOTE_1$."),
    },
    "internal_note_2": {
        "label": FORM_LABELS["internal_note_2"],
        "description": lazy_gettext("Available in messages as $CLI_INTERNAL_NOTE_2$."),
    },
    "invoice_group": {"label": FORM_LABELS["invoice_group"]},
    "payment_type": {"label": FORM_LABELS["payment_type"]},
    "bulk_payment_number": {"label": FORM_LABELS["bulk_payment_number"]},
    "invoice_by_post": {"label": FORM_LABELS["invoice_by_post"]},
    "invoice_by_email": {"label": FORM_LABELS["invoice_by_email"]},
    "no_auto_reminders": {"label": FORM_LABELS["no_auto_reminders"]},
    "issue_proforma": {"label": FORM_LABELS["issue_proforma"]},
    "bank_account": {
        "label": FORM_LABELS["bank_account"],
        "validators": [wtforms_validator(parse_bank_account)],
        "description": lazy_gettext("Czech format prefix-number/bank code."),
    },
    "iban": {"label": FORM_LABELS["iban"], "validators": [wtforms_validator(parse_iban)]},
    "bic": {"label": FORM_LABELS["bic"], "validators": [wtforms_validator(parse_bic)]},
    "opening_balance": {
        "label": FORM_LABELS["opening_balance"],
        "validators": [amount_validator()],
        "description": lazy_gettext("Overpayment (+) or debt (−) taken over from an old system."),
    },
    "contract_returned": {"label": FORM_LABELS["contract_returned"]},
    "invoicing_day": {
        "label": FORM_LABELS["invoicing_day"],
        "validators": [InputRequired(), NumberRange(1, 28, lazy_gettext("A day from 1 to 28."))],
    },
    "due_days": {
        "label": FORM_LABELS["due_days"],
        "validators": [InputRequired(), NumberRange(0, 3650, lazy_gettext("0 or more days."))],
    },
    "suspend_mode": {
        "label": FORM_LABELS["suspend_mode"],
        "choices": SUSPEND_MODE_CHOICES,
    },
    "suspend_min_amount": {
        "label": FORM_LABELS["suspend_min_amount"],
        "validators": [Optional(), amount_validator(), NumberRange(0)],
    },
    "suspend_days_after_due": {
        "label": FORM_LABELS["suspend_days_after_due"],
        "validators": [Optional(), NumberRange(0, 3650)],
    },
    "extra_vs_1": {
        "label": FORM_LABELS["extra_vs_1"],
        "validators": [wtforms_validator(parse_variable_symbol)],
        "description": lazy_gettext("Other symbols this client pays with."),
    },
    "extra_vs_2": {
        "label": FORM_LABELS["extra_vs_2"],
        "validators": [wtforms_validator(parse_variable_symbol)],
    },
    "extra_vs_3": {
        "label": FORM_LABELS["extra_vs_3"],
        "validators": [wtforms_validator(parse_variable_symbol)],
    },
    "hide_overdue": {"label": FORM_LABELS["hide_overdue"]},
    "no_payment_notifications": {"label": FORM_LABELS["no_payment_notifications"]},
}

# The values of fields with fixed choices, by name (the history shows them so).
FIELD_CHOICES = {"suspend_mode": FORM_ARGS["suspend_mode"]["choices"]}
