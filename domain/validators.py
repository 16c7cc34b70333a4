"""Parsers and checks for what clerks type: bank details, e-mails, phones, postcodes, numbers.

Company and VAT IDs are in domain/identifiers.py, GPS in domain/gps.py.

Each `parse_*` returns the normalised value to store or raises `ValueError` with a message
meant for the clerk; `wtforms_validator` turns a parser into a WTForms validator that also
stores the normalised value.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import get_locale, gettext
from stdnum import bic, iban
from stdnum.cz import bankaccount
from stdnum.exceptions import ValidationError as StdnumError
from wtforms.validators import StopValidation

# Postcode shapes by country; other countries get a loose check.
POSTCODE_PATTERNS = {
    "CZ": (r"[0-9]{3} ?[0-9]{2}", "123 45"),
    "SK": (r"[0-9]{3} ?[0-9]{2}", "123 45"),
    "PL": (r"[0-9]{2}-[0-9]{3}", "12-345"),
    "DE": (r"[0-9]{5}", "12345"),
    "AT": (r"[0-9]{4}", "1234"),
    "HU": (r"[0-9]{4}", "1234"),
}
EMAIL_SEPARATORS = re.compile(r"[,;]")


def require_ascii(value: str) -> None:
    """Refuse an identifier with other characters than ASCII: python-stdnum would quietly read
    fullwidth "２５５９６６４１" as 25596641, which no bank or register writes."""
    if not value.isascii():
        raise ValueError(gettext("Use only the digits 0-9 and the letters A-Z."))


def parse_bank_account(value: str) -> str:
    """A Czech account number `prefix-number/bank code`."""
    require_ascii(value)
    try:
        canonical = bankaccount.validate(value)
    except StdnumError:
        raise ValueError(gettext("This is not a valid Czech account number (prefix-number/bank code).")) from None
    # Stored as Czech banks print it: no zero padding, no prefix when it is zero.
    prefix, number, bank = re.fullmatch(r"(\d*)-?(\d+)/(\d{4})", canonical).groups()
    prefix, number = prefix.lstrip("0"), number.lstrip("0")
    return f"{prefix}-{number}/{bank}" if prefix else f"{number}/{bank}"


def parse_iban(value: str) -> str:
    require_ascii(value)
    try:
        return iban.validate(value)
    except StdnumError:
        raise ValueError(gettext("This is not a valid IBAN.")) from None


def parse_bic(value: str) -> str:
    require_ascii(value)
    try:
        return bic.validate(value)
    except StdnumError:
        raise ValueError(gettext("This is not a valid BIC (8 or 11 characters).")) from None


def split_emails(value: str) -> list[str]:
    return [part.strip() for part in EMAIL_SEPARATORS.split(value) if part.strip()]


def parse_email_list(value: str) -> str:
    """One or more e-mail addresses separated by `,` or `;`, stored separated by `, `."""
    addresses = []
    for address in split_emails(value):
        try:
            addresses.append(validate_email(address, check_deliverability=False).normalized)
        except EmailNotValidError:
            raise ValueError(gettext("“%(address)s” is not a valid e-mail address.", address=address)) from None
    return ", ".join(addresses)


def parse_phone(value: str, country: str | None) -> str:
    """A phone number in E.164 form; a number without +prefix is read as from `country`."""
    # phonenumbers reads Arabic-Indic or fullwidth digits as 0-9; nobody dials them, so refuse.
    if has_foreign_digits(value):
        raise ValueError(gettext("Use the digits 0-9."))
    try:
        number = phonenumbers.parse(value, (country or "CZ").upper())
    except phonenumbers.NumberParseException:
        raise ValueError(gettext("This is not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(gettext("This phone number is not valid for its country."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Cached: a clerk comes back to the same list page after each edit, with the same numbers on it.
@functools.lru_cache(maxsize=4096)
def format_phone(value: str | None) -> str:
    """An E.164 number in readable international form (+420 601 123 456)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def parse_postcode(value: str, country: str | None) -> str:
    """A postcode in the shape its country uses (Czech: `123 45`)."""
    value = value.strip()
    pattern, example = POSTCODE_PATTERNS.get((country or "").upper(), (r"[A-Z0-9][A-Z0-9 -]{1,9}", None))
    # ASCII is checked before upper(), which would turn "ß1234" into "SS1234".
    if not value.isascii() or not re.fullmatch(pattern, value.upper(), re.ASCII):
        if example:
            raise ValueError(gettext("Use the postcode format %(example)s.", example=example))
        raise ValueError(gettext("This is not a postcode."))
    value = value.upper()
    if country in ("CZ", "SK"):
        value = value.replace(" ", "")
        value = f"{value[:3]} {value[3:]}"
    return value


def parse_url(value: str) -> str:
    """A web address; `example.cz` is read as `https://example.cz`."""
    value = value.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or not re.fullmatch(r"[\w.-]+", host):
        raise ValueError(gettext("This is not a web address."))
    return value


def parse_variable_symbol(value: str) -> int:
    """A variable symbol: digits only, at most 10 of them."""
    value = value.strip()
    if not value.isdigit() or not value.isascii():
        raise ValueError(gettext("Only digits, please."))
    if len(value) > 10 or int(value) == 0:
        raise ValueError(gettext("A variable symbol has 1 to 10 digits and is not zero."))
    return int(value)


# --- What every form refuses rather than store it changed ------------------------------------

# Control characters: none in a one-line field, tab, CR and LF only in multi-line text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_input_error(value: str, multiline: bool = False) -> str | None:
    """Why typed text cannot be stored as it is, or None.

    U+FFFD stands where the typed text was lost: Werkzeug puts it for bytes that are not UTF-8,
    and the admin forms put it for NUL (which PostgreSQL cannot store). Storing it, or stripping
    a NUL (98␀76 would become client number 9876), would change the text without a word.
    """
    if "\ufffd" in value:
        return gettext("This contains characters that are not valid text (such as NUL); retype it.")
    if (_CONTROL_MULTILINE if multiline else _CONTROL).search(value):
        return gettext("This contains control characters; remove them.")
    return None


def has_foreign_digits(value: str) -> bool:
    """Whether `value` has digits other than 0-9 (Arabic-Indic, fullwidth, superscript, ...)."""
    return any(char.isdigit() and not char.isascii() for char in value)


# Spaces (also non-breaking ones, as Czech texts have) between groups of three digits.
_DECIMAL = re.compile(r"([+-]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?", re.ASCII)


def parse_decimal(value: str, precision: int = 12, scale: int = 2) -> Decimal:
    """A number as a clerk types it, `450,50`, `450.50` or `1 450,50`, for a column that holds
    `precision` digits, `scale` of them decimals. Anything else (letters, `1,2,3`, NaN, Infinity,
    more decimals or digits than the column holds) is refused, never read as another number."""
    match = _DECIMAL.fullmatch(value.strip().replace("\u2212", "-"))
    if not match:
        raise ValueError(gettext("Enter a number such as 1 450,50."))
    sign, whole, fraction = match.groups()
    whole = re.sub(r"\D", "", whole).lstrip("0")
    fraction = (fraction or "").rstrip("0")  # 450,500 is 450,50: the same number
    if len(fraction) > scale:
        raise ValueError(gettext("At most %(places)d decimal places.", places=scale))
    if len(whole) > precision - scale:
        limit = f"{10 ** (precision - scale):,}".replace(",", " ")
        raise ValueError(gettext("Enter a number below %(limit)s.", limit=limit))
    number = Decimal(f"{sign}{whole or 0}.{fraction or 0}").quantize(Decimal(1).scaleb(-scale))
    return number or abs(number)  # "-0" is stored as 0.00, not -0.00


_WHOLE_NUMBER = re.compile(r"[+-]?\d+", re.ASCII)


def parse_whole_number(value: str, minimum: int, maximum: int) -> int:
    """A whole number of ASCII digits from `minimum` to `maximum` (the column's range, at least).

    Python's int() would also take "٢٠٢٦", "２０２６" and "1_000"; a 400-digit number reached
    the database and failed there.
    """
    text = value.strip().replace("\u2212", "-")
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(gettext("Enter a whole number using the digits 0-9."))
    widest = max(len(str(minimum).lstrip("-")), len(str(maximum)))
    if len(text.lstrip("+-").lstrip("0")) > widest or not minimum <= int(text) <= maximum:
        raise ValueError(
            gettext("Enter a whole number from %(minimum)d to %(maximum)d.", minimum=minimum, maximum=maximum)
        )
    return int(text)


# The dates a form accepts: wide enough for birth dates, contracts and validity periods, and
# well inside what the databases, the date picker and four-digit years handle (a birth date of
# year 1 was stored, then failed the contact's next save).
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def date_error(value: date) -> str | None:
    """Why a typed date is refused, or None."""
    day = value.date() if isinstance(value, datetime) else value
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    language = getattr(get_locale(), "language", None)
    return gettext(
        "Enter a date from %(first)s to %(last)s.",
        first=format_typed_date(EARLIEST_DATE, language),
        last=format_typed_date(LATEST_DATE, language),
    )


# A date as a Czech clerk types it (12.2.1985, 12. 2. 1985, 12.02.1985), with ordinary or
# non-breaking spaces (pasted from a document), or as ISO 8601 (1985-02-12, what other systems
# export), in either language. Two-digit years and other orders are refused, not guessed.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.[ \u00a0\u202f]*(\d{1,2})\.[ \u00a0\u202f]*(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_date(value: str) -> date:
    """The day `value` names, from EARLIEST_DATE to LATEST_DATE (see the patterns above)."""
    text = value.strip()
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = map(int, match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = map(int, match.groups())
    else:
        raise ValueError(gettext("Enter a date such as 12. 2. 1985 or 1985-02-12."))
    try:
        typed = date(year, month, day)
    except ValueError:
        raise ValueError(gettext("This day is not in the calendar; enter a date such as 12. 2. 1985.")) from None
    error = date_error(typed)
    if error:
        raise ValueError(error)
    return typed


# Between the two dates of a range: "to" or "do" (Czech), or a dash (a hyphen too, where it is not
# one of an ISO date's own: each place one could split is tried).
_RANGE_SEPARATOR = re.compile(r"\s+(?:to|do)\s+|\s*[-–—]\s*", re.IGNORECASE)


def parse_date_range(value: str) -> tuple[date, date]:
    """The first and last day of `1. 2. 2026 – 28. 2. 2026` (each as `parse_date` reads it)."""
    text = value.strip()
    ranges = []
    for separator in _RANGE_SEPARATOR.finditer(text):
        try:
            ranges.append((parse_date(text[: separator.start()]), parse_date(text[separator.end() :])))
        except ValueError:
            continue
    if len(ranges) != 1:
        raise ValueError(gettext("Enter two dates such as 1. 2. 2026 – 28. 2. 2026."))
    first, last = ranges[0]
    if last < first:
        raise ValueError(gettext("The second date is before the first."))
    return first, last


def format_typed_date(value: date, language: str | None) -> str:
    """A date as a clerk of `language` writes it: `12. 2. 1985` in Czech, `1985-02-12` otherwise."""
    return f"{value.day}. {value.month}. {value.year}" if language == "cs" else value.isoformat()


def amount_validator(limit: int = 10**10):
    """A WTForms validator for money: a finite number of less than `limit` either way."""

    def validate(form, field):
        if field.data is None:
            return
        if not field.data.is_finite() or abs(field.data) >= limit:
            raise StopValidation(gettext("Enter an amount below %(limit)s.", limit=f"{limit:,}".replace(",", " ")))

    return validate


def wtforms_validator(parser, *context_fields: str):
    """A WTForms validator that replaces the field's data with `parser`'s result.

    `context_fields` name other fields whose data the parser takes as extra arguments
    (the country for phones and postcodes). Empty values are left to `Optional`.
    """

    def validate(form, field):
        if field.data in (None, "") or (isinstance(field.data, str) and not field.data.strip()):
            field.data = None
            return
        extra = [form[name].data for name in context_fields]
        try:
            field.data = parser(field.data, *extra)
        except ValueError as error:
            raise StopValidation(str(error)) from None

    return validate
