"""The demo data's code lists, invoice groups and CATV network."""

from __future__ import annotations

import random
from typing import NamedTuple

import sqlalchemy as sa

from models import (
    Building,
    City,
    ClientGroup,
    ClientStatus,
    InvoiceGroup,
    Location,
    ServiceType,
    Socket,
    Street,
    Switchboard,
    db,
)
from storage.demo_data.vocabulary import (
    CATV_CITIES,
    CITIES,
    CLIENT_GROUPS,
    CLIENT_STATUSES,
    INVOICE_GROUPS,
    LOCATIONS,
    TARIFFS,
    bank_details,
    company_id,
)

# --- Code lists, invoice groups, CATV network ----------------------------------------------


def _get_or_add(model, name: str, **values):
    """The row of `model` with this name, added with `values` when there is none."""
    row = db.session.scalar(sa.select(model).filter_by(name=name))
    if row is None:
        row = model(name=name, **values)
        db.session.add(row)
    return row


def add_code_lists(rng: random.Random, year: int) -> dict[str, list]:
    """Code lists and invoice groups, reusing rows a former run left; returns their ids by kind.

    Each group numbers its invoices as the form suggests: the year, then six digits (2026004217).
    """
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
    for values in INVOICE_GROUPS[: rng.randint(2, 3)]:
        ico = company_id(rng)
        account, iban, bic = bank_details(rng)
        groups.append(
            _get_or_add(
                InvoiceGroup,
                **values,
                company_id=ico,
                vat_id=f"CZ{ico}",
                bank_account=account,
                iban=iban,
                bic=bic,
                series_prefix=str(year),
                next_number=rng.randint(1, 5000),
                number_digits=6,
                due_days=14,
            )
        )
    lists["invoice_groups"] = groups
    db.session.flush()
    return {key: [row.id for row in rows] for key, rows in lists.items()}


def postcodes_by_street(rng: random.Random) -> dict[tuple[str, str], str]:
    """A postcode for every street of every city: a street keeps its postcode."""
    return {(city, street): rng.choice(place.postcodes) for city, place in CITIES.items() for street in place.streets}


class NewSocket(NamedTuple):
    """A socket this run wired, with its building's address: whoever holds it lives there."""

    socket: Socket
    city: str
    street: str
    postcode: str


def add_catv_network(rng: random.Random, socket_count: int, postcodes: dict) -> list[NewSocket]:
    """Buildings full of sockets until there are `socket_count`, each returned with its address."""
    cities = {name: _get_or_add(City, name) for name in CATV_CITIES}
    db.session.flush()
    streets, taken = {}, {}
    for city_name, city in cities.items():
        for name in CITIES[city_name].streets:
            street = db.session.scalar(sa.select(Street).filter_by(city_id=city.id, name=name))
            streets[city_name, name] = street or Street(city=city, name=name)
            numbers = (
                sa.select(Building.number).join(Building.street).where(Street.city_id == city.id, Street.name == name)
            )
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
