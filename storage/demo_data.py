"""Reproducible, realistic Czech demo data: code lists, invoice groups, a CATV network and contacts.

Everything comes from one `random.Random(seed)`, so the same seed on an empty database gives the
same rows (dates are relative to today). Contacts, services and contact persons go in with bulk
Core inserts, which skip the ORM events, so the values those events fill in are computed here.
A second run adds to what is there: names are reused, client numbers continue above the highest.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from types import SimpleNamespace
from typing import NamedTuple

import sqlalchemy as sa

from domain.settings import get_settings
from models import (
    Building, City, ClientGroup, ClientStatus, Contact, ContactPerson, InvoiceGroup, Location, PaymentType, Service,
    ServiceType, Socket, SocketAssignment, Street, Switchboard, db,
)
from storage import drop_database_objects, install_database_objects
from storage.change_counters import count_bulk_change
from storage.search_index import normalise_search_text

BATCH_SIZE = 5_000
FIRST_CLIENT_NUMBER = 10_001
CONTACTS_PER_SOCKET = 5
MIN_SOCKETS = 50
HISTORY_DAYS = 5 * 365

# --- People and companies --------------------------------------------------------------------

MALE_FIRST_NAMES = (
    "Jan", "Petr", "Pavel", "Jiří", "Josef", "Tomáš", "Martin", "Jaroslav", "Miroslav", "Zdeněk",
    "Václav", "Michal", "František", "Jakub", "Lukáš", "Ondřej", "Karel", "Milan", "Vojtěch",
    "Radek", "Matěj", "Štěpán", "Filip", "Aleš", "Roman", "Luboš", "Dušan",
)
FEMALE_FIRST_NAMES = (
    "Marie", "Jana", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra", "Alena", "Petra",
    "Veronika", "Jaroslava", "Tereza", "Martina", "Michaela", "Zuzana", "Ludmila", "Helena",
    "Ivana", "Monika", "Markéta", "Barbora", "Šárka", "Klára", "Božena", "Dagmar",
)
# Czech surnames change with gender, not always by a rule (Němec → Němcová), so both are listed.
SURNAMES = (
    ("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"), ("Dvořák", "Dvořáková"),
    ("Černý", "Černá"), ("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"),
    ("Horák", "Horáková"), ("Němec", "Němcová"), ("Marek", "Marková"), ("Pospíšil", "Pospíšilová"),
    ("Pokorný", "Pokorná"), ("Hájek", "Hájková"), ("Král", "Králová"), ("Jelínek", "Jelínková"),
    ("Růžička", "Růžičková"), ("Beneš", "Benešová"), ("Fiala", "Fialová"), ("Sedláček", "Sedláčková"),
    ("Doležal", "Doležalová"), ("Zeman", "Zemanová"), ("Kolář", "Kolářová"), ("Navrátil", "Navrátilová"),
    ("Čermák", "Čermáková"), ("Vaněk", "Vaňková"), ("Urban", "Urbanová"), ("Blažek", "Blažková"),
    ("Kříž", "Křížová"), ("Kovář", "Kovářová"), ("Bartoš", "Bartošová"), ("Vlček", "Vlčková"),
    ("Polák", "Poláková"), ("Musil", "Musilová"), ("Šimek", "Šimková"), ("Štěpánek", "Štěpánková"),
    ("Kopecký", "Kopecká"), ("Holub", "Holubová"), ("Žák", "Žáková"), ("Říha", "Říhová"),
    ("Šťastný", "Šťastná"), ("Ševčík", "Ševčíková"), ("Čech", "Čechová"), ("Malý", "Malá"),
    ("Vávra", "Vávrová"), ("Ptáček", "Ptáčková"),
)
COMPANY_ADJECTIVES = (
    "Žlutý", "Zlatý", "Modrý", "Zelený", "Bílý", "Rudý", "Rychlý", "Starý", "Nový", "Veselý",
    "Český", "Moravský", "Tichý", "Šikovný", "Horní",
)
COMPANY_NOUNS = (
    "kůň", "lev", "dub", "most", "mlýn", "sokol", "medvěd", "klíč", "pramen", "vrch", "dvůr",
    "čáp", "jelen", "rybník", "kámen",
)
TRADES = (
    "Stavby", "Instalatérství", "Pekárna", "Autoservis", "Elektro", "Truhlářství", "Účetnictví",
    "Zahradnictví", "Kadeřnictví", "Řeznictví", "Pneuservis",
)
LEGAL_FORMS = ("s.r.o.", "s.r.o.", "s.r.o.", "spol. s r.o.", "a.s.", "v.o.s.")
PERSON_ROLES = ("jednatel", "účetní", "technik", "správce budovy", "provozní", "asistentka ředitele")
MAIL_DOMAINS = ("seznam.cz", "seznam.cz", "email.cz", "gmail.com", "gmail.com", "centrum.cz",
                "volny.cz", "post.cz", "atlas.cz", "icloud.com")
MOBILE_PREFIXES = ("601", "602", "603", "604", "605", "606", "607", "608", "702", "704", "720",
                   "721", "722", "723", "724", "725", "728", "730", "731", "732", "733", "734",
                   "736", "737", "739", "770", "773", "774", "775", "776", "777", "778", "790")
MARKED_REASONS = (
    "Opakovaně platí po splatnosti", "VIP – vyřizovat přednostně", "Hlásí časté výpadky, volat předem",
    "Dohodnut splátkový kalendář", "Nutná kontrola přípojky", "Reklamace rychlosti v řešení",
)
INTERNAL_NOTES = (
    "Router v předsíni nad dveřmi", "Klíče od sklepa má správce domu", "Preferuje kontakt e-mailem",
    "Zásuvka za skříní v obýváku", "Sleva 10 % do konce roku", "Pes na zahradě, zvonit dvakrát",
    "Volat až po 16. hodině", "Přechod od konkurence", "Kabel veden lištou po chodbě",
)

# --- Places ------------------------------------------------------------------------------------



class Place(NamedTuple):
    """A city contacts live in: its postcodes, landline area code, centre, share of contacts, streets."""

    postcodes: tuple[str, ...]
    area_code: str
    lat: float
    lon: float
    weight: int
    streets: tuple[str, ...]


CITIES = {
    "Praha": Place(("110 00", "120 00", "130 00", "140 00", "150 00", "160 00", "170 00", "180 00",
               "190 00", "141 00", "155 00"), "2", 50.0755, 14.4378, 40, (
        "Vinohradská", "Korunní", "Táborská", "Sokolovská", "Bělehradská", "Londýnská", "Jeseniova",
        "Seifertova", "Koněvova", "Na Pankráci", "Jugoslávských partyzánů", "Evropská", "Plzeňská",
        "Nádražní", "Štefánikova", "Vršovická", "Kodaňská", "Milady Horákové", "Dukelských hrdinů",
        "Chodovská", "Türkova", "Roztylská", "U Stírky", "Zenklova", "Čimická", "Kubánské náměstí",
    )),
    "Brno": Place(("602 00", "612 00", "615 00", "616 00", "621 00", "625 00", "628 00", "638 00"),
             "54", 49.1951, 16.6068, 14, (
        "Masarykova", "Údolní", "Cejl", "Křenová", "Kounicova", "Purkyňova", "Bzenecká",
        "Horníkova", "Jírova", "Kamenice", "Starobrněnská", "Lidická", "Palackého třída", "Vídeňská",
    )),
    "Ostrava": Place(("702 00", "703 00", "708 00", "709 00", "710 00"), "59", 49.8209, 18.2625, 10, (
        "Hlavní třída", "Nádražní", "Opavská", "Výškovická", "Dr. Martínka", "Horní", "Dělnická",
        "Porubská", "Hlučínská", "28. října",
    )),
    "Plzeň": Place(("301 00", "312 00", "318 00", "323 00", "326 00"), "37", 49.7384, 13.3736, 8, (
        "Klatovská třída", "Americká", "Slovanská alej", "Gerská", "Lábkova", "Rokycanská",
        "Univerzitní", "Husova", "Skupova",
    )),
    "Olomouc": Place(("772 00", "779 00", "783 71"), "58", 49.5938, 17.2509, 6, (
        "Třída Svobody", "Dobrovského", "Trnkova", "Foerstrova", "Velkomoravská", "Jílová",
        "Schweitzerova",
    )),
    "Liberec": Place(("460 01", "460 07", "460 15"), "48", 50.7663, 15.0543, 5, (
        "Moskevská", "Jablonecká", "Husova", "Švermova", "Dobiášova", "Kašparova",
    )),
    "České Budějovice": Place(("370 01", "370 05", "370 06", "370 07"), "38", 48.9745, 14.4743, 5, (
        "Lidická", "Husova tř.", "Pražská tř.", "Nádražní", "Vrbenská", "Krčínova",
    )),
    "Hradec Králové": Place(("500 02", "500 03", "500 09", "500 12"), "49", 50.2092, 15.8328, 5, (
        "Gočárova třída", "Pražská třída", "Třebešská", "Brněnská", "Hradecká", "Zámečnická",
    )),
    "Pardubice": Place(("530 02", "530 03", "530 09", "530 12"), "46", 50.0343, 15.7812, 4, (
        "Třída Míru", "Palackého", "Jana Palacha", "Družstevní", "Benešovo náměstí",
    )),
    "Zlín": Place(("760 01", "760 05"), "57", 49.2265, 17.6707, 3, (
        "Třída Tomáše Bati", "Štefánikova", "Okružní", "Mostní", "Dlouhá",
    )),
}
# Cities with CATV wiring, with the share of the network each gets.
CATV_CITIES = {"Praha": 50, "Brno": 20, "Plzeň": 15, "Olomouc": 15}

# --- Code lists and invoice groups -------------------------------------------------------------

CLIENT_GROUPS = ("VIP", "Zaměstnanci", "Firmy", "Bytová družstva", "Školy a úřady")
CLIENT_STATUSES = (
    ("Nový klient", "#3498db", None, None),
    ("Dlužník", "#e74c3c", "pohledavky@netcom-praha.cz", 7),
    ("Výpověď", "#f39c12", None, None),
    ("Reklamace", "#9b59b6", "reklamace@netcom-praha.cz", 3),
    ("Prověřit", "#7f8c8d", None, None),
)
LOCATIONS = (
    "Praha – Žižkov, AP Jeseniova", "Praha – Smíchov, věž Anděl", "Praha – Chodov, POP Roztyly",
    "Brno – Líšeň, stožár Horníkova", "Plzeň – Bory, POP Klatovská", "Olomouc – Nová Ulice",
    "Ostrava – Poruba, AP Hlavní třída",
)
# service type: ((tariff, monthly price), ...)
TARIFFS = {
    "Internet": (("Internet 50/10 Mb/s", "349.00"), ("Internet 100/20 Mb/s", "449.00"),
                 ("Internet 300/50 Mb/s", "549.00"), ("Internet 1000/100 Mb/s", "749.00")),
    "Cable TV - CATV": (("CATV Základ", "150.00"), ("CATV Rozšířená nabídka", "290.00")),
    "IPTV": (("IPTV Start", "199.00"), ("IPTV Komplet", "399.00")),
    "VoIP": (("VoIP Paušál", "99.00"), ("VoIP Neomezeně", "249.00")),
}
INVOICE_GROUPS = (
    {"name": "NetCom Praha", "company_name": "NetCom Praha s.r.o.", "street": "Vinohradská 1233/22",
     "city": "Praha", "postcode": "120 00", "email": "fakturace@netcom-praha.cz",
     "phone": "+420222512345", "web": "https://www.netcom-praha.cz", "series_prefix": "FA",
     "footer": "Zapsáno v obchodním rejstříku u Městského soudu v Praze, oddíl C."},
    {"name": "NetCom Morava", "company_name": "NetCom Morava s.r.o.", "street": "Masarykova 427/31",
     "city": "Brno", "postcode": "602 00", "email": "fakturace@netcom-morava.cz",
     "phone": "+420542212345", "web": "https://www.netcom-morava.cz", "series_prefix": "FB",
     "footer": "Zapsáno v obchodním rejstříku u Krajského soudu v Brně, oddíl C."},
    {"name": "KabelTV Plzeň", "company_name": "Kabelová televize Plzeň a.s.",
     "street": "Klatovská třída 1960/88", "city": "Plzeň", "postcode": "301 00",
     "email": "fakturace@kabeltv-plzen.cz", "phone": "+420377123456",
     "web": "https://www.kabeltv-plzen.cz", "series_prefix": "KT",
     "footer": "Zapsáno v obchodním rejstříku u Krajského soudu v Plzni, oddíl B."},
)
# Czech bank codes with their BIC, as the Czech National Bank lists them.
BANKS = (("0100", "KOMBCZPP"), ("0300", "CEKOCZPP"), ("0600", "AGBACZPP"), ("0800", "GIBACZPX"),
         ("2010", "FIOBCZPP"), ("2700", "BACXCZPP"), ("3030", "AIRACZPP"), ("5500", "RZBCCZPP"),
         ("6210", "BREXCZPP"))
BANK_ACCOUNT_WEIGHTS = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)


# --- Numbers with check digits -----------------------------------------------------------------


def company_id(rng: random.Random) -> str:
    """A random IČO: seven digits and the mod-11 check digit."""
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(6)]
    total = sum((8 - i) * d for i, d in enumerate(digits))
    return "".join(map(str, digits)) + str((11 - total % 11) % 10)


def _account_part(rng: random.Random, length: int) -> str:
    """Digits whose weighted sum is divisible by 11, as Czech account prefixes and numbers need."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(length - 2)]
        weights = BANK_ACCOUNT_WEIGHTS[-length:]
        # The last digit weighs 1, so it alone settles the sum; 10 is no digit, hence the retry.
        last = -sum(w * d for w, d in zip(weights, digits)) % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def bank_details(rng: random.Random) -> tuple[str, str, str]:
    """A valid Czech bank account number with its IBAN and BIC."""
    bank, bic = rng.choice(BANKS)
    prefix = _account_part(rng, rng.randint(2, 6)) if rng.random() < 0.2 else ""
    number = _account_part(rng, rng.choice((6, 8, 10, 10)))
    account = f"{prefix}-{number}/{bank}" if prefix else f"{number}/{bank}"
    bban = bank + prefix.zfill(6) + number.zfill(10)
    # ISO 13616 mod 97: BBAN, then "CZ00" as digits (C=12, Z=35); 98 minus the remainder is the check.
    check = 98 - int(bban + "123500") % 97
    return account, f"CZ{check:02d}{bban}", bic


# --- Code lists, invoice groups, CATV network ----------------------------------------------


def _get_or_add(model, name: str, **values):
    """The row of `model` with this name, added with `values` when there is none."""
    row = db.session.scalar(sa.select(model).filter_by(name=name))
    if row is None:
        row = model(name=name, **values)
        db.session.add(row)
    return row


def _code_lists(rng: random.Random) -> dict[str, list]:
    """Code lists and invoice groups, reusing rows a former run left; returns their ids by kind."""
    lists = {
        "groups": [_get_or_add(ClientGroup, name, position=i) for i, name in enumerate(CLIENT_GROUPS)],
        "statuses": [
            _get_or_add(ClientStatus, name, position=i, colour=colour, report_email=email, report_days=days)
            for i, (name, colour, email, days) in enumerate(CLIENT_STATUSES)
        ],
        "locations": [_get_or_add(Location, name, position=i) for i, name in enumerate(LOCATIONS)],
        "service_types": [_get_or_add(ServiceType, name, position=i) for i, name in enumerate(TARIFFS)],
    }
    groups = []
    for values in INVOICE_GROUPS[:rng.randint(2, 3)]:
        ico = company_id(rng)
        account, iban, bic = bank_details(rng)
        groups.append(_get_or_add(
            InvoiceGroup, **values, company_id=ico, vat_id=f"CZ{ico}", bank_account=account, iban=iban,
            bic=bic, next_number=rng.randint(1, 5000), number_digits=6, due_days=14,
        ))
    lists["invoice_groups"] = groups
    db.session.flush()
    return {key: [row.id for row in rows] for key, rows in lists.items()}


def _postcodes(rng: random.Random) -> dict[tuple[str, str], str]:
    """A postcode for every street of every city: a street keeps its postcode."""
    return {(city, street): rng.choice(place.postcodes)
            for city, place in CITIES.items() for street in place.streets}


class NewSocket(NamedTuple):
    """A socket this run wired, with its building's address: whoever holds it lives there."""

    socket: Socket
    city: str
    street: str
    postcode: str


def _catv_network(rng: random.Random, socket_count: int, postcodes: dict) -> list[NewSocket]:
    """Buildings full of sockets until there are `socket_count`, each returned with its address."""
    cities = {name: _get_or_add(City, name) for name in CATV_CITIES}
    db.session.flush()
    streets, taken = {}, {}
    for city_name, city in cities.items():
        for name in CITIES[city_name].streets:
            street = db.session.scalar(sa.select(Street).filter_by(city_id=city.id, name=name))
            streets[city_name, name] = street or Street(city=city, name=name)
            numbers = sa.select(Building.number).join(Building.street).where(
                Street.city_id == city.id, Street.name == name)
            taken[city_name, name] = set(db.session.scalars(numbers))
    db.session.add_all(streets.values())

    orientation = dict.fromkeys(streets, 0)
    sockets = []
    while len(sockets) < socket_count:
        city_name = rng.choices(list(CATV_CITIES), weights=list(CATV_CITIES.values()))[0]
        key = (city_name, rng.choice(CITIES[city_name].streets))
        orientation[key] += rng.randint(1, 2)
        number = f"{rng.randint(100, 3999)}/{orientation[key]}"
        if number in taken[key]:
            continue
        taken[key].add(number)
        # Mostly blocks of flats; a few family houses with a single socket per floor.
        floors = rng.choice((2, 3, 4, 5, 6, 8, 8, 12)) if rng.random() < 0.85 else rng.randint(1, 2)
        building = Building(street=streets[key], number=number, floors=floors)
        address = (city_name, f"{key[1]} {number}", postcodes[key])
        for position in range(1, rng.randint(1, 4 if floors > 2 else 1) + 1):
            switchboard = Switchboard(building=building, name=f"R{position}", position=position)
            flats_per_floor = rng.randint(1, 4) if floors > 2 else 1
            for floor in range(floors):
                for flat in range(1, flats_per_floor + 1):
                    socket = Socket(switchboard=switchboard, floor=floor, label=f"{floor}.{flat:02d}")
                    sockets.append(NewSocket(socket, *address))
    # The last building may stay partly wired, as buildings being connected are; the count is exact.
    del sockets[socket_count:]
    db.session.add_all(held.socket for held in sockets)
    db.session.flush()
    return sockets


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
            sa.select(PaymentType.id, PaymentType.system_code, PaymentType.is_default, PaymentType.hidden)
            .order_by(PaymentType.position, PaymentType.id)).all()
        self.default_payment = next((p for p in payment_types if p.is_default), payment_types[0])
        self.other_payments = [p for p in payment_types if p != self.default_payment and not p.hidden]
        # Most contacts belong to the main company.
        self.group_weights = (70, 20, 10)[:len(ids["invoice_groups"])]
        self.service_types = dict(zip(TARIFFS, ids["service_types"]))
        self.prices = {kind: [(tariff, Decimal(price)) for tariff, price in tariffs]
                       for kind, tariffs in TARIFFS.items()}

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
        local = self.rng.choice((f"{first}.{surname}", f"{surname}.{first}", f"{first[0]}{surname}",
                                 f"{first}.{surname}{self.rng.randint(1, 99)}"))
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"

    def _address(self, held: NewSocket | None) -> dict:
        """Mailing address: the socket's building for a CATV client, else anywhere in a city."""
        rng = self.rng
        if held:
            return {"city": held.city, "street": held.street, "postcode": held.postcode,
                    "socket_id": held.socket.id, "floor": str(held.socket.floor), "flat": held.socket.label}
        city = rng.choices(self.city_names, weights=self.city_weights)[0]
        street = rng.choice(CITIES[city].streets)
        number = rng.randint(1, 3999)
        house = f"{number}/{rng.randint(1, 120)}" if rng.random() < 0.6 else str(number)
        in_flat = rng.random() < 0.4
        return {"city": city, "street": f"{street} {house}", "postcode": self.postcodes[city, street],
                "socket_id": None, "floor": str(rng.randint(0, 8)) if in_flat else None,
                "flat": str(rng.randint(1, 40)) if in_flat else None}

    def _gps(self, city: str) -> dict:
        if self.rng.random() >= 0.3:
            return {"gps_lat": None, "gps_lon": None}
        lat, lon = CITIES[city].lat, CITIES[city].lon
        return {"gps_lat": Decimal(f"{lat + self.rng.uniform(-0.05, 0.05):.6f}"),
                "gps_lon": Decimal(f"{lon + self.rng.uniform(-0.08, 0.08):.6f}")}

    def _install_address(self) -> dict:
        if self.rng.random() >= 0.03:
            return {"has_different_address": False, "install_street": None, "install_postcode": None,
                    "install_city": None, "install_country": None}
        address = self._address(None)
        return {"has_different_address": True, "install_street": address["street"],
                "install_postcode": address["postcode"], "install_city": address["city"],
                "install_country": "CZ"}

    def _invoicing(self, has_email: bool) -> dict:
        rng = self.rng
        payment = self.default_payment if rng.random() < 0.8 or not self.other_payments \
            else rng.choice(self.other_payments)
        # Direct debit needs the client's account; others give one now and then.
        if payment.system_code == "direct_debit" or rng.random() < 0.15:
            account, iban, bic = bank_details(rng)
        else:
            account = iban = bic = None
        suspend_mode = rng.choices(("global", "individual", "never"), weights=(90, 7, 3))[0]
        individual = suspend_mode == "individual"
        bulk = payment.system_code == "bulk_payment"
        balance = Decimal(rng.randint(-200_000, 200_000)) / 100 if rng.random() < 0.1 else Decimal("0")
        return {
            "payment_type_id": payment.id, "bank_account": account, "iban": iban, "bic": bic,
            "bulk_payment_number": str(rng.randrange(10**9, 10**10)) if bulk else None,
            "invoice_group_id": rng.choices(self.ids["invoice_groups"], weights=self.group_weights)[0],
            "invoice_by_email": has_email, "invoice_by_post": not has_email or rng.random() < 0.05,
            "no_auto_reminders": rng.random() < 0.03, "issue_proforma": rng.random() < 0.03,
            "opening_balance": balance,
            "contract_returned": rng.random() < 0.9,
            "invoicing_day": 1 if rng.random() < 0.85 else rng.randint(1, 28),
            "due_days": self.due_days if rng.random() < 0.9 else rng.choice((7, 21, 30)),
            "suspend_mode": suspend_mode,
            "suspend_min_amount": Decimal("500.00") if individual else None,
            "suspend_days_after_due": rng.choice((7, 14, 30)) if individual else None,
            "extra_vs_1": None, "extra_vs_2": None, "extra_vs_3": None,
            "hide_overdue": rng.random() < 0.01, "no_payment_notifications": rng.random() < 0.02,
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
        row = {"client_number": number, "is_corporate": corporate, "country": "CZ", **address,
               **self._gps(address["city"]), **self._install_address()}
        if corporate:
            roll = rng.random()
            base = (f"{rng.choice(COMPANY_ADJECTIVES)} {rng.choice(COMPANY_NOUNS)}" if roll < 0.5
                    else f"{rng.choice(TRADES)} {male_surname}" if roll < 0.8 else f"{male_surname} a syn")
            company = f"{base} {rng.choice(LEGAL_FORMS)}"
            domain = _ascii(base).replace(" ", "-") + ".cz"
            ico = company_id(rng)
            row |= {
                "name": company, "company_name": company, "contact_person": f"{first} {surname}",
                "id_number": None, "birth_date": None, "company_id": ico, "vat_id": f"CZ{ico}",
                "email": f"info@{domain}",
                "invoice_email": f"fakturace@{domain}" if rng.random() < 0.5 else None,
                "tech_email": f"it@{domain}" if rng.random() < 0.2 else None,
                "business_email": f"obchod@{domain}" if rng.random() < 0.2 else None,
                "phone": self._landline(address["city"]), "mobile": self._mobile(),
                "fax": self._landline(address["city"]) if rng.random() < 0.1 else None,
                "www": f"https://www.{domain}" if rng.random() < 0.6 else None,
            }
        else:
            birth = self.today.date() - timedelta(days=rng.randint(18 * 365, 90 * 365))
            row |= {
                "name": f"{surname} {first}", "company_name": None, "contact_person": None,
                "id_number": str(rng.randrange(10**8, 10**9)) if rng.random() < 0.6 else None,
                "birth_date": birth if rng.random() < 0.7 else None, "company_id": None, "vat_id": None,
                "email": self._email(first, surname) if rng.random() < 0.92 else None,
                "invoice_email": None, "tech_email": None, "business_email": None,
                "phone": self._landline(address["city"]) if rng.random() < 0.15 else None,
                "mobile": self._mobile() if rng.random() < 0.95 else None, "fax": None, "www": None,
            }
        marked = rng.random() < 0.05
        row |= {
            "is_marked": marked, "marked_reason": rng.choice(MARKED_REASONS) if marked else None,
            "no_bulk_email": rng.random() < 0.1, "show_info_messages": rng.random() < 0.95,
            "internal_note_1": rng.choice(INTERNAL_NOTES) if rng.random() < 0.1 else None,
            "internal_note_2": rng.choice(INTERNAL_NOTES) if rng.random() < 0.03 else None,
            **self._classification(created_at), **self._invoicing(row["email"] is not None),
            "created_at": created_at, "updated_at": self._moment(created_at), "version": 1,
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
        return {"name": f"{first} {surname}", "role": rng.choice(PERSON_ROLES) if corporate else None,
                "email": self._email(first, surname) if rng.random() < 0.7 else None,
                "phone": self._mobile() if rng.random() < 0.8 else self._landline(city)}

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
            rows.append({
                "service_type_id": self.service_types[kind], "tariff_name": tariff, "price": price,
                "start_date": start, "state": state,
                "end_date": later if state == "ended" else None,
                "suspend_reason": rng.choice(("Neuhrazené faktury", "Na žádost klienta"))
                if state == "suspended" else None,
                "suspended_from": later if state == "suspended" else None,
                "suspended_to": None,
                "created_at": datetime.combine(start, created_at.timetz()),
            })
        return rows


def _insert(model, rows: list[dict]) -> None:
    """Bulk insert with Core; an empty list would insert one row of defaults, so it is skipped."""
    if rows:
        db.session.execute(sa.insert(model.__table__), rows)


def _insert_contacts(batch: list[tuple[dict, list, list]]) -> tuple[int, int]:
    """Insert contacts with their services, persons and socket assignments; return the two counts."""
    contacts = [row for row, _, _ in batch]
    _insert(Contact, contacts)
    # An executemany returns no ids; the client numbers just inserted lead to them.
    numbers = (contacts[0]["client_number"], contacts[-1]["client_number"])
    ids = dict(db.session.execute(
        sa.select(Contact.client_number, Contact.id).where(Contact.client_number.between(*numbers))).all())
    services, persons, assignments = [], [], []
    for row, row_services, row_persons in batch:
        contact_id = ids[row["client_number"]]
        services += [{**service, "contact_id": contact_id} for service in row_services]
        persons += [{**person, "contact_id": contact_id} for person in row_persons]
        if row["socket_id"]:
            assignments.append({"contact_id": contact_id, "socket_id": row["socket_id"],
                                "assigned_at": row["created_at"]})
    _insert(Service, services)
    _insert(ContactPerson, persons)
    _insert(SocketAssignment, assignments)
    return len(services), len(persons)


def _first_client_number() -> int:
    """Above every number in use: client numbers, extra variable symbols, the last one issued."""
    columns = (Contact.client_number, Contact.extra_vs_1, Contact.extra_vs_2, Contact.extra_vs_3)
    highest = db.session.execute(sa.select(*(sa.func.max(c) for c in columns))).one()
    return max(FIRST_CLIENT_NUMBER, get_settings().last_client_number + 1,
               *((n or 0) + 1 for n in highest))


def load_demo_data(contact_count: int, seed: int) -> str:
    """Add code lists, invoice groups, a CATV network and `contact_count` contacts; return a summary."""
    started = time.perf_counter()
    rng = random.Random(seed)
    # Dates count back from midnight, so loads on the same day agree on them too.
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    # The change counters' and the search index's triggers are dropped for the load and the
    # work they would do row by row is done once at the end (a third of the load time otherwise).
    drop_database_objects(db.session.connection())
    ids = _code_lists(rng)
    postcodes = _postcodes(rng)
    sockets = _catv_network(rng, max(MIN_SOCKETS, contact_count // CONTACTS_PER_SOCKET), postcodes)
    maker = ContactMaker(rng, today, ids, postcodes)

    first_number = _first_client_number()
    # Ascending client numbers get ascending creation times, as in a real register.
    created = [today - timedelta(days=HISTORY_DAYS * r)
               for r in sorted((rng.random() for _ in range(contact_count)), reverse=True)]
    rng.shuffle(sockets)
    # A fifth of the new sockets stays free for the clients still to come.
    held = min(contact_count, len(sockets) * 4 // 5)
    holders = dict(zip(rng.sample(range(contact_count), held), sockets))
    service_count = person_count = 0
    for batch_start in range(0, contact_count, BATCH_SIZE):
        batch = [maker.contact(first_number + i, created[i], holders.get(i))
                 for i in range(batch_start, min(batch_start + BATCH_SIZE, contact_count))]
        services, persons = _insert_contacts(batch)
        service_count += services
        person_count += persons
    install_database_objects(db.session.connection())
    count_bulk_change(db.session.connection())

    if contact_count:
        settings = get_settings()
        settings.last_client_number = max(settings.last_client_number, first_number + contact_count - 1)
    db.session.commit()
    numbers = f" (client numbers {first_number}–{first_number + contact_count - 1})" if contact_count else ""
    return (f"Loaded {contact_count} contacts{numbers}, {len(sockets)} sockets ({held} held), "
            f"{service_count} services, {person_count} contact persons, "
            f"{len(ids['invoice_groups'])} invoice groups in {time.perf_counter() - started:.1f} s")
