"""A contact's own rules: what its fields require, what follows from them on saving, deletion (no HTTP)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from domain.client_numbers import next_client_number
from domain.contacts import (
    COMPANY_FIELDS,
    INSTALL_FIELDS,
    apply_contact_rules,
    contact_rule_errors,
    purge_refusals,
    restore,
    soft_delete,
)
from domain.passwords import PASSWORD_ALPHABET, check_portal_password, set_portal_password
from domain.settings import get_settings
from domain.sockets import reassign_socket, socket_history, socket_holder
from domain.uniqueness import uniqueness_errors
from models import ClientStatus, Contact, InvoiceGroup, PaymentType, Service, Socket, db, utcnow
from tests.helpers import contact_history, user_named

TODAY = date(2026, 3, 15)


def as_utc(value: datetime | str) -> datetime:
    """A stored time, whichever way the backend gives it back (SQLite drops the time zone)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- contact_rule_errors -------------------------------------------------------------------------


def kept(**overrides) -> dict:
    """Field values that keep every rule."""
    values = {
        "is_corporate": False,
        "company_name": None,
        "has_different_address": False,
        "install_street": None,
        "install_postcode": None,
        "install_city": None,
        "birth_date": None,
        "payment_type": PaymentType(system_code="bank_transfer", name="Bank transfer"),
        "bulk_payment_number": None,
        "invoice_by_email": False,
        "invoice_email": None,
        "email": None,
    }
    values.update(overrides)
    return values


def test_values_keeping_every_rule_give_no_errors(app):
    with app.app_context():
        assert contact_rule_errors(kept(), TODAY) == {}
        assert contact_rule_errors({}, TODAY) == {}
        assert (
            contact_rule_errors(
                kept(
                    is_corporate=True,
                    company_name="Novák s.r.o.",
                    has_different_address=True,
                    install_street="Dlouhá 5",
                    install_postcode="602 00",
                    install_city="Brno",
                    birth_date=TODAY,
                    payment_type=PaymentType(system_code="bulk_payment", name="Bulk payment"),
                    bulk_payment_number="123",
                    invoice_by_email=True,
                    email="jan@example.cz",
                ),
                TODAY,
            )
            == {}
        )


@pytest.mark.parametrize("company_name", [None, "", "   "])
def test_a_corporate_client_needs_a_company_name(app, company_name):
    with app.app_context():
        assert contact_rule_errors(kept(is_corporate=True, company_name=company_name), TODAY) == {
            "company_name": "A corporate client needs a company name."
        }
        # A person needs none.
        assert contact_rule_errors(kept(is_corporate=False, company_name=company_name), TODAY) == {}


def test_a_different_installation_address_must_be_filled_in(app):
    message = "Fill in the installation address or untick the box."
    with app.app_context():
        assert contact_rule_errors(kept(has_different_address=True), TODAY) == {
            "install_street": message,
            "install_postcode": message,
            "install_city": message,
        }
        assert contact_rule_errors(
            kept(has_different_address=True, install_street="Dlouhá 5", install_postcode="602 00"), TODAY
        ) == {"install_city": message}
        assert contact_rule_errors(
            kept(has_different_address=True, install_street="Dlouhá 5", install_city="Brno"), TODAY
        ) == {"install_postcode": message}
        # The box unticked: whatever is left in the fields does not matter.
        assert contact_rule_errors(kept(has_different_address=False, install_street="Dlouhá 5"), TODAY) == {}


def test_a_birth_date_cannot_be_in_the_future(app):
    with app.app_context():
        assert contact_rule_errors(kept(birth_date=date(2026, 3, 16)), TODAY) == {
            "birth_date": "A birth date cannot be in the future."
        }
        assert contact_rule_errors(kept(birth_date=TODAY), TODAY) == {}
        assert contact_rule_errors(kept(birth_date=date(1985, 1, 2)), TODAY) == {}
        # Without `today`, today's date.
        assert "birth_date" in contact_rule_errors(kept(birth_date=date(9999, 1, 1)))
        assert contact_rule_errors(kept(birth_date=date.today())) == {}


@pytest.mark.parametrize("number", [None, "", "  "])
def test_bulk_payment_needs_the_bulk_payment_number(app, number):
    with app.app_context():
        bulk = db.session.scalar(sa.select(PaymentType).where(PaymentType.system_code == "bulk_payment"))
        cash = db.session.scalar(sa.select(PaymentType).where(PaymentType.system_code == "cash"))
        assert contact_rule_errors(kept(payment_type=bulk, bulk_payment_number=number), TODAY) == {
            "bulk_payment_number": "Bulk payment needs the bulk payment number."
        }
        assert contact_rule_errors(kept(payment_type=bulk, bulk_payment_number="SIPO 123"), TODAY) == {}
        assert contact_rule_errors(kept(payment_type=cash, bulk_payment_number=number), TODAY) == {}
        assert contact_rule_errors(kept(payment_type=None, bulk_payment_number=number), TODAY) == {}


def test_invoices_by_email_need_an_invoicing_or_main_email(app):
    with app.app_context():
        assert contact_rule_errors(kept(invoice_by_email=True), TODAY) == {
            "invoice_by_email": "Sending invoices by e-mail needs an invoicing or main e-mail."
        }
        assert contact_rule_errors(kept(invoice_by_email=True, email="", invoice_email=""), TODAY) == {
            "invoice_by_email": "Sending invoices by e-mail needs an invoicing or main e-mail."
        }
        assert contact_rule_errors(kept(invoice_by_email=True, email="jan@example.cz"), TODAY) == {}
        assert contact_rule_errors(kept(invoice_by_email=True, invoice_email="faktury@example.cz"), TODAY) == {}
        assert contact_rule_errors(kept(invoice_by_email=False), TODAY) == {}


def test_every_broken_rule_is_reported_at_once(app):
    with app.app_context():
        errors = contact_rule_errors(
            kept(
                is_corporate=True,
                has_different_address=True,
                birth_date=date(2027, 1, 1),
                payment_type=PaymentType(system_code="bulk_payment", name="Bulk payment"),
                invoice_by_email=True,
            ),
            TODAY,
        )
        assert set(errors) == {
            "company_name",
            "install_street",
            "install_postcode",
            "install_city",
            "birth_date",
            "bulk_payment_number",
            "invoice_by_email",
        }


# --- apply_contact_rules -------------------------------------------------------------------------


def new_contact(group: InvoiceGroup, **overrides) -> Contact:
    """A contact as the form builds it: in the session, not flushed."""
    values = {
        "client_number": None,
        "name": "Novák Jan",
        "street": "Hlavní 1",
        "postcode": "110 00",
        "city": "Praha",
        "invoice_group": group,
        "opening_balance": Decimal(0),
        "payment_type": db.session.scalar(sa.select(PaymentType).where(PaymentType.is_default)),
    }
    values.update(overrides)
    contact = Contact(**values)
    db.session.add(contact)
    return contact


def apply(contact: Contact, is_created: bool, new_password: bool = False, username: str = "staff") -> str | None:
    with db.session.no_autoflush:
        return apply_contact_rules(contact, is_created, new_password, user_named(username))


def set_numbering(mode: str, last: int) -> None:
    settings = get_settings()
    settings.client_number_mode, settings.last_client_number = mode, last
    db.session.commit()


def test_automatic_numbering_gives_a_new_contact_the_next_free_number(app, make_contact, make_invoice_group):
    make_contact(client_number=1001)
    group = make_invoice_group()
    with app.app_context():
        set_numbering("automatic", 1000)
        contact = new_contact(db.session.merge(group), client_number=5)
        apply(contact, is_created=True)
        assert contact.client_number == 1002
        assert get_settings().last_client_number == 1002
        db.session.commit()
        second = new_contact(db.session.merge(group))
        apply(second, is_created=True)
        assert second.client_number == 1003
        db.session.commit()


def test_automatic_numbering_leaves_an_edited_contacts_number(app, make_contact):
    contact_id = make_contact(client_number=1001)
    with app.app_context():
        set_numbering("automatic", 5000)
        contact = db.session.get(Contact, contact_id)
        apply(contact, is_created=False)
        assert contact.client_number == 1001
        assert get_settings().last_client_number == 5000


def test_manual_numbering_keeps_the_typed_number_and_moves_the_series_on(app, make_contact, make_invoice_group):
    group = make_invoice_group()
    existing = make_contact(client_number=1001)
    with app.app_context():
        set_numbering("manual", 1000)
        contact = new_contact(db.session.merge(group), client_number=2001)
        apply(contact, is_created=True)
        assert contact.client_number == 2001
        assert get_settings().last_client_number == 2001
        db.session.commit()
        assert next_client_number() == 2002
        # An edit does not move the series.
        edited = db.session.get(Contact, existing)
        edited.client_number = 3001
        apply(edited, is_created=False)
        assert get_settings().last_client_number == 2001


def test_company_fields_are_emptied_for_a_person_and_kept_for_a_company(app, make_contact):
    company = {"company_name": "Novák s.r.o.", "contact_person": "Eva Nová"}
    ids = {"company_id": "26168685", "vat_id": "CZ26168685"}
    person = make_contact(is_corporate=False, **company, **ids)
    corporate = make_contact(client_number=2002, is_corporate=True, **company, **ids)
    with app.app_context():
        contact = db.session.get(Contact, person)
        apply(contact, is_created=False)
        assert {name: getattr(contact, name) for name in COMPANY_FIELDS} == dict.fromkeys(COMPANY_FIELDS)
        # A self-employed person keeps the company and VAT ID.
        assert (contact.company_id, contact.vat_id) == ("26168685", "CZ26168685")
        contact = db.session.get(Contact, corporate)
        apply(contact, is_created=False)
        assert {name: getattr(contact, name) for name in COMPANY_FIELDS} == company


def test_installation_fields_are_emptied_unless_the_address_differs(app, make_contact):
    install = {
        "install_street": "Dlouhá 5",
        "install_postcode": "602 00",
        "install_city": "Brno",
        "install_country": "CZ",
        "install_gps_lat": Decimal("49.195000"),
        "install_gps_lon": Decimal("16.608000"),
        "install_floor": "3",
        "install_flat": "12",
    }
    same = make_contact(has_different_address=False, **install)
    different = make_contact(client_number=2002, has_different_address=True, **install)
    with app.app_context():
        contact = db.session.get(Contact, same)
        apply(contact, is_created=False)
        assert {name: getattr(contact, name) for name in INSTALL_FIELDS} == dict.fromkeys(INSTALL_FIELDS)
        contact = db.session.get(Contact, different)
        apply(contact, is_created=False)
        assert {name: getattr(contact, name) for name in INSTALL_FIELDS} == install


def test_the_portal_login_defaults_to_the_client_number(app, make_contact, make_invoice_group):
    group = make_invoice_group()
    no_login = make_contact(client_number=1001, portal_login=None)
    typed = make_contact(client_number=1002, portal_login="petr")
    with app.app_context():
        contact = db.session.get(Contact, no_login)
        apply(contact, is_created=False)
        assert contact.portal_login == "1001"
        contact = db.session.get(Contact, typed)
        apply(contact, is_created=False)
        assert contact.portal_login == "petr"
        fresh = new_contact(db.session.merge(group), client_number=3001, portal_login="")
        apply(fresh, is_created=True)
        assert fresh.portal_login == "3001"


def test_a_new_contact_gets_a_generated_password_stored_only_as_a_hash(app, make_invoice_group):
    group = make_invoice_group()
    with app.app_context():
        contact = new_contact(db.session.merge(group), client_number=1001)
        password = apply(contact, is_created=True)
        assert len(password) == 12
        assert set(password) <= set(PASSWORD_ALPHABET)
        assert password not in contact.portal_password_hash
        assert contact.portal_password_hash.startswith("pbkdf2:sha256:5000$")
        assert check_portal_password(contact, password)
        db.session.commit()
        # No column holds the password itself.
        stored = [str(getattr(contact, column.key)) for column in Contact.__table__.c]
        assert not [value for value in stored if password in value]
    with app.app_context():
        assert check_portal_password(db.session.get(Contact, contact.id), password)


def test_an_edited_contact_keeps_its_password_unless_a_new_one_is_asked_for(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        set_portal_password(contact, "Portal-Pass-42")
        db.session.commit()
        contact = db.session.get(Contact, contact_id)
        stored = contact.portal_password_hash
        assert apply(contact, is_created=False) is None
        assert contact.portal_password_hash == stored
        password = apply(contact, is_created=False, new_password=True)
        assert password is not None
        assert password not in contact.portal_password_hash
        assert check_portal_password(contact, password)
        assert not check_portal_password(contact, "Portal-Pass-42")


def test_a_status_change_is_dated(app, make_contact):
    with app.app_context():
        active, suspended = ClientStatus(name="Active"), ClientStatus(name="Suspended")
        db.session.add_all([active, suspended])
        db.session.commit()
        active_id, suspended_id = active.id, suspended.id
    contact_id = make_contact(client_status_id=active_id)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.city = "Brno"
        apply(contact, is_created=False)
        assert contact.status_changed_at is None
        before = utcnow()
        contact.client_status = db.session.get(ClientStatus, suspended_id)
        apply(contact, is_created=False)
        assert before <= contact.status_changed_at <= utcnow()
        db.session.commit()
        contact = db.session.get(Contact, contact_id)
        dated = contact.status_changed_at
        contact.name = "Someone else"
        apply(contact, is_created=False)
        assert contact.status_changed_at == dated


def test_a_new_contact_with_a_status_is_dated(app, make_invoice_group):
    group = make_invoice_group()
    with app.app_context():
        status = ClientStatus(name="Active")
        db.session.add(status)
        db.session.commit()
        before = utcnow()
        contact = new_contact(db.session.merge(group), client_number=1001, client_status=status)
        apply(contact, is_created=True)
        assert before <= contact.status_changed_at <= utcnow()
        without = new_contact(db.session.merge(group), client_number=1002)
        apply(without, is_created=True)
        assert without.status_changed_at is None


def test_the_clerks_invoice_group_is_remembered_for_the_next_new_contact(app, make_contact, make_invoice_group):
    group = make_invoice_group(name="Brno")
    contact_id = make_contact(invoice_group_id=group.id)
    with app.app_context():
        apply(db.session.get(Contact, contact_id), is_created=False, username="staff")
        db.session.commit()
    with app.app_context():
        assert user_named("staff").last_invoice_group_id == group.id
        assert user_named("admin").last_invoice_group_id is None


# --- soft_delete, restore, purge_refusals --------------------------------------------------------


def give_socket(contact_id: int, socket_id: int, username: str = "staff") -> None:
    reassign_socket(db.session.get(Contact, contact_id), db.session.get(Socket, socket_id), user_named(username))
    db.session.commit()


def test_deleting_frees_the_socket_and_records_it(app, make_contact, make_socket):
    socket = make_socket().socket
    contact_id = make_contact(client_number=1001, name="Novák Jan")
    with app.app_context():
        give_socket(contact_id, socket)
        before = utcnow()
        soft_delete(db.session.get(Contact, contact_id), user_named("admin"))
        db.session.commit()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert contact.is_deleted
        assert as_utc(contact.deleted_at) >= before
        assert contact.deleted_by_id == user_named("admin").id
        assert contact.client_number == 1001
        assert contact.socket_id is None
        [period] = socket_history(socket)
        assert period.contact_id == contact_id
        assert period.released_at is not None
        assert period.released_by.username == "admin"
        [entry] = contact_history(contact_id)
        assert (entry.action, entry.user.username) == ("delete", "admin")
        assert set(entry.changes) == {"deleted_at", "socket_id"}
        assert entry.changes["socket_id"] == {"old": socket, "new": None}
        assert entry.changes["deleted_at"]["old"] is None
        assert as_utc(entry.changes["deleted_at"]["new"]) == as_utc(contact.deleted_at)
        # The socket is free for the next client.
        assert socket_holder(socket) is None
        assert uniqueness_errors({"socket_id": socket}, None) == {}
    make_contact(client_number=1002, socket_id=socket)


def test_deleting_a_contact_without_a_socket_records_only_the_deletion(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        soft_delete(db.session.get(Contact, contact_id), user_named("staff"))
        db.session.commit()
    with app.app_context():
        [entry] = contact_history(contact_id)
        assert entry.action == "delete"
        assert list(entry.changes) == ["deleted_at"]
        assert db.session.get(Contact, contact_id).deleted_by_id == user_named("staff").id


def test_restoring_puts_the_contact_back_without_its_socket(app, make_contact, make_socket):
    socket = make_socket().socket
    contact_id = make_contact(client_number=1001)
    with app.app_context():
        give_socket(contact_id, socket)
        soft_delete(db.session.get(Contact, contact_id), user_named("staff"))
        db.session.commit()
        deleted_at = db.session.get(Contact, contact_id).deleted_at
        restore(db.session.get(Contact, contact_id), user_named("admin"))
        db.session.commit()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert not contact.is_deleted
        assert contact.deleted_by_id is None
        assert contact.socket_id is None
        assert contact.client_number == 1001
        assert [entry.action for entry in contact_history(contact_id)] == ["delete", "restore"]
        entry = contact_history(contact_id)[-1]
        assert entry.user.username == "admin"
        assert list(entry.changes) == ["deleted_at"]
        assert entry.changes["deleted_at"]["new"] is None
        assert as_utc(entry.changes["deleted_at"]["old"]) == as_utc(deleted_at)


def test_deleting_a_client_ends_its_services_in_the_same_history_entry(app, make_contact, make_service):
    today = date.today()
    contact_id = make_contact()
    active = make_service(contact_id, tariff_name="Fast", start_date=date(2025, 1, 1))
    suspended = make_service(
        contact_id,
        "TV",
        tariff_name="Basic TV",
        start_date=date(2025, 1, 1),
        state="suspended",
        suspend_reason="Unpaid",
        suspended_from=date(2026, 1, 1),
    )
    ended = make_service(
        contact_id, tariff_name="Old", start_date=date(2020, 1, 1), state="ended", end_date=date(2021, 1, 1)
    )
    later = make_service(contact_id, tariff_name="Next year", start_date=today + timedelta(days=30))
    with app.app_context():
        soft_delete(db.session.get(Contact, contact_id), user_named("staff"))
        db.session.commit()
    with app.app_context():
        services = {s.id: s for s in db.session.scalars(sa.select(Service))}
        assert {s.state for s in services.values()} == {"ended"}
        assert services[active].end_date == today
        assert services[later].end_date == services[later].start_date  # it never ran
        assert services[suspended].end_date == today
        assert services[ended].end_date == date(2021, 1, 1)  # already ended: left alone
        assert db.session.scalar(sa.select(Contact.is_client).where(Contact.id == contact_id)) is False
        [entry] = contact_history(contact_id)
        assert entry.action == "delete"
        assert entry.changes["Fast: state"] == {"old": "active", "new": "ended"}
        assert entry.changes["Fast: end_date"] == {"old": None, "new": today.isoformat()}
        assert entry.changes["Basic TV: state"] == {"old": "suspended", "new": "ended"}
        assert "Old: state" not in entry.changes and "deleted_at" in entry.changes
        # Restoring brings the contact back, not its services: they stay ended.
        restore(db.session.get(Contact, contact_id), user_named("staff"))
        db.session.commit()
        assert {s.state for s in db.session.scalars(sa.select(Service))} == {"ended"}
        assert list(contact_history(contact_id)[-1].changes) == ["deleted_at"]


def test_purging_is_refused_for_contacts_with_services_or_a_socket_history(
    app, make_contact, make_service, make_socket
):
    socket, other_socket = make_socket("R1-1").socket, make_socket("R1-2").socket
    served = make_contact(name="Novák Jan")
    make_service(served)
    wired = make_contact(name="Dvořák Petr")
    both = make_contact(name="Svoboda Eva")
    make_service(both, "TV")
    plain = make_contact(name="Černý Adam")
    with app.app_context():
        give_socket(wired, socket)
        give_socket(wired, None) if False else None
        soft_delete(db.session.get(Contact, wired), user_named("staff"))  # the period is closed, the history stays
        db.session.commit()
        give_socket(both, other_socket)
        contacts = [db.session.get(Contact, contact_id) for contact_id in (served, wired, both, plain)]
        assert purge_refusals(contacts) == [
            "Novák Jan has services.",
            "Dvořák Petr has a CATV socket history.",
            "Svoboda Eva has services.",
        ]
        assert purge_refusals([db.session.get(Contact, plain)]) == []
        assert purge_refusals([]) == []
