"""The `flask demo-data` command: valid, reproducible Czech data, only into a database without contacts."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser

import phonenumbers
import sqlalchemy as sa
from markupsafe import escape
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
from storage.demo_data import load_demo_data
from storage.search_index import normalise_search_text
from tests.helpers import csrf_token, make_app, png_bytes

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
            # Three clients got a portal password after the load: a change.
            assert contact.version == (2 if contact.portal_password_hash else 1)
            assert contact.created_at <= contact.updated_at
            # Left to the columns' Python-side defaults, which Core inserts apply too.
            assert contact.portal_enabled and contact.deleted_at is None
        assert [c.created_at for c in contacts] == sorted(c.created_at for c in contacts)
        assert sum(bool(c.portal_password_hash) for c in contacts) == 3

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


def test_a_second_load_adds_without_collisions(app, runner, make_contact):
    """`flask demo-data` refuses a database with contacts; the loader itself adds to one safely."""
    load(runner, contacts=300, seed=7)
    make_contact(client_number=20000, extra_vs_1=20500)
    with app.app_context():
        named_rows = [count(model) for model in NAMED_ROWS]
        # The same seed again draws the same names and building numbers: reused or skipped, never clashing.
        assert "client numbers 20501–20700" in load_demo_data(200, 7)
        numbers = db.session.scalars(sa.select(Contact.client_number).order_by(Contact.id)).all()
        assert numbers == [*range(10001, 10301), 20000, *range(20501, 20701)]
        assert get_settings().last_client_number == 20700
        # make_contact's own invoice group is the one row more.
        assert [count(model) for model in NAMED_ROWS] == named_rows
        assert count(Socket) == 60 + 50
        held = db.session.scalars(sa.select(Contact.socket_id).where(Contact.socket_id.is_not(None))).all()
        assert len(held) == len(set(held)) == count(SocketAssignment) == 48 + 40


def test_a_database_with_contacts_is_refused_unchanged(app, runner, make_contact):
    make_contact(deleted_at=datetime.now(UTC))  # even a deleted one
    with app.app_context():
        before = [count(model) for model in (*NAMED_ROWS, Contact, Socket)]
    result = runner.invoke(args=["demo-data", "--contacts", "10"])
    assert result.exit_code == 1
    assert "already has contacts" in result.output and "Nothing was changed" in result.output
    with app.app_context():
        assert [count(model) for model in (*NAMED_ROWS, Contact, Socket)] == before


def test_portal_passwords_are_printed_and_let_clients_in(app, runner, client):
    output = load(runner, contacts=50)
    logins = re.findall(r"login (\d+), password (\S+)  \((.+)\)", output)
    assert len(logins) == 3 and "/portal/" in output
    for login, password, name in logins:
        response = client.post(
            "/portal/login",
            data={"csrf_token": csrf_token(client, "/portal/login"), "login": login, "password": password},
        )
        assert response.headers["Location"] == "/portal/", login
        page = client.get("/portal/").get_data(as_text=True)
        assert escape(name) in page and ("Internet" in page or "CATV" in page)
        client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/")})


class FormReader(HTMLParser):
    """What a browser would send back of a form as it is shown: inputs, checked boxes, selected
    options, text areas (files left out)."""

    def __init__(self):
        super().__init__()
        self.data, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.data[name] = attrs.get("value") or ("y" if attrs.get("type") == "checkbox" else "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def test_every_invoice_group_saves_through_its_own_form_with_a_logo(app, runner, admin):
    load(runner, contacts=20)
    with app.app_context():
        groups = db.session.scalars(sa.select(InvoiceGroup)).all()
        assert [group.series_prefix for group in groups] == [str(datetime.now(UTC).year)] * len(groups)
    for group in groups:
        url = f"/admin/invoice_group/edit/?id={group.id}"
        reader = FormReader()
        reader.feed(admin.get(url).get_data(as_text=True))
        data = reader.data | {"logo": (io.BytesIO(png_bytes()), "logo.png")}
        response = admin.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 302, re.findall(
            r'invalid-feedback">(.*?)</div>', response.get_data(as_text=True), re.S
        )
    with app.app_context():
        saved = db.session.scalars(sa.select(InvoiceGroup)).all()
        assert all(group.logo_path for group in saved)
        assert [g.next_invoice_preview for g in saved] == [g.next_invoice_preview for g in groups]


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
