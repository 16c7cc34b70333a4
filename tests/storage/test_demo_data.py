"""The `flask demo-data` command: valid, reproducible Czech data that a second run adds to safely."""

from __future__ import annotations

import re
from collections import Counter

import phonenumbers
import sqlalchemy as sa
from stdnum import iban
from stdnum.cz import bankaccount, dic

from domain.settings import ensure_reference_data, get_settings
from models import (
    City,
    ClientGroup,
    ClientStatus,
    Contact,
    ContactPerson,
    InvoiceGroup,
    Location,
    PaymentType,
    Service,
    ServiceType,
    Socket,
    SocketAssignment,
    db,
)
from storage.change_counters import read_change_counters
from storage.search_index import normalise_search_text
from tests.helpers import make_app

POSTCODE = re.compile(r"\d{3} \d{2}")
E164_CZ = re.compile(r"\+420\d{9}")
NAMED_ROWS = (ClientGroup, ClientStatus, Location, ServiceType, InvoiceGroup, City)


def load(runner, contacts: int = 300, seed: int = 7) -> str:
    result = runner.invoke(args=["demo-data", "--contacts", str(contacts), "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    return result.output


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def assert_company_ids(ico: str, vat_id: str) -> None:
    # python-stdnum has no IČO module; its rule for 8-digit DIČ of legal entities is IČO's mod 11.
    assert len(ico) == 8 and dic.validate(ico) == ico
    assert vat_id == "CZ" + ico and dic.validate(vat_id) == ico


def assert_phone(number: str) -> None:
    assert E164_CZ.fullmatch(number), number
    assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number


def assert_bank_details(account: str, iban_: str, bic: str) -> None:
    assert iban.validate(iban_) == iban_
    assert bankaccount.validate(account) and bankaccount.to_bic(account) == bic
    # The IBAN carries the same bank code, prefix and number as the domestic form.
    prefix, _, rest = bankaccount.compact(account).partition("-")
    number, _, bank = rest.partition("/")
    assert iban_[4:] == bank + prefix + number


def test_contacts_are_valid_czech_data(app, runner):
    assert load(runner).startswith("Loaded 300 contacts")
    with app.app_context():
        contacts = db.session.scalars(sa.select(Contact).order_by(Contact.id)).all()
        assert [c.client_number for c in contacts] == list(range(10001, 10301))
        assert get_settings().last_client_number == 10300
        for contact in contacts:
            assert contact.search_text == normalise_search_text(*contact.searchable_values())
            assert POSTCODE.fullmatch(contact.postcode), contact.postcode
            for number in (contact.phone, contact.mobile, contact.fax):
                if number:
                    assert_phone(number)
            if contact.iban:
                assert_bank_details(contact.bank_account, contact.iban, contact.bic)
            if contact.email:
                assert contact.email.isascii() and "@" in contact.email
            assert contact.is_marked == bool(contact.marked_reason)
            assert contact.version == 1 and contact.created_at <= contact.updated_at
            # Left to the columns' Python-side defaults, which Core inserts apply too.
            assert contact.portal_enabled and contact.deleted_at is None
        assert [c.created_at for c in contacts] == sorted(c.created_at for c in contacts)

        corporate = [c for c in contacts if c.is_corporate]
        assert 20 <= len(corporate) <= 70
        for contact in corporate:
            assert_company_ids(contact.company_id, contact.vat_id)
            assert contact.company_name == contact.name and contact.contact_person
        assert any(c.is_corporate and c.name.endswith("s.r.o.") for c in contacts)
        assert any(re.search("[ěščřžýáíéůú]", c.name) for c in contacts if not c.is_corporate)
        assert 3 <= sum(c.is_marked for c in contacts) <= 30
        assert all(
            any(getattr(c, field) for c in contacts)
            for field in ("client_group_id", "client_status_id", "location_id", "birth_date", "iban")
        )

        default = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default))
        assert Counter(c.payment_type_id for c in contacts)[default] > 200
        persons = db.session.scalars(sa.select(ContactPerson)).all()
        assert persons
        for person in persons:
            assert_phone(person.phone)


def test_code_lists_network_and_services(app, runner):
    load(runner)
    with app.app_context():
        service_types = set(db.session.scalars(sa.select(ServiceType.name)))
        assert {"Internet", "Cable TV - CATV", "IPTV", "VoIP"} <= service_types
        assert count(ClientGroup) >= 3 and count(Location) >= 3
        colours = db.session.scalars(sa.select(ClientStatus.colour)).all()
        assert colours and all(re.fullmatch("#[0-9a-f]{6}", colour) for colour in colours)
        groups = db.session.scalars(sa.select(InvoiceGroup)).all()
        assert 2 <= len(groups) <= 3
        for group in groups:
            assert_company_ids(group.company_id, group.vat_id)
            assert_bank_details(group.bank_account, group.iban, group.bic)
            assert POSTCODE.fullmatch(group.postcode) and group.series_prefix and group.next_number >= 1

        # 300 contacts get the smallest network, 60 sockets; four fifths of them are held.
        assert count(Socket) == 60 and db.session.scalar(sa.select(City.id).filter_by(name="Praha"))
        holders = db.session.scalars(sa.select(Contact).where(Contact.socket_id.is_not(None))).all()
        assert len(holders) == len({c.socket_id for c in holders}) == 48
        assignments = sa.select(SocketAssignment.contact_id, SocketAssignment.socket_id)
        assert set(db.session.execute(assignments)) == {(c.id, c.socket_id) for c in holders}
        for contact in holders:
            building = contact.socket.switchboard.building
            assert contact.street == f"{building.street.name} {building.number}"
            assert contact.city == building.street.city.name
            assert 1 <= contact.socket.switchboard.position <= 8
            assert 0 <= contact.socket.floor < building.floors
            assert "Cable TV - CATV" in {s.service_type.name for s in contact.services}

        services = db.session.scalars(sa.select(Service)).all()
        assert {s.state for s in services} == {"active", "suspended", "ended"}
        assert all(s.end_date is None or s.end_date >= s.start_date for s in services)
        assert all((s.state == "ended") == (s.end_date is not None) for s in services)


def snapshot(url: str, seed: int) -> dict:
    """Load 300 contacts with `seed` into the empty database at `url`; return what identifies the data."""
    app = make_app(url)
    with app.app_context():
        ensure_reference_data()
    load(app.test_cli_runner(), seed=seed)
    queries = {
        "contacts": sa.select(
            Contact.client_number,
            Contact.name,
            Contact.search_text,
            Contact.iban,
            Contact.is_marked,
            Contact.socket_id,
            Contact.invoice_group_id,
        ),
        "groups": sa.select(InvoiceGroup.name, InvoiceGroup.company_id, InvoiceGroup.iban),
        "sockets": sa.select(Socket.id, Socket.label, Socket.floor, Socket.switchboard_id),
        "services": sa.select(Service.contact_id, Service.tariff_name, Service.price, Service.state),
        "persons": sa.select(ContactPerson.contact_id, ContactPerson.name, ContactPerson.email),
    }
    with app.app_context():
        data = {
            key: db.session.execute(query.order_by(*query.selected_columns)).all() for key, query in queries.items()
        }
        db.session.remove()
        db.engine.dispose()
    return data


def test_same_seed_gives_same_data(database):
    try:
        first = snapshot(database.fresh_url(), seed=7)
        database.reset()
        second = snapshot(database.fresh_url(), seed=7)
        database.reset()
        other = snapshot(database.fresh_url(), seed=8)
    finally:
        database.reset()
    assert first == second
    assert first["contacts"] != other["contacts"]


def test_second_run_adds_without_collisions(app, runner, make_contact):
    make_contact(client_number=20000, extra_vs_1=20500)
    load(runner, contacts=300, seed=7)
    with app.app_context():
        named_rows = [count(model) for model in NAMED_ROWS]
    # The same seed again draws the same names and building numbers: reused or skipped, never clashing.
    assert "client numbers 20801–21000" in load(runner, contacts=200, seed=7)
    with app.app_context():
        numbers = db.session.scalars(sa.select(Contact.client_number).order_by(Contact.id)).all()
        assert numbers == [20000, *range(20501, 21001)]
        assert get_settings().last_client_number == 21000
        assert [count(model) for model in NAMED_ROWS] == named_rows
        assert count(Socket) == 60 + 50
        held = db.session.scalars(sa.select(Contact.socket_id).where(Contact.socket_id.is_not(None))).all()
        assert len(held) == len(set(held)) == count(SocketAssignment) == 48 + 40


def test_no_contacts_still_builds_the_network(app, runner):
    assert load(runner, contacts=0).startswith("Loaded 0 contacts, 50 sockets")
    with app.app_context():
        assert count(Contact) == 0 and count(Socket) == 50
        assert get_settings().last_client_number == 0


def test_a_load_moves_the_change_counters_and_keeps_their_triggers(app, runner, make_contact):
    """The load runs without the counting triggers; it counts once, and the triggers are back after it."""
    with app.app_context():
        before = read_change_counters()
    load(runner, contacts=50)
    with app.app_context():
        after_load = read_change_counters()
    assert all(after_load[area] > before[area] for area in before)
    make_contact(name="After the load")
    with app.app_context():
        assert read_change_counters()["contacts"] > after_load["contacts"]
