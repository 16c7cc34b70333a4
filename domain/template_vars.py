"""The $CLI_…$ variables of message templates, filled with a contact's data."""

from __future__ import annotations

import re

from models import Contact

# $CLI_…$ variables available to message templates, with the contact attribute behind each.
TEMPLATE_VARIABLES = {
    "CLI_NUMBER": "client_number",
    "CLI_NAME": "name",
    "CLI_COMPANY": "company_name",
    "CLI_CONTACT_PERSON": "contact_person",
    "CLI_STREET": "street",
    "CLI_POSTCODE": "postcode",
    "CLI_CITY": "city",
    "CLI_COUNTRY": "country",
    "CLI_EMAIL": "email",
    "CLI_INVOICE_EMAIL": "invoice_email",
    "CLI_TECH_EMAIL": "tech_email",
    "CLI_BUSINESS_EMAIL": "business_email",
    "CLI_PHONE": "phone",
    "CLI_MOBILE": "mobile",
    "CLI_VS": "client_number",
    "CLI_PORTAL_LOGIN": "portal_login",
    "CLI_INTERNAL_NOTE_1": "internal_note_1",
    "CLI_INTERNAL_NOTE_2": "internal_note_2",
}
_VARIABLE = re.compile(r"\$([A-Z0-9_]+)\$")


def render_template_vars(text: str, contact: Contact) -> str:
    """Replace the `$CLI_…$` variables in `text` with the contact's data; unknown ones stay as typed."""

    def value(match: re.Match) -> str:
        attribute = TEMPLATE_VARIABLES.get(match.group(1))
        if attribute is None:
            return match.group(0)
        if match.group(1) == "CLI_INVOICE_EMAIL":
            return contact.invoice_email or contact.email or ""
        found = getattr(contact, attribute)
        return "" if found is None else str(found)

    return _VARIABLE.sub(value, text)
