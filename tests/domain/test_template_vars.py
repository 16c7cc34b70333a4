"""Message templates: $CLI_…$ variables filled with a contact's data (no HTTP)."""

from __future__ import annotations

from domain.template_vars import TEMPLATE_VARIABLES, render_template_vars
from models import Contact


def full_contact(**overrides) -> Contact:
    values = {
        "client_number": 1042,
        "name": "Novák Jan",
        "company_name": "Novák s.r.o.",
        "contact_person": "Eva Nová",
        "street": "Hlavní 12",
        "postcode": "110 00",
        "city": "Praha",
        "country": "CZ",
        "email": "jan@example.cz",
        "invoice_email": "faktury@example.cz",
        "tech_email": "tech@example.cz",
        "business_email": "obchod@example.cz",
        "phone": "+420222333444",
        "mobile": "+420601123456",
        "portal_login": "novak",
        "internal_note_1": "First note",
        "internal_note_2": "Second note",
    }
    values.update(overrides)
    return Contact(**values)


def test_every_variable_is_replaced_by_the_contacts_data():
    contact = full_contact()
    expected = {
        "CLI_NUMBER": "1042",
        "CLI_NAME": "Novák Jan",
        "CLI_COMPANY": "Novák s.r.o.",
        "CLI_CONTACT_PERSON": "Eva Nová",
        "CLI_STREET": "Hlavní 12",
        "CLI_POSTCODE": "110 00",
        "CLI_CITY": "Praha",
        "CLI_COUNTRY": "CZ",
        "CLI_EMAIL": "jan@example.cz",
        "CLI_INVOICE_EMAIL": "faktury@example.cz",
        "CLI_TECH_EMAIL": "tech@example.cz",
        "CLI_BUSINESS_EMAIL": "obchod@example.cz",
        "CLI_PHONE": "+420222333444",
        "CLI_MOBILE": "+420601123456",
        "CLI_VS": "1042",
        "CLI_PORTAL_LOGIN": "novak",
        "CLI_INTERNAL_NOTE_1": "First note",
        "CLI_INTERNAL_NOTE_2": "Second note",
    }
    assert set(expected) == set(TEMPLATE_VARIABLES)
    for name, value in expected.items():
        assert render_template_vars(f"<${name}$>", contact) == f"<{value}>", name


def test_a_text_with_several_variables_keeps_the_text_around_them():
    text = "Dear $CLI_NAME$, pay with variable symbol $CLI_VS$.\nLogin: $CLI_PORTAL_LOGIN$ ($CLI_NAME$)"
    assert render_template_vars(text, full_contact()) == (
        "Dear Novák Jan, pay with variable symbol 1042.\nLogin: novak (Novák Jan)"
    )


def test_an_empty_field_gives_an_empty_text():
    contact = full_contact(company_name=None, mobile=None, internal_note_2=None)
    assert render_template_vars("[$CLI_COMPANY$][$CLI_MOBILE$][$CLI_INTERNAL_NOTE_2$]", contact) == "[][][]"


def test_the_invoice_email_falls_back_to_the_main_email():
    assert render_template_vars("$CLI_INVOICE_EMAIL$", full_contact(invoice_email=None)) == "jan@example.cz"
    assert render_template_vars("$CLI_INVOICE_EMAIL$", full_contact(invoice_email="")) == "jan@example.cz"
    assert render_template_vars("$CLI_INVOICE_EMAIL$", full_contact(invoice_email=None, email=None)) == ""


def test_unknown_or_malformed_variables_stay_as_typed():
    contact = full_contact()
    text = "$CLI_UNKNOWN$ $cli_name$ $CLI_NAME CLI_NAME$ $$ $100 $CLI_PASSWORD$"
    assert render_template_vars(text, contact) == text


def test_a_text_without_variables_is_unchanged():
    assert render_template_vars("Hello, the network is back.", full_contact()) == "Hello, the network is back."
