"""Company IDs (IČ), VAT IDs (DIČ) and ID numbers as a clerk types them, for the contact's country.

Each `parse_*` returns the value to store, compact (no spaces or separators), or raises
`ValueError` with a message for the clerk that names the country.
"""

from __future__ import annotations

import re

from flask_babel import get_locale, gettext
from stdnum.be import vat as be_vat
from stdnum.cz import dic
from stdnum.dk import cvr as dk_cvr
from stdnum.ee import registrikood as ee_registrikood
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus as fi_ytunnus
from stdnum.fr import siren as fr_siren
from stdnum.pl import regon as pl_regon
from stdnum.se import orgnr as se_orgnr
from stdnum.si import maticna as si_maticna

from domain.validators import require_ascii

# Company IDs (IČ) and VAT IDs (DIČ) are checked as the contact's country writes them.
# The national company register numbers python-stdnum checks; the Czech and Slovak IČO share one
# algorithm (Czech DIČ of a company); the German Handelsregisternummer is left out, as stdnum
# wants the court's name with it, which clerks do not type.
COMPANY_ID_MODULES = {
    "BE": be_vat,  # the enterprise number is the VAT number's digits
    "DK": dk_cvr,
    "EE": ee_registrikood,
    "FI": fi_ytunnus,
    "FR": fr_siren,
    "PL": pl_regon,
    "SE": se_orgnr,
    "SI": si_maticna,
}
# Greece writes EL before its VAT numbers; every other EU country its ISO code.
VAT_PREFIXES = {"GR": "EL"}
# The separators an ID is written with; stored without them.
_ID_SEPARATORS = re.compile(r"[\s./-]")
_GENERIC_ID = re.compile(r"[A-Z0-9]{2,20}")


def country_name(country: str) -> str:
    """The country's name in the user's language (Slovensko, Slovakia)."""
    locale = get_locale()
    return locale.territories.get(country, country) if locale else country


def _ico(value: str) -> str:
    """A Czech or Slovak IČO: up to eight digits, padded with zeros, the last a check digit."""
    digits = _ID_SEPARATORS.sub("", value)
    if not digits.isdigit() or len(digits) > 8:
        raise StdnumError
    return dic.validate(digits.zfill(8))


def _generic_id(value: str) -> str:
    """An ID of a country python-stdnum does not know: letters and digits, separators dropped."""
    compact = _ID_SEPARATORS.sub("", value).upper()
    if not _GENERIC_ID.fullmatch(compact):
        raise StdnumError
    return compact


def parse_company_id(value: str, country: str | None = "CZ") -> str:
    """A company ID (IČ) as the `country` writes it, stored compact: the Czech or Slovak IČO
    as eight digits, other countries' register numbers as python-stdnum compacts them."""
    require_ascii(value)
    country = (country or "CZ").upper()
    module = COMPANY_ID_MODULES.get(country)
    try:
        if country in ("CZ", "SK"):
            return _ico(value)
        return module.validate(value) if module else _generic_id(value)
    except StdnumError:
        if country == "CZ":
            message = gettext("Not a valid Czech company ID (IČ): up to 8 digits, the last a check digit.")
        elif country == "SK":
            message = gettext("Not a valid Slovak company ID (IČO): up to 8 digits, the last a check digit.")
        elif module:
            message = gettext("Not a valid company ID for %(country)s.", country=country_name(country))
        else:
            message = gettext(
                "Not a valid company ID for %(country)s: use 2 to 20 letters A-Z and digits.",
                country=country_name(country),
            )
        raise ValueError(message) from None


def parse_vat_id(value: str, country: str | None = "CZ") -> str:
    """A VAT ID (DIČ, IČ DPH) as the `country` writes it, stored compact and upper case; in the EU
    with its country prefix (typed or not), checked by python-stdnum."""
    require_ascii(value)
    country = (country or "CZ").upper()
    compact = _ID_SEPARATORS.sub("", value).upper()
    prefix = VAT_PREFIXES.get(country, country)
    in_eu = country.lower() in eu_vat.MEMBER_STATES
    try:
        if not in_eu:
            return _generic_id(compact)
        if compact.startswith((country, prefix)):
            compact = compact[2:]
        return eu_vat.validate(prefix + compact)
    except StdnumError:
        if country == "CZ":
            message = gettext("Not a valid Czech VAT ID (DIČ): CZ and 8 to 10 digits.")
        elif country == "SK":
            message = gettext("Not a valid Slovak VAT ID (IČ DPH): SK and 10 digits.")
        elif in_eu:
            message = gettext(
                "Not a valid VAT ID for %(country)s (%(prefix)s and the number).",
                country=country_name(country),
                prefix=prefix,
            )
        else:
            message = gettext(
                "Not a valid VAT ID for %(country)s: use 2 to 20 letters A-Z and digits.",
                country=country_name(country),
            )
        raise ValueError(message) from None


def parse_id_number(value: str) -> str:
    """An ID number (identity card, passport) stored upper case without spaces, so that the
    duplicate check finds `ab 123 456` and `AB123456` as one number with a plain index lookup."""
    return re.sub(r"\s", "", value).upper()
