"""CATV sockets: a building keeps a floor for each socket, and a socket stays within its building (no HTTP)."""

from __future__ import annotations

from domain.sockets import building_floors_errors, socket_floor_errors
from models import Building, City, Socket, Street, Switchboard, db


def building_with_sockets(floors: int, socket_floors: list[int]) -> Building:
    building = Building(street=Street(city=City(name="Praha"), name="Hlavní"), number="12", floors=floors)
    board = Switchboard(building=building, name="R1", position=1)
    db.session.add_all([Socket(switchboard=board, floor=floor, label=f"R1-{floor}") for floor in socket_floors])
    db.session.add(building)
    db.session.commit()
    return building


def test_a_building_cannot_have_fewer_floors_than_its_highest_socket(app):
    with app.app_context():
        building = building_with_sockets(4, [1, 3])
        assert building_floors_errors(building.id, 2) == {
            "floors": "A socket is on floor 3; the building cannot have fewer floors."
        }
        assert building_floors_errors(building.id, 3) == {}
        assert building_floors_errors(building.id, 10) == {}


def test_a_building_without_sockets_may_have_any_floors(app):
    with app.app_context():
        building = building_with_sockets(4, [])
        assert building_floors_errors(building.id, 1) == {}


def test_a_socket_is_on_a_floor_of_its_building(app):
    with app.app_context():
        building = building_with_sockets(4, [])
        assert socket_floor_errors(building, 5) == {"floor": "Building 12 has 4 floors."}
        assert socket_floor_errors(building, 4) == {}
        assert socket_floor_errors(building, 0) == {}
