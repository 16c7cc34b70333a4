"""What only one contact may hold: client number, variable symbols, portal login, socket (no HTTP)."""

from __future__ import annotations

from domain.uniqueness import uniqueness_errors
from models import utcnow


def test_values_nobody_holds_give_no_errors(app, make_contact, make_socket):
    make_contact(client_number=1001, name="Novák Jan", extra_vs_1=7001, portal_login="jan")
    socket = make_socket().socket
    with app.app_context():
        assert (
            uniqueness_errors(
                {
                    "client_number": 1002,
                    "extra_vs_1": 7002,
                    "extra_vs_2": 7003,
                    "extra_vs_3": 7004,
                    "portal_login": "eva",
                    "socket_id": socket,
                },
                None,
            )
            == {}
        )
        assert uniqueness_errors({}, None) == {}
        assert (
            uniqueness_errors({"client_number": None, "extra_vs_1": None, "portal_login": "", "socket_id": None}, None)
            == {}
        )


def test_a_client_number_another_contact_holds_names_it_and_the_next_free_number(app, make_contact):
    make_contact(client_number=1001, name="Novák Jan")
    make_contact(client_number=1002, name="Dvořák Petr")
    with app.app_context():
        assert uniqueness_errors({"client_number": 1001}, None) == {
            "client_number": "Client number 1001 belongs to Novák Jan. The next free number is 1003."
        }


def test_a_client_number_a_deleted_contact_holds_stays_taken(app, make_contact):
    make_contact(client_number=1001, name="Novák Jan", deleted_at=utcnow())
    with app.app_context():
        assert uniqueness_errors({"client_number": 1001}, None) == {
            "client_number": "Client number 1001 belongs to Novák Jan (deleted). The next free number is 1002."
        }


def test_a_client_number_another_contact_pays_with_as_an_extra_symbol_is_taken(app, make_contact):
    make_contact(client_number=1001, name="Novák Jan", extra_vs_2=2000)
    with app.app_context():
        assert uniqueness_errors({"client_number": 2000}, None) == {
            "client_number": "Contact 1001 Novák Jan already pays with this number as an extra variable symbol. "
            "The next free number is 2001."
        }


def test_an_extra_symbol_repeating_the_contacts_own_number_or_symbol_is_refused(app):
    with app.app_context():
        assert uniqueness_errors({"client_number": 1500, "extra_vs_1": 1500}, None) == {
            "extra_vs_1": "This symbol is already this contact's client number or symbol."
        }
        assert uniqueness_errors({"client_number": 1500, "extra_vs_1": 7, "extra_vs_2": 8, "extra_vs_3": 7}, None) == {
            "extra_vs_3": "This symbol is already this contact's client number or symbol."
        }
        assert uniqueness_errors({"extra_vs_1": 7, "extra_vs_2": 7}, None) == {
            "extra_vs_2": "This symbol is already this contact's client number or symbol."
        }


def test_an_extra_symbol_another_contact_pays_with_is_refused(app, make_contact):
    make_contact(client_number=1001, name="Novák Jan", extra_vs_1=777)
    make_contact(client_number=1002, name="Dvořák Petr", deleted_at=utcnow(), extra_vs_3=888)
    with app.app_context():
        assert uniqueness_errors(
            {"client_number": 1500, "extra_vs_1": 1001, "extra_vs_2": 777, "extra_vs_3": 888}, None
        ) == {
            "extra_vs_1": "Contact 1001 Novák Jan already pays with this symbol.",
            "extra_vs_2": "Contact 1001 Novák Jan already pays with this symbol.",
            # A deleted contact's payments still point at it.
            "extra_vs_3": "Contact 1002 Dvořák Petr already pays with this symbol.",
        }


def test_a_typed_portal_login_another_contact_uses_is_refused(app, make_contact):
    make_contact(client_number=1001, name="Novák Jan", portal_login="jan")
    with app.app_context():
        assert uniqueness_errors({"client_number": 1500, "portal_login": "jan"}, None) == {
            "portal_login": "This login is used by 1001 Novák Jan."
        }
        assert uniqueness_errors({"client_number": 1500, "portal_login": "jana"}, None) == {}


def test_the_default_login_is_refused_when_another_contact_logs_in_with_the_client_number(app, make_contact):
    make_contact(client_number=1001, name="Novák Jan", portal_login="2001")
    with app.app_context():
        message = "The client number is the portal login of 1001 Novák Jan; type another login."
        assert uniqueness_errors({"client_number": 2001, "portal_login": ""}, None) == {"portal_login": message}
        assert uniqueness_errors({"client_number": 2001}, None) == {"portal_login": message}
        # A login of its own typed instead: the client number is free.
        assert uniqueness_errors({"client_number": 2001, "portal_login": "petr"}, None) == {}


def test_a_socket_another_contact_holds_is_refused(app, make_contact, make_socket):
    socket = make_socket().socket
    make_contact(client_number=1001, name="Novák Jan", socket_id=socket)
    with app.app_context():
        assert uniqueness_errors({"client_number": 1500, "socket_id": socket}, None) == {
            "socket_id": "This socket is used by 1001 Novák Jan."
        }


def test_a_socket_whose_holder_is_deleted_is_free(app, make_contact, make_socket):
    socket = make_socket().socket
    make_contact(client_number=1001, name="Novák Jan", socket_id=socket, deleted_at=utcnow())
    with app.app_context():
        assert uniqueness_errors({"client_number": 1500, "socket_id": socket}, None) == {}


def test_a_contact_does_not_clash_with_itself(app, make_contact, make_socket):
    socket = make_socket().socket
    own = {
        "client_number": 1001,
        "extra_vs_1": 7001,
        "extra_vs_2": 7002,
        "extra_vs_3": 7003,
        "portal_login": "jan",
        "socket_id": socket,
    }
    contact = make_contact(name="Novák Jan", **own)
    with app.app_context():
        assert uniqueness_errors(own, contact) == {}
        # Anybody else would clash on every field.
        assert set(uniqueness_errors(own, None)) == {
            "client_number",
            "extra_vs_1",
            "extra_vs_2",
            "extra_vs_3",
            "portal_login",
            "socket_id",
        }


def test_a_contact_logging_in_with_its_client_number_keeps_the_default_login(app, make_contact):
    contact = make_contact(client_number=1001, name="Novák Jan", portal_login="1001")
    with app.app_context():
        assert uniqueness_errors({"client_number": 1001, "portal_login": None}, contact) == {}
        assert uniqueness_errors({"client_number": 1001, "portal_login": "1001"}, contact) == {}


def test_excluding_one_contact_still_finds_the_others(app, make_contact):
    me = make_contact(client_number=1001, name="Novák Jan", portal_login="jan")
    make_contact(client_number=1002, name="Dvořák Petr", portal_login="petr")
    with app.app_context():
        assert uniqueness_errors({"client_number": 1002, "portal_login": "petr"}, me) == {
            "client_number": "Client number 1002 belongs to Dvořák Petr. The next free number is 1003.",
            "portal_login": "This login is used by 1002 Dvořák Petr.",
        }
