"""What the contact form's socket picker offers (no HTTP): only levels that lead to a socket, the free
sockets before the taken ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from domain.sockets import leads_to_a_socket, picker_socket_order, socket_choice, socket_taken
from models import Building, City, Contact, Socket, Street, Switchboard, db


@pytest.fixture
def network(app, make_socket):
    """Praha › Hlavní › 12 › R1 › R1-1, R1-2, R1-3; beside it every level that leads nowhere:
    Kolín (no street), Praha › Krátká (no building), Praha › Hlavní › 14 (no switchboard),
    Praha › Hlavní › 12 › R2 (no socket)."""
    chain = make_socket("R1-1")
    make_socket("R1-2", floor=2)
    make_socket("R1-3", floor=3)
    with app.app_context():
        db.session.add(City(name="Kolín"))
        db.session.add(Street(city_id=chain.city, name="Krátká"))
        db.session.add(Building(street_id=chain.street, number="14", floors=2))
        db.session.add(Switchboard(building_id=chain.building, name="R2", position=2))
        db.session.commit()
    return chain


def names(level, column) -> list[str]:
    return list(db.session.scalars(sa.select(column).where(leads_to_a_socket(level)).order_by(column)))


def test_only_levels_with_a_socket_below_are_offered(app, network):
    with app.app_context():
        assert names(City, City.name) == ["Praha"]
        assert names(Street, Street.name) == ["Hlavní"]
        assert names(Building, Building.number) == ["12"]
        assert names(Switchboard, Switchboard.name) == ["R1"]


def test_a_level_is_offered_again_once_a_socket_is_below_it(app, network, make_socket):
    make_socket("K1-1", city="Kolín", street="Nová", building="1", switchboard="K1")
    make_socket("R2-1", switchboard="R2", position=2)
    with app.app_context():
        assert names(City, City.name) == ["Kolín", "Praha"]
        assert names(Switchboard, Switchboard.name) == ["K1", "R1", "R2"]


def hold(make_contact, socket_id: int, number: int, **fields) -> int:
    return make_contact(client_number=number, name=f"Holder {number}", socket_id=socket_id, **fields)


def labels(except_contact_id=None) -> list[str]:
    query = sa.select(Socket.label).order_by(*picker_socket_order(except_contact_id))
    return list(db.session.scalars(query))


def test_free_sockets_come_first_then_the_taken_ones_each_by_label(app, network, make_contact):
    with app.app_context():
        first = db.session.scalar(sa.select(Socket.id).where(Socket.label == "R1-1"))
    holder = hold(make_contact, first, 3001)
    with app.app_context():
        assert labels() == ["R1-2", "R1-3", "R1-1"]
        # The contact being edited sees its own socket as free, in its place.
        assert labels(except_contact_id=holder) == ["R1-1", "R1-2", "R1-3"]
        taken = db.session.scalars(sa.select(Socket.label).where(socket_taken()).order_by(Socket.label))
        assert list(taken) == ["R1-1"]


def test_a_deleted_holder_leaves_the_socket_free(app, network, make_contact):
    with app.app_context():
        first = db.session.scalar(sa.select(Socket.id).where(Socket.label == "R1-1"))
    hold(make_contact, first, 3001, deleted_at=datetime(2026, 1, 1, tzinfo=UTC))
    with app.app_context():
        assert labels() == ["R1-1", "R1-2", "R1-3"]


def test_a_taken_socket_names_its_holder(babel_request):
    socket = Socket(label="R1-1")
    assert socket_choice(socket, None) == "R1-1"
    holder = Contact(client_number=3001, name="Dvořák Petr")
    assert socket_choice(socket, holder) == "R1-1 — taken by 3001 Dvořák Petr"
