"""Buildings over HTTP: a building keeps a floor for each of its sockets."""

from __future__ import annotations

from models import Building, db
from tests.helpers import csrf_token, field_errors, input_value


def post_building(client, building_id: int, **fields):
    return client.post(
        f"/admin/building/edit/?id={building_id}", data={"csrf_token": csrf_token(client, "/admin/"), **fields}
    )


def test_fewer_floors_than_the_highest_socket_is_refused_next_to_the_field_keeping_the_typed_data(
    app, admin, make_socket
):
    chain = make_socket("R1-3", floor=3, floors=4)
    typed = {"street": chain.street, "number": "12A", "name": "Panelák", "floors": "2", "note": "Typed note"}
    response = post_building(admin, chain.building, **typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_errors(html, "floors") == ["A socket is on floor 3; the building cannot have fewer floors."]
    assert field_errors(html, "number") == []
    assert (
        input_value(html, "number"),
        input_value(html, "name"),
        input_value(html, "floors"),
        input_value(html, "note"),
    ) == ("12A", "Panelák", "2", "Typed note")
    with app.app_context():
        building = db.session.get(Building, chain.building)
        assert (building.number, building.floors) == ("12", 4)


def test_as_many_floors_as_the_highest_socket_are_saved(app, admin, make_socket):
    chain = make_socket("R1-3", floor=3, floors=4)
    response = post_building(admin, chain.building, street=chain.street, number="12", floors="3")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Building, chain.building).floors == 3
