"""The demo data's contacts, with their services and contact persons, built from one random generator."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

import sqlalchemy as sa

from domain.settings import get_settings
from models import (
    Contact,
    ContactPerson,
    PaymentType,
    Service,
    SocketAssignment,
    db,
)
from storage.demo_data.network import NewSocket
from storage.demo_data.vocabulary import (
    CITIES,
    COMPANY_ADJECTIVES,
    COMPANY_NOUNS,
    FEMALE_FIRST_NAMES,
    INTERNAL_NOTES,
    LEGAL_FORMS,
    MAIL_DOMAINS,
    MALE_FIRST_NAMES,
    MARKED_REASONS,
    MOBILE_PREFIXES,
    PERSON_ROLES,
    SURNAMES,
    TARIFFS,
    TRADES,
    bank_details,
    company_id,
)
from storage.search_index import normalise_search_text

FIRST_CLIENT_NUMBER = 10_001


# --- Contacts ----------------------------------------------------------------------------------


@cache
def _ascii(text: str) -> str:
    """Lower-case ASCII form of a name, for e-mail addresses (names repeat, hence the cache)."""
    return normalise_search_text(text)


class ContactMaker:
    """Builds contacts with their services and contact persons from one random generator."""

    def __init__(self, rng: random.Random, today: datetime, ids: dict[str, list], postcodes: dict):
        self.rng = rng
        self.today = today
        self.ids = ids
        self.postcodes = postcodes
        self.city_names = list(CITIES)
        self.city_weights = [place.weight for place in CITIES.values()]
        self.due_days = get_settings().default_due_days
        payment_types = db.session.execute(
            sa.select(PaymentType.id, PaymentType.system_code, PaymentType.is_default, PaymentType.hidden).order_by(
                PaymentType.position, PaymentType.id
            )
        ).all()
        self.default_payment = next((p for p in payment_types if p.is_default), payment_types[0])
        self.other_payments = [p for p in payment_types if p != self.default_payment and not p.hidden]
        # Most contacts belong to the main company.
        self.group_weights = (70, 20, 10)[: len(ids["invoice_groups"])]
        self.service_types = dict(zip(TARIFFS, ids["service_types"]))
        self.prices = {
            kind: [(tariff, Decimal(price)) for tariff, price in tariffs] for kind, tariffs in TARIFFS.items()
        }

    def _moment(self, after: datetime) -> datetime:
        """A random moment between `after` and today."""
        return after + (self.today - after) * self.rng.random()

    def _name(self) -> tuple[str, str, str]:
        """A first name, the surname in the same gender, and the surname's male form."""
        female = self.rng.random() < 0.5
        first = self.rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
        male_surname, female_surname = self.rng.choice(SURNAMES)
        return first, female_surname if female else male_surname, male_surname

    def _mobile(self) -> str:
        return f"+420{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**6):06d}"

    def _landline(self, city: str) -> str:
        prefix = CITIES[city].area_code
        return f"+420{prefix}{self.rng.randrange(10 ** (9 - len(prefix))):0{9 - len(prefix)}d}"

    def _email(self, first: str, surname: str) -> str:
        first, surname = _ascii(first), _ascii(surname)
        local = self.rng.choice(
            (
                f"{first}.{surname}",
                f"{surname}.{first}",
                f"{first[0]}{surname}",
                f"{first}.{surname}{self.rng.randint(1, 99)}",
            )
        )
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"

    def _address(self, held: NewSocket | None) -> dict:
        """Mailing address: the socket's building for a CATV client, else anywhere in a city."""
        rng = self.rng
        if held:
            return {
                "city": held.city,
                "street": held.street,
                "postcode": held.postcode,
                "socket_id": held.socket.id,
                "floor": str(held.socket.floor),
                "flat": held.socket.label,
            }
        city = rng.choices(self.city_names, weights=self.city_weights)[0]
        street = rng.choice(CITIES[city].streets)
        number = rng.randint(1, 3999)
        house = f"{number}/{rng.randint(1, 120)}" if rng.random() < 0.6 else str(number)
        in_flat = rng.random() < 0.4
        return {
            "city": city,
            "street": f"{street} {house}",
            "postcode": self.postcodes[city, street],
            "socket_id": None,
            "floor": str(rng.randint(0, 8)) if in_flat else None,
            "flat": str(rng.randint(1, 40)) if in_flat else None,
        }

    def _gps(self, city: str) -> dict:
        if self.rng.random() >= 0.3:
            return {"gps_lat": None, "gps_lon": None}
        lat, lon = CITIES[city].lat, CITIES[city].lon
        return {
            "gps_lat": Decimal(f"{lat + self.rng.uniform(-0.05, 0.05):.6f}"),
            "gps_lon": Decimal(f"{lon + self.rng.uniform(-0.08, 0.08):.6f}"),
        }

    def _install_address(self) -> dict:
        if self.rng.random() >= 0.03:
            return {
                "has_different_address": False,
                "install_street": None,
                "install_postcode": None,
                "install_city": None,
                "install_country": None,
            }
        address = self._address(None)
        return {
            "has_different_address": True,
            "install_street": address["street"],
            "install_postcode": address["postcode"],
            "install_city": address["city"],
            "install_country": "CZ",
        }

    def _invoicing(self, has_email: bool) -> dict:
        rng = self.rng
        payment = (
            self.default_payment if rng.random() < 0.8 or not self.other_payments else rng.choice(self.other_payments)
        )
        # Direct debit needs the client's account; others give one now and then.
        if payment.system_code == "direct_debit" or rng.random() < 0.15:
            account, iban, bic = bank_details(rng)
        else:
            account = iban = bic = None
        suspend_mode = rng.choices(("global", "individual", "never"), weights=(90, 7, 3))[0]
        individual = suspend_mode == "individual"
        bulk = payment.system_code == "bulk_payment"
        balance = Decimal(rng.randint(-200_000, 200_000)) / 100 if rng.random() < 0.1 else Decimal(0)
        return {
            "payment_type_id": payment.id,
            "bank_account": account,
            "iban": iban,
            "bic": bic,
            "bulk_payment_number": str(rng.randrange(10**9, 10**10)) if bulk else None,
            "invoice_group_id": rng.choices(self.ids["invoice_groups"], weights=self.group_weights)[0],
            "invoice_by_email": has_email,
            "invoice_by_post": not has_email or rng.random() < 0.05,
            "no_auto_reminders": rng.random() < 0.03,
            "issue_proforma": rng.random() < 0.03,
            "opening_balance": balance,
            "contract_returned": rng.random() < 0.9,
            "invoicing_day": 1 if rng.random() < 0.85 else rng.randint(1, 28),
            "due_days": self.due_days if rng.random() < 0.9 else rng.choice((7, 21, 30)),
            "suspend_mode": suspend_mode,
            "suspend_min_amount": Decimal("500.00") if individual else None,
            "suspend_days_after_due": rng.choice((7, 14, 30)) if individual else None,
            "extra_vs_1": None,
            "extra_vs_2": None,
            "extra_vs_3": None,
            "hide_overdue": rng.random() < 0.01,
            "no_payment_notifications": rng.random() < 0.02,
        }

    def _classification(self, created_at: datetime) -> dict:
        rng = self.rng
        status = rng.choice(self.ids["statuses"]) if rng.random() < 0.2 else None
        return {
            "client_group_id": rng.choice(self.ids["groups"]) if rng.random() < 0.15 else None,
            "client_status_id": status,
            "status_changed_at": self._moment(created_at) if status else None,
            "location_id": rng.choice(self.ids["locations"]) if rng.random() < 0.5 else None,
        }

    def contact(self, number: int, created_at: datetime, held: NewSocket | None) -> tuple[dict, list, list]:
        """One contact's row, its services' rows and its contact persons' rows (without contact_id)."""
        rng = self.rng
        first, surname, male_surname = self._name()
        corporate = rng.random() < 0.15
        address = self._address(held)
        row = {
            "client_number": number,
            "is_corporate": corporate,
            "country": "CZ",
            **address,
            **self._gps(address["city"]),
            **self._install_address(),
        }
        if corporate:
            roll = rng.random()
            base = (
                f"{rng.choice(COMPANY_ADJECTIVES)} {rng.choice(COMPANY_NOUNS)}"
                if roll < 0.5
                else f"{rng.choice(TRADES)} {male_surname}"
                if roll < 0.8
                else f"{male_surname} a syn"
            )
            company = f"{base} {rng.choice(LEGAL_FORMS)}"
            domain = _ascii(base).replace(" ", "-") + ".cz"
            ico = company_id(rng)
            row |= {
                "name": company,
                "company_name": company,
                "contact_person": f"{first} {surname}",
                "id_number": None,
                "birth_date": None,
                "company_id": ico,
                "vat_id": f"CZ{ico}",
                "email": f"info@{domain}",
                "invoice_email": f"fakturace@{domain}" if rng.random() < 0.5 else None,
                "tech_email": f"it@{domain}" if rng.random() < 0.2 else None,
                "business_email": f"obchod@{domain}" if rng.random() < 0.2 else None,
                "phone": self._landline(address["city"]),
                "mobile": self._mobile(),
                "fax": self._landline(address["city"]) if rng.random() < 0.1 else None,
                "www": f"https://www.{domain}" if rng.random() < 0.6 else None,
            }
        else:
            birth = self.today.date() - timedelta(days=rng.randint(18 * 365, 90 * 365))
            row |= {
                "name": f"{surname} {first}",
                "company_name": None,
                "contact_person": None,
                "id_number": str(rng.randrange(10**8, 10**9)) if rng.random() < 0.6 else None,
                "birth_date": birth if rng.random() < 0.7 else None,
                "company_id": None,
                "vat_id": None,
                "email": self._email(first, surname) if rng.random() < 0.92 else None,
                "invoice_email": None,
                "tech_email": None,
                "business_email": None,
                "phone": self._landline(address["city"]) if rng.random() < 0.15 else None,
                "mobile": self._mobile() if rng.random() < 0.95 else None,
                "fax": None,
                "www": None,
            }
        marked = rng.random() < 0.05
        row |= {
            "is_marked": marked,
            "marked_reason": rng.choice(MARKED_REASONS) if marked else None,
            "no_bulk_email": rng.random() < 0.1,
            "show_info_messages": rng.random() < 0.95,
            "internal_note_1": rng.choice(INTERNAL_NOTES) if rng.random() < 0.1 else None,
            "internal_note_2": rng.choice(INTERNAL_NOTES) if rng.random() < 0.03 else None,
            **self._classification(created_at),
            **self._invoicing(row["email"] is not None),
            "created_at": created_at,
            "updated_at": self._moment(created_at),
            "version": 1,
        }
        # The model's own list of searchable fields, read from a plain namespace: a transient
        # Contact per row costs 43 µs, the namespace 1 µs.
        row["search_text"] = normalise_search_text(*Contact.searchable_values(SimpleNamespace(**row)))
        persons = [self._person(row["city"], corporate) for _ in range(self._person_count(corporate))]
        return row, self._services(created_at, held is not None), persons

    def _person_count(self, corporate: bool) -> int:
        if corporate:
            return self.rng.choice((0, 1, 1, 2)) if self.rng.random() < 0.6 else 0
        return 1 if self.rng.random() < 0.05 else 0

    def _person(self, city: str, corporate: bool) -> dict:
        rng = self.rng
        first, surname, _ = self._name()
        return {
            "name": f"{first} {surname}",
            "role": rng.choice(PERSON_ROLES) if corporate else None,
            "email": self._email(first, surname) if rng.random() < 0.7 else None,
            "phone": self._mobile() if rng.random() < 0.8 else self._landline(city),
        }

    def _services(self, created_at: datetime, has_socket: bool) -> list[dict]:
        rng = self.rng
        kinds = ["Cable TV - CATV"] if has_socket else []
        if rng.random() < (0.5 if has_socket else 0.88):
            kinds.append("Internet")
            if rng.random() < 0.15:
                kinds.append("IPTV")
        if rng.random() < 0.08:
            kinds.append("VoIP")
        today = self.today.date()
        rows = []
        for kind in kinds:
            tariff, price = rng.choice(self.prices[kind])
            start = min(created_at.date() + timedelta(days=rng.randint(0, 30)), today)
            state = rng.choices(("active", "suspended", "ended"), weights=(88, 4, 8))[0]
            later = start + timedelta(days=rng.randint(0, (today - start).days))
            rows.append(
                {
                    "service_type_id": self.service_types[kind],
                    "tariff_name": tariff,
                    "price": price,
                    "start_date": start,
                    "state": state,
                    "end_date": later if state == "ended" else None,
                    "suspend_reason": rng.choice(("Neuhrazené faktury", "Na žádost klienta"))
                    if state == "suspended"
                    else None,
                    "suspended_from": later if state == "suspended" else None,
                    "suspended_to": None,
                    "created_at": datetime.combine(start, created_at.timetz()),
                }
            )
        return rows


def _insert(model, rows: list[dict]) -> None:
    """Bulk insert with Core; an empty list would insert one row of defaults, so it is skipped."""
    if rows:
        db.session.execute(sa.insert(model.__table__), rows)


def insert_contacts(batch: list[tuple[dict, list, list]]) -> tuple[int, int]:
    """Insert contacts with their services, persons and socket assignments; return the two counts."""
    contacts = [row for row, _, _ in batch]
    _insert(Contact, contacts)
    # An executemany returns no ids; the client numbers just inserted lead to them.
    numbers = (contacts[0]["client_number"], contacts[-1]["client_number"])
    ids = dict(
        db.session.execute(
            sa.select(Contact.client_number, Contact.id).where(Contact.client_number.between(*numbers))
        ).all()
    )
    services, persons, assignments = [], [], []
    for row, row_services, row_persons in batch:
        contact_id = ids[row["client_number"]]
        services += [{**service, "contact_id": contact_id} for service in row_services]
        persons += [{**person, "contact_id": contact_id} for person in row_persons]
        if row["socket_id"]:
            assignments.append(
                {"contact_id": contact_id, "socket_id": row["socket_id"], "assigned_at": row["created_at"]}
            )
    _insert(Service, services)
    _insert(ContactPerson, persons)
    _insert(SocketAssignment, assignments)
    return len(services), len(persons)


def first_client_number() -> int:
    """Above every number in use: client numbers, extra variable symbols, the last one issued."""
    columns = (Contact.client_number, Contact.extra_vs_1, Contact.extra_vs_2, Contact.extra_vs_3)
    highest = db.session.execute(sa.select(*(sa.func.max(c) for c in columns))).one()
    return max(FIRST_CLIENT_NUMBER, get_settings().last_client_number + 1, *((n or 0) + 1 for n in highest))
