"""Which contact field each column of a file fills: guessed from the headers, or a saved mapping.

A mapping is a list with one entry per column: a field's name (domain/contact_fields.py), one
of the name parts FIRST_NAME and SURNAME (joined into the client name as "Surname First"), or
None for a column that is ignored.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext, lazy_gettext

from domain.contact_fields import FIELDS, FIELDS_BY_NAME, plain, plain_labels
from models import ImportMapping, User, db, utcnow

FIRST_NAME, SURNAME = "first_name", "surname"
NAME_PARTS = {FIRST_NAME: lazy_gettext("First name"), SURNAME: lazy_gettext("Surname")}
# What other systems and offices' spreadsheets call the fields, written plain (see `plain`).
ALIASES = {
    "client_number": (
        "klientskecislo cislo klienta cislozakaznika zakaznickecislo variabilnisymbol vs "
        "clientno clientid customernumber customerno customerid variablesymbol"
    ),
    "name": "jmenoaprijmeni prijmeniajmeno nazevklienta klient zakaznik odberatel fullname customername",
    FIRST_NAME: "jmeno krestnijmeno firstname givenname forename",
    SURNAME: "prijmeni surname lastname familyname",
    "company_name": "firma nazevfirmy spolecnost obchodnijmeno obchodninazev company companyname",
    "contact_person": "kontaktniosoba contactperson",
    "company_id": "ic ico icoa companyid regno registrationnumber businessid",
    "vat_id": "dic icdph vat vatid vatno vatnumber taxid",
    "street": "ulice uliceacislo ulicecp adresa address street streetaddress",
    "city": "obec mesto misto city town",
    "postcode": "psc zip zipcode postalcode postcode",
    "country": "stat zeme country",
    "floor": "patro podlazi floor",
    "flat": "byt cislobytu flat apartment",
    "id_number": "cisloop op cislodokladu cisloobcanskehoprukazu idnumber idcard passport",
    "birth_date": "datumnarozeni narozen narozena birthdate dateofbirth dob",
    "email": "email mail emailovaadresa emailaddress",
    "invoice_email": "fakturacniemail emailprofaktury invoiceemail billingemail",
    "phone": "telefon tel telefonnicislo phone telephone phonenumber",
    "mobile": "mobil mobilnitelefon mobilnicislo gsm mobile cell cellphone",
    "fax": "fax",
    "www": "web www webovestranky website",
    "internal_note_1": "poznamka interni poznamka note notes",
    "bank_account": "cislouctu ucet bankovniucet bankaccount accountnumber",
    "opening_balance": "pocatecnizustatek zustatek saldo openingbalance balance",
    "client_group": "skupina skupinaklientu group clientgroup",
    "client_status": "stav stavklienta status clientstatus",
    "location": "lokalita oblast location area",
    "invoice_group": "fakturacniskupina invoicegroup",
    "payment_type": "zpusobplatby typplatby formauhrady paymenttype paymentmethod",
    "portal_login": "login prihlasovacijmeno portallogin username",
}


def _known_headers() -> dict[str, str]:
    """Every plain header a field is recognised by: its labels in both languages (our export's
    headers) first, then the aliases."""
    known = {}
    for name, label in NAME_PARTS.items():
        known.update(dict.fromkeys(plain_labels(label), name))
    for field in FIELDS:
        for header in plain_labels(field.label):
            known.setdefault(header, field.name)
    for name, aliases in ALIASES.items():
        for alias in aliases.split():
            known.setdefault(plain(alias), name)
    return known


def guess_mapping(headers: list[str]) -> list[str | None]:
    """The field each column fills, by its header; a field goes to the first column that names it.

    A lone first-name column ("Jméno" with no "Příjmení") holds the whole name.
    """
    known = _known_headers()
    mapping, taken = [], set()
    for header in headers:
        name = known.get(plain(header))
        mapping.append(name if name not in taken else None)
        taken.add(name)
    if FIRST_NAME in taken and SURNAME not in taken and "name" not in taken:
        mapping = ["name" if name == FIRST_NAME else name for name in mapping]
    return mapping


def mapping_errors(mapping: list[str | None], mode: str) -> list[str]:
    """What the mapping lacks for the mode: the required fields of a new contact, the client number of an update."""
    mapped = set(mapping)
    errors = []
    if mode == "update":
        if "client_number" not in mapped:
            errors.append(gettext("Map a column to the client number: an update finds the contacts by it."))
        return errors
    if "name" not in mapped and not mapped & set(NAME_PARTS):
        errors.append(gettext("Map a column to the client name (or to the first name and surname)."))
    errors.extend(
        gettext("Map a column to the field %(field)s.", field=field.label)
        for field in FIELDS
        if field.required and field.name != "name" and field.name not in mapped
    )
    unknown = mapped - set(FIELDS_BY_NAME) - set(NAME_PARTS) - {None}
    if unknown:
        errors.append(gettext("Unknown fields: %(fields)s.", fields=", ".join(sorted(unknown))))
    return errors


def field_title(name: str) -> str:
    """A mapping entry's name for the clerk."""
    return str(NAME_PARTS.get(name) or FIELDS_BY_NAME[name].label)


# --- Saved mappings -------------------------------------------------------------------------


def save_mapping(name: str, headers: list[str], mapping: list[str | None], user: User | None = None) -> ImportMapping:
    """Remember `mapping` under `name` (replacing a mapping of that name), by the plain headers;
    added to the session, committed by the caller."""
    saved = db.session.scalars(sa.select(ImportMapping).where(ImportMapping.name == name)).first()
    if saved is None:
        saved = ImportMapping(name=name)
        db.session.add(saved)
    saved.columns = {plain(header): field for header, field in zip(headers, mapping) if field}
    saved.user_id = user.id if user is not None else None
    saved.updated_at = utcnow()
    return saved


def saved_mapping(name: str, headers: list[str]) -> list[str | None] | None:
    """The mapping saved as `name` applied to a file's headers (a column it does not know is
    ignored), or None when there is no such mapping."""
    saved = db.session.scalars(sa.select(ImportMapping).where(ImportMapping.name == name)).first()
    if saved is None:
        return None
    return [saved.columns.get(plain(header)) for header in headers]


def mapping_names() -> list[str]:
    return list(db.session.scalars(sa.select(ImportMapping.name).order_by(ImportMapping.name)))
