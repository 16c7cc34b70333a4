"""The CATV network: admin lists, validation, bulk sockets, the socket page and the contact form's socket picker."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import sqlalchemy as sa

from models import Building, ChangeLog, City, Contact, Socket, SocketAssignment, Street, Switchboard, db
from tests.helpers import StatementCounter, csrf_token, field_errors, input_value


@pytest.fixture
def network(make_socket) -> dict[str, int]:
    """Praha › Hlavní › 12 (4 floors) › R1, R2 with sockets R1-1, R1-2, R2-1; and Brno › Masarykova › 7 › B1 › B1-1."""
    r1_1 = make_socket("R1-1")
    r1_2 = make_socket("R1-2", floor=2)
    r2_1 = make_socket("R2-1", switchboard="R2", position=2)
    b1_1 = make_socket("B1-1", city="Brno", street="Masarykova", building="7", floors=2, switchboard="B1")
    return {
        "city": r1_1.city,
        "street": r1_1.street,
        "building": r1_1.building,
        "r1": r1_1.switchboard,
        "r2": r2_1.switchboard,
        "socket": r1_1.socket,
        "socket2": r1_2.socket,
        "socket_r2": r2_1.socket,
        "brno": b1_1.city,
        "brno_street": b1_1.street,
        "brno_building": b1_1.building,
        "b1": b1_1.switchboard,
        "brno_socket": b1_1.socket,
    }


def lookup(client, name: str, parent=None, query: str = "", **args) -> list[list]:
    params = {"name": name, "query": query, **args}
    if parent is not None:
        params["parent"] = parent
    response = client.get("/admin/contact/ajax/lookup/", query_string=params)
    assert response.status_code == 200
    return response.get_json()


def post_admin_form(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client, "/admin/"), **data})


def assignments(app, contact_id: int) -> list[SocketAssignment]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(SocketAssignment).where(SocketAssignment.contact_id == contact_id).order_by(SocketAssignment.id)
        ).all()
        for row in rows:
            row.assigned_by_name = row.assigned_by.username if row.assigned_by else None
            row.released_by_name = row.released_by.username if row.released_by else None
        db.session.expunge_all()
        return rows


def contact_id_by_number(app, number: int = 2001) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Contact.id).where(Contact.client_number == number))


def cells(html: str) -> list[str]:
    """The text of every table cell of a list page."""
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def children_url(html: str, row_text: str, label: str) -> str:
    """The "<label> ›" link in the list row that shows `row_text`."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if row_text in cells(row):
            return unescape(re.search(rf'<a href="([^"]+)">{label} ›</a>', row).group(1))
    raise AssertionError(f"no row {row_text}")


# --- Rule A4: a socket serves one active client ------------------------------------------------


def test_socket_held_by_another_contact_is_refused_naming_it(app, post_contact, form_data, make_contact, network):
    make_contact(client_number=1500, name="Dvořák Petr", socket_id=network["socket"])
    html = post_contact(
        form_data(name="Nová Klientka", street="Polní 3", socket=str(network["socket"]), catv_city=str(network["city"]))
    ).get_data(as_text=True)
    [error] = field_errors(html, "socket")
    assert "1500 Dvořák Petr" in error
    assert input_value(html, "name") == "Nová Klientka"
    assert input_value(html, "street") == "Polní 3"
    # The typed socket and its chain come back, so the clerk sees what was chosen.
    assert input_value(html, "socket") == str(network["socket"])
    assert input_value(html, "catv_switchboard") == str(network["r1"])
    assert input_value(html, "catv_city") == str(network["city"])
    assert contact_id_by_number(app) is None


def test_socket_of_a_deleted_contact_is_free(app, post_contact, form_data, make_contact, network):
    from models import utcnow

    make_contact(client_number=1500, socket_id=network["socket"], deleted_at=utcnow())
    assert post_contact(form_data(socket=str(network["socket"]))).status_code == 302


def test_own_socket_is_not_a_clash_on_edit(app, post_contact, form_data, network):
    post_contact(form_data(socket=str(network["socket"])))
    contact_id = contact_id_by_number(app)
    response = post_contact(form_data(socket=str(network["socket"]), name="Novák Jan ml."), id=contact_id)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_socket_taken_in_a_race_is_the_same_field_error(
    app, post_contact, form_data, make_contact, network, monkeypatch
):
    import domain.uniqueness

    make_contact(client_number=1500, name="Rychlý Karel", socket_id=network["socket"])
    real = domain.uniqueness.socket_holder
    calls = []

    def blind_first(*args):
        # The check before saving misses the holder, as when another clerk saves a moment later.
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(domain.uniqueness, "socket_holder", blind_first)
    response = post_contact(form_data(name="Pomalá Jana", socket=str(network["socket"])))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1500 Rychlý Karel" in field_errors(html, "socket")[0]
    assert "The socket was taken meanwhile" in html
    assert input_value(html, "name") == "Pomalá Jana"
    assert contact_id_by_number(app) is None


def test_garbled_socket_ids_are_no_server_error(app, post_contact, form_data, network):
    response = post_contact(form_data(socket="abc", catv_city="1; drop", catv_street="-1", catv_building=str(10**20)))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id_by_number(app)).socket_id is None


# --- Socket history ----------------------------------------------------------------------------


def test_socket_history_follows_assign_change_free_and_delete(app, client, post_contact, form_data, network):
    post_contact(form_data(socket=str(network["socket"])))
    contact_id = contact_id_by_number(app)
    [first] = assignments(app, contact_id)
    assert (first.socket_id, first.released_at, first.assigned_by_name) == (network["socket"], None, "staff")

    assert post_contact(form_data(socket=str(network["socket2"])), id=contact_id).status_code == 302
    first, second = assignments(app, contact_id)
    assert first.released_at is not None and first.released_by_name == "staff"
    assert (second.socket_id, second.released_at) == (network["socket2"], None)

    # Saving without touching the socket writes no history.
    assert post_contact(form_data(socket=str(network["socket2"]), name="Novák J."), id=contact_id).status_code == 302
    assert len(assignments(app, contact_id)) == 2

    assert post_contact(form_data(socket=""), id=contact_id).status_code == 302
    assert all(a.released_at is not None for a in assignments(app, contact_id))

    assert post_contact(form_data(socket=str(network["socket"])), id=contact_id).status_code == 302
    response = client.post(
        "/admin/contact/delete/", data={"csrf_token": csrf_token(client, "/admin/"), "id": contact_id}
    )
    assert response.status_code == 302
    periods = assignments(app, contact_id)
    assert len(periods) == 3 and all(a.released_at is not None for a in periods)
    assert periods[-1].released_by_name == "staff"
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert contact.is_deleted and contact.socket_id is None
    # The freed socket can be given to the next client.
    assert post_contact(form_data(client_number="2002", socket=str(network["socket"]))).status_code == 302


def test_contact_history_records_socket_changes(app, post_contact, form_data, network):
    post_contact(form_data(socket=str(network["socket"])))
    contact_id = contact_id_by_number(app)
    post_contact(form_data(socket=str(network["socket2"])), id=contact_id)
    post_contact(form_data(socket=""), id=contact_id)
    with app.app_context():
        entries = db.session.scalars(
            sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id).order_by(ChangeLog.id)
        ).all()
        assert [e.changes.get("socket_id") for e in entries] == [
            {"old": None, "new": network["socket"]},
            {"old": network["socket"], "new": network["socket2"]},
            {"old": network["socket2"], "new": None},
        ]


# --- The cascading picker ----------------------------------------------------------------------


def test_each_lookup_offers_only_children_of_its_parent(staff, network):
    assert lookup(staff, "catv_city") == [[network["brno"], "Brno"], [network["city"], "Praha"]]
    assert lookup(staff, "catv_city", query="pra") == [[network["city"], "Praha"]]
    assert lookup(staff, "catv_street", network["city"]) == [[network["street"], "Hlavní"]]
    assert lookup(staff, "catv_street", network["brno"]) == [[network["brno_street"], "Masarykova"]]
    assert lookup(staff, "catv_building", network["street"]) == [[network["building"], "12"]]
    assert lookup(staff, "catv_switchboard", network["building"]) == [[network["r1"], "R1"], [network["r2"], "R2"]]
    assert lookup(staff, "socket", network["r1"]) == [[network["socket"], "R1-1"], [network["socket2"], "R1-2"]]
    assert lookup(staff, "socket", network["r1"], query="-2") == [[network["socket2"], "R1-2"]]
    assert lookup(staff, "socket", network["b1"]) == [[network["brno_socket"], "B1-1"]]


@pytest.mark.parametrize("name", ["catv_street", "catv_building", "catv_switchboard", "socket"])
def test_child_lookup_without_a_usable_parent_is_empty(staff, network, name):
    assert lookup(staff, name) == []
    for parent in ("abc", "", 999_999, 10**20, -1):
        assert lookup(staff, name, parent=parent) == []


def test_lookups_return_at_most_ten_rows(app, staff, network):
    with app.app_context():
        db.session.add_all(Socket(switchboard_id=network["r2"], floor=1, label=f"X{n:02d}") for n in range(15))
        db.session.commit()
    assert len(lookup(staff, "socket", network["r2"], limit=1000)) == 10
    assert len(lookup(staff, "socket", network["r2"], offset=10, limit=10)) == 6
    assert len(lookup(staff, "socket", network["r2"], offset=-5, limit=-1)) == 1


def test_socket_lookup_lists_free_sockets_first_and_names_the_holder(app, staff, make_contact, network):
    holder = make_contact(client_number=1500, name="Dvořák Petr", socket_id=network["socket"])
    # A taken socket comes last, as [id, text, true]: the picker shows it but does not let it be chosen.
    assert lookup(staff, "socket", network["r1"]) == [
        [network["socket2"], "R1-2"],
        [network["socket"], "R1-1 — taken by 1500 Dvořák Petr", True],
    ]
    # On the holder's own edit form its socket is free to it, in its place.
    assert lookup(staff, "socket", network["r1"], contact=holder) == [
        [network["socket"], "R1-1"],
        [network["socket2"], "R1-2"],
    ]
    with StatementCounter(app) as counter:
        lookup(staff, "socket", network["r1"])
    queries = counter.count
    with app.app_context():
        more = [Socket(switchboard_id=network["r1"], floor=1, label=f"X{n}") for n in range(8)]
        db.session.add_all(more)
        db.session.commit()
        more_ids = [socket.id for socket in more]
    for n, socket_id in enumerate(more_ids):
        make_contact(client_number=1600 + n, socket_id=socket_id)
    with StatementCounter(app) as counter:
        assert len(lookup(staff, "socket", network["r1"])) == 10
    assert counter.count == queries  # no query per socket or holder


def test_picker_levels_leading_to_no_socket_are_not_offered(app, staff, network):
    with app.app_context():
        empty_city = City(name="Kolín")
        bare_street = Street(city_id=network["city"], name="Krátká")
        bare_building = Building(street_id=network["street"], number="14", floors=1)
        bare_board = Switchboard(building_id=network["building"], name="R3", position=3)
        db.session.add_all([empty_city, bare_street, bare_building, bare_board])
        db.session.commit()
    assert [text for _, text in lookup(staff, "catv_city")] == ["Brno", "Praha"]
    assert [text for _, text in lookup(staff, "catv_street", network["city"])] == ["Hlavní"]
    assert [text for _, text in lookup(staff, "catv_building", network["street"])] == ["12"]
    assert [text for _, text in lookup(staff, "catv_switchboard", network["building"])] == ["R1", "R2"]


def test_lookups_need_a_login(client, network):
    response = client.get("/admin/contact/ajax/lookup/?name=catv_city&query=")
    assert response.status_code == 302


def test_children_name_their_parents_in_the_form(staff):
    html = staff.get("/admin/contact/new/").get_data(as_text=True)
    parents = dict(re.findall(r'data-parent="(\w+)"[^>]*\bid="(\w+)"', html))
    assert parents == {
        "catv_city": "catv_street",
        "catv_street": "catv_building",
        "catv_building": "catv_switchboard",
        "catv_switchboard": "socket",
    }
    assert "/static/admin/contact_form.js" in html and "/static/admin/socket_picker.js" in html
    assert len(re.findall(r"data-socket-picker", html)) == 5


def test_edit_form_is_prefilled_with_the_socket_chain(app, staff, make_contact, network):
    contact_id = make_contact(socket_id=network["socket"])
    html = staff.get(f"/admin/contact/edit/?id={contact_id}").get_data(as_text=True)
    expected = {
        "catv_city": (network["city"], "Praha"),
        "catv_street": (network["street"], "Hlavní"),
        "catv_building": (network["building"], "12"),
        "catv_switchboard": (network["r1"], "R1"),
        "socket": (network["socket"], "R1-1"),
    }
    for name, (row_id, text) in expected.items():
        tag = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', html).group(0)
        assert input_value(html, name) == str(row_id)
        assert json.loads(unescape(re.search(r'data-json="([^"]*)"', tag).group(1))) == [row_id, text]


def test_typed_chain_without_socket_survives_a_validation_error(app, post_contact, form_data, network):
    html = post_contact(
        form_data(postcode="1", catv_city=str(network["city"]), catv_street=str(network["street"]))
    ).get_data(as_text=True)
    assert field_errors(html, "postcode")
    assert input_value(html, "catv_city") == str(network["city"])
    assert input_value(html, "catv_street") == str(network["street"])
    assert input_value(html, "catv_building") == ""


def test_edit_after_validation_error_keeps_the_newly_typed_socket(app, post_contact, form_data, make_contact, network):
    contact_id = make_contact(client_number=2001, socket_id=network["socket"])
    html = post_contact(form_data(postcode="1", socket=str(network["brno_socket"])), id=contact_id).get_data(
        as_text=True
    )
    assert field_errors(html, "postcode")
    assert input_value(html, "socket") == str(network["brno_socket"])
    assert input_value(html, "catv_city") == str(network["brno"])
    with app.app_context():
        assert db.session.get(Contact, contact_id).socket_id == network["socket"]


# --- Network administration --------------------------------------------------------------------


def test_socket_floor_above_the_buildings_floors_is_refused(app, admin, network):
    response = post_admin_form(
        admin, "/admin/socket/new/", {"switchboard": network["r1"], "floor": "5", "label": "R1-5"}
    )
    [error] = field_errors(response.get_data(as_text=True), "floor")
    assert "has 4 floors" in error
    response = post_admin_form(
        admin, "/admin/socket/new/", {"switchboard": network["r1"], "floor": "4", "label": "R1-4"}
    )
    assert response.status_code == 302


def test_socket_label_is_unique_per_switchboard(app, admin, network):
    html = post_admin_form(
        admin, "/admin/socket/new/", {"switchboard": network["r1"], "floor": "1", "label": "R1-1"}
    ).get_data(as_text=True)
    assert field_errors(html, "label") == ["A record with this value already exists here."]
    response = post_admin_form(
        admin, "/admin/socket/new/", {"switchboard": network["r2"], "floor": "1", "label": "R1-1"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "position,error", [("9", "between 1 and 8"), ("0", "between 1 and 8"), ("2", "already exists")]
)
def test_switchboard_position_is_1_to_8_and_unique_per_building(app, admin, network, position, error):
    html = post_admin_form(
        admin, "/admin/switchboard/new/", {"building": network["building"], "name": "R9", "position": position}
    ).get_data(as_text=True)
    assert error in " ".join(field_errors(html, "position"))


def test_building_keeps_enough_floors_for_its_sockets(app, admin, network):
    html = post_admin_form(
        admin,
        f"/admin/building/edit/?id={network['building']}",
        {"street": network["street"], "number": "12", "floors": "1"},
    ).get_data(as_text=True)
    assert "floor 2" in field_errors(html, "floors")[0]


def test_staff_reads_the_network_but_cannot_change_it(staff, network):
    assert staff.get("/admin/socket/").status_code == 200
    assert staff.get(f"/admin/socket/details/?id={network['socket']}").status_code == 200
    assert staff.get("/admin/socket/new/").status_code == 403
    assert staff.get(f"/admin/building/sockets/?id={network['building']}").status_code == 403


def test_lists_link_to_children_and_filter_by_parent(app, admin, network):
    html = admin.get("/admin/city/").get_data(as_text=True)
    html = admin.get(children_url(html, "Praha", "Streets")).get_data(as_text=True)
    assert "Hlavní" in cells(html) and "Masarykova" not in cells(html)
    assert re.search(r"breadcrumb-item active[^>]*>Praha<", html)

    html = admin.get(children_url(html, "Hlavní", "Buildings")).get_data(as_text=True)
    assert cells(html)[2:5] == ["Praha", "Hlavní", "12"]
    html = admin.get(children_url(html, "12", "Switchboards")).get_data(as_text=True)
    assert "R1" in cells(html) and "R2" in cells(html) and "B1" not in cells(html)
    assert re.search(r'<a href="[^"]+">Hlavní</a>', html)

    html = admin.get(children_url(html, "R1", "Sockets")).get_data(as_text=True)
    assert "R1-1" in cells(html) and "R1-2" in cells(html) and "R2-1" not in cells(html)
    assert re.search(r"breadcrumb-item active[^>]*>R1<", html)


def test_lists_show_parents_and_holders_without_a_query_per_row(app, admin, make_contact, make_socket, network):
    make_contact(client_number=1500, name="Dvořák Petr", socket_id=network["socket"])
    urls = ["/admin/street/", "/admin/building/", "/admin/switchboard/", "/admin/socket/"]
    counts = {}
    for extra in (0, 20):
        for n in range(extra):
            make_socket(f"S{n}", street=f"Ulice {n}", building="1", floors=2)
        for url in urls:
            with StatementCounter(app) as statements:
                assert admin.get(url).status_code == 200
            counts[url, extra] = statements.count
    assert all(counts[url, 0] == counts[url, 20] for url in urls), counts
    html = admin.get("/admin/socket/?search=R1-1").get_data(as_text=True)
    assert cells(html)[2:] == ["12", "R1", "1", "R1-1", "1500 Dvořák Petr"]


def test_building_list_searches_and_filters_by_street_name(admin, network):
    html = admin.get("/admin/building/?flt1_1=masaryk").get_data(as_text=True)
    assert "7" in cells(html) and "12" not in cells(html)
    html = admin.get("/admin/building/?search=12").get_data(as_text=True)
    assert "12" in cells(html) and "7" not in cells(html)
    html = admin.get("/admin/building/?search=brno").get_data(as_text=True)
    assert "7" in cells(html) and "12" not in cells(html)


# --- Bulk sockets ------------------------------------------------------------------------------


def socket_labels(app, building_id: int) -> list[str]:
    with app.app_context():
        return sorted(
            db.session.scalars(
                sa.select(Socket.label).join(Socket.switchboard).where(Switchboard.building_id == building_id)
            )
        )


def test_bulk_creates_one_socket_per_floor_and_switchboard_skipping_existing(app, admin, network):
    url = f"/admin/building/sockets/?id={network['building']}"
    html = admin.get(url).get_data(as_text=True)
    assert html.count('type="checkbox"') == 2 and html.count("checked") == 2
    response = admin.post(
        url,
        data={
            "csrf_token": csrf_token(admin, url),
            "switchboards": [network["r1"], network["r2"]],
            "first_floor": "1",
            "pattern": "{switchboard}-{floor}",
        },
        follow_redirects=True,
    )
    assert "5 sockets created, 3 skipped because they already exist." in response.get_data(as_text=True)
    assert socket_labels(app, network["building"]) == ["R1-1", "R1-2", "R1-3", "R1-4", "R2-1", "R2-2", "R2-3", "R2-4"]
    with app.app_context():
        assert db.session.scalar(sa.select(Socket.floor).where(Socket.label == "R2-4")) == 4


def test_bulk_for_chosen_switchboards_from_the_ground_floor(app, admin, network):
    url = f"/admin/building/sockets/?id={network['building']}"
    admin.post(
        url,
        data={
            "csrf_token": csrf_token(admin, url),
            "switchboards": [network["r2"]],
            "first_floor": "0",
            "pattern": "P{position}.{floor}",
        },
    )
    assert socket_labels(app, network["building"]) == ["P2.0", "P2.1", "P2.2", "P2.3", "R1-1", "R1-2", "R2-1"]


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"pattern": "{switchboard}"}, "pattern", "needs {floor}"),
        ({"pattern": "a-very-long-label-{switchboard}-{floor}"}, "pattern", "20 characters"),
        ({"switchboards": []}, "switchboards", "at least one switchboard"),
    ],
)
def test_bulk_form_errors_create_nothing(app, admin, network, data, field, message):
    url = f"/admin/building/sockets/?id={network['building']}"
    values = {
        "csrf_token": csrf_token(admin, url),
        "switchboards": [network["r1"]],
        "first_floor": "1",
        "pattern": "{switchboard}-{floor}",
        **data,
    }
    html = admin.post(url, data=values).get_data(as_text=True)
    assert message in html
    assert len(socket_labels(app, network["building"])) == 3


def test_bulk_is_for_administrators_with_a_csrf_token(app, staff, admin, network):
    url = f"/admin/building/sockets/?id={network['building']}"
    data = {"switchboards": [network["r1"]], "first_floor": "1", "pattern": "{switchboard}-{floor}"}
    assert staff.get(url).status_code == 403
    assert staff.post(url, data={"csrf_token": csrf_token(staff, "/admin/"), **data}).status_code == 403
    assert admin.post(url, data=data).status_code == 400
    assert len(socket_labels(app, network["building"])) == 3


def test_building_row_and_page_offer_bulk_creation_to_administrators_only(staff, admin, network):
    url = f"/admin/building/sockets/?id={network['building']}"
    details = f"/admin/building/details/?id={network['building']}"
    assert url not in staff.get("/admin/building/").get_data(as_text=True)
    assert url not in staff.get(details).get_data(as_text=True)
    assert url in admin.get("/admin/building/").get_data(as_text=True)
    assert url in admin.get(details).get_data(as_text=True)


def test_bulk_without_a_building_goes_to_the_building_list(admin, network):
    response = admin.get("/admin/building/sockets/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/building/")
    assert admin.get("/admin/building/sockets/?id=999999").status_code == 404


# --- The socket's page -------------------------------------------------------------------------


def test_socket_page_shows_chain_current_client_and_history(app, client, post_contact, form_data, network):
    post_contact(form_data(client_number="2001", name="První Karel", socket=str(network["socket"])))
    first = contact_id_by_number(app, 2001)
    post_contact(form_data(name="První Karel", socket=""), id=first)
    post_contact(
        form_data(client_number="2002", name="Druhá Jana", email="jana@example.cz", socket=str(network["socket"]))
    )
    second = contact_id_by_number(app, 2002)

    html = client.get(f"/admin/socket/details/?id={network['socket']}").get_data(as_text=True)
    chain = re.search(r'id="socket-chain">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</a>", chain) == ["Praha", "Hlavní", "12", "R1"]
    holder = re.search(r'id="socket-holder">(.*?)</p>', html, re.S).group(1)
    assert f'href="/admin/contact/edit/?id={second}"' in holder and "2002 Druhá Jana" in holder
    history = re.search(r'id="socket-history">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", history, re.S)[1:]
    assert len(rows) == 2
    assert "2002 Druhá Jana" in rows[0] and "now" in rows[0] and "Test staff" in rows[0]
    assert "2001 První Karel" in rows[1] and f"/admin/contact/edit/?id={first}" in rows[1]
    assert rows[1].count("Test staff") == 2


def test_free_socket_page_says_so(staff, network):
    html = staff.get(f"/admin/socket/details/?id={network['socket_r2']}").get_data(as_text=True)
    assert "Free" in re.search(r'id="socket-holder">(.*?)</p>', html, re.S).group(1)
    assert "No client has held this socket yet." in html


def test_socket_export_is_complete_and_plain(admin, make_contact, network):
    make_contact(client_number=1500, name="Dvořák Petr", socket_id=network["socket"])
    csv = admin.get("/admin/socket/export/csv/").get_data(as_text=True)
    assert csv.splitlines() == [
        "Building,Switchboard,Floor,Label",
        "7,B1,1,B1-1",
        "12,R1,1,R1-1",
        "12,R1,2,R1-2",
        "12,R2,1,R2-1",
    ]
