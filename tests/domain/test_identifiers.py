"""Company IDs, VAT IDs and ID numbers by the contact's country (no HTTP, no database).

The valid and invalid examples are python-stdnum's own (its modules' docstrings) or real registers'.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel

from domain.identifiers import parse_company_id, parse_id_number, parse_vat_id

# The messages' gettext needs an app with Babel; no database: these rules never query one.
pytestmark = pytest.mark.usefixtures("babel_request")


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("CZ", "25596641", "25596641"),
        ("CZ", "2559 6641", "25596641"),
        ("CZ", "64581", "00064581"),  # older IČs are written without their leading zeros
        ("SK", "35763469", "35763469"),  # Slovak Telekom
        ("SK", "31 333 532", "31333532"),  # ESET
        ("PL", "192598184", "192598184"),
        ("DK", "DK 13585628", "13585628"),
        ("FI", "2077474-0", "20774740"),
        ("FR", "552 008 443", "552008443"),
        ("SE", "1234567897", "1234567897"),
        ("EE", "12345678", "12345678"),
        ("DE", "HRB 12345", "HRB12345"),  # no stdnum check: letters and digits, compact, upper case
        ("HU", "01-09-123456", "0109123456"),
        ("AT", "FN 122119m", "FN122119M"),
        (None, "25596641", "25596641"),  # no country: Czech
    ],
)
def test_company_ids_are_read_as_their_country_writes_them(country, typed, stored):
    assert parse_company_id(typed, country) == stored


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("CZ", "25596642", "Not a valid Czech company ID (IČ): up to 8 digits, the last a check digit."),
        ("CZ", "123456789", "Not a valid Czech company ID (IČ): up to 8 digits, the last a check digit."),
        ("CZ", "2559664A", "Not a valid Czech company ID (IČ): up to 8 digits, the last a check digit."),
        ("SK", "35763468", "Not a valid Slovak company ID (IČO): up to 8 digits, the last a check digit."),
        ("PL", "192598183", "Not a valid company ID for Poland."),
        ("DK", "DK 13585627", "Not a valid company ID for Denmark."),
        ("FI", "2077474-1", "Not a valid company ID for Finland."),
        ("SE", "1234567891", "Not a valid company ID for Sweden."),
        ("DE", "H", "Not a valid company ID for Germany: use 2 to 20 letters A-Z and digits."),
        ("DE", "HRB 12345 (Aachen)", "Not a valid company ID for Germany: use 2 to 20 letters A-Z and digits."),
        ("DE", "1" * 21, "Not a valid company ID for Germany: use 2 to 20 letters A-Z and digits."),
    ],
)
def test_a_wrong_company_id_is_refused_naming_the_country(country, typed, message):
    with pytest.raises(ValueError) as refused:  # noqa: PT011 (the message is compared below)
        parse_company_id(typed, country)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("CZ", "CZ25596641", "CZ25596641"),
        ("CZ", "25596641", "CZ25596641"),  # the prefix is the country's
        ("CZ", "cz 255 966 41", "CZ25596641"),
        ("CZ", "CZ 7103192745", "CZ7103192745"),  # a self-employed person's: the birth number
        ("SK", "SK2022749619", "SK2022749619"),
        ("SK", "2022749619", "SK2022749619"),
        ("DE", "DE 136,695 976".replace(",", ""), "DE136695976"),
        ("DE", "136695976", "DE136695976"),
        ("AT", "U57194903", "ATU57194903"),
        ("FR", "FR 61 954 506 077", "FR61954506077"),
        ("BE", "BE697449992", "BE0697449992"),
        ("PL", "PL 8567346215", "PL8567346215"),
        ("HU", "HU12892312", "HU12892312"),
        ("GR", "094259216", "EL094259216"),  # Greece writes EL
        ("GR", "GR094259216", "EL094259216"),
        ("CH", "CHE-107.787.577 MWST", "CHE107787577MWST"),  # outside the EU: letters and digits only
    ],
)
def test_vat_ids_are_stored_compact_with_the_country_prefix(country, typed, stored):
    assert parse_vat_id(typed, country) == stored


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("CZ", "CZ25596642", "Not a valid Czech VAT ID (DIČ): CZ and 8 to 10 digits."),
        ("CZ", "SK2022749619", "Not a valid Czech VAT ID (DIČ): CZ and 8 to 10 digits."),
        ("SK", "SK2022749618", "Not a valid Slovak VAT ID (IČ DPH): SK and 10 digits."),
        ("SK", "SK123", "Not a valid Slovak VAT ID (IČ DPH): SK and 10 digits."),
        ("DE", "DE136695978", "Not a valid VAT ID for Germany (DE and the number)."),
        ("DE", "CZ25596641", "Not a valid VAT ID for Germany (DE and the number)."),
        ("AT", "ATU57194904", "Not a valid VAT ID for Austria (AT and the number)."),
        ("GR", "EL094259217", "Not a valid VAT ID for Greece (EL and the number)."),
        ("NO", "MVA!", "Not a valid VAT ID for Norway: use 2 to 20 letters A-Z and digits."),
    ],
)
def test_a_wrong_vat_id_is_refused_naming_the_country(country, typed, message):
    with pytest.raises(ValueError) as refused:  # noqa: PT011 (the message is compared below)
        parse_vat_id(typed, country)
    assert str(refused.value) == message


def test_messages_name_the_country_in_the_users_language():
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: "cs")
    with app.test_request_context(), pytest.raises(ValueError, match="Polsko"):
        parse_company_id("192598183", "PL")


@pytest.mark.parametrize("parse", [parse_company_id, parse_vat_id])
@pytest.mark.parametrize("typed", ["２５５９６６４１", "SK２０２２７４９６１９", "HRB１２３"])
def test_ids_are_ascii_in_every_country(parse, typed):
    for country in ("CZ", "SK", "DE", "CH"):
        with pytest.raises(ValueError, match="0-9 and the letters A-Z"):
            parse(typed, country)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("AB123456", "AB123456"), ("ab 123 456", "AB123456"), (" 850101/1234 ", "850101/1234"), ("x\u00a0y", "XY")],
)
def test_id_numbers_are_stored_upper_case_without_spaces(typed, stored):
    assert parse_id_number(typed) == stored
