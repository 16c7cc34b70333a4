"""Which field each column fills: guessed from Czech, English and our export's headers; saved mappings."""

from __future__ import annotations

from flask_babel import force_locale

from domain.contact_fields import FIELDS
from domain.imports.mapping import guess_mapping, mapping_errors, save_mapping, saved_mapping
from models import db


def test_czech_headers_of_other_systems_are_recognised(babel_request):
    headers = [
        "Příjmení",
        "JMÉNO",
        "ič",
        "DIČ",
        "PSČ",
        "Ulice",
        "Obec",
        "E-mail",
        "Telefon",
        "Variabilní symbol",
        "Poznámka ",
        "Něco jiného",
    ]
    assert guess_mapping(headers) == [
        "surname",
        "first_name",
        "company_id",
        "vat_id",
        "postcode",
        "street",
        "city",
        "email",
        "phone",
        "client_number",
        "internal_note_1",
        None,
    ]


def test_a_lone_first_name_column_holds_the_whole_name_and_a_field_goes_to_its_first_column(babel_request):
    assert guess_mapping(["Jméno", "Klientské číslo", "VS", "Email", "e-mail"]) == [
        "name",
        "client_number",
        None,
        "email",
        None,
    ]


def test_our_export_headers_map_themselves_in_both_languages(babel_request):
    for language in ("en", "cs"):
        with force_locale(language):
            headers = [field.header() for field in FIELDS]
        assert guess_mapping(headers) == [field.name for field in FIELDS], language


def test_what_a_mapping_lacks_is_said(babel_request):
    assert len(mapping_errors(["name", "street", "postcode", "city"], "add")) == 0
    assert len(mapping_errors(["surname", "first_name", "street", "postcode", "city"], "add")) == 0
    assert len(mapping_errors(["email"], "add")) == 4  # name, street, postcode, city
    assert mapping_errors(["email"], "update") and not mapping_errors(["client_number", "email"], "update")


def test_a_saved_mapping_applies_to_the_next_file_by_its_headers(app):
    with app.test_request_context():
        save_mapping("Starý systém", ["Zákazník", "Adr.", "Smetí"], ["name", "street", None])
        db.session.commit()
        assert saved_mapping("Starý systém", ["adr", "Nový", "ZÁKAZNÍK"]) == ["street", None, "name"]
        assert saved_mapping("Jiný", ["adr"]) is None
