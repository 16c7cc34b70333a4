"""A contact's history: pending changes, recorded entries, the rows shown, and reverting one entry (no HTTP)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from domain.contacts import restore, soft_delete
from domain.history import (
    latest_history_id,
    pending_changes,
    pending_row_changes,
    record_change,
    row_changes,
)
from domain.history_text import changes_since, history_rows
from domain.passwords import set_portal_password
from domain.revert import revert_change, revert_plan, revertible_entries
from domain.sockets import reassign_socket, socket_history
from models import ChangeLog, ClientGroup, ClientStatus, Contact, ContactPerson, Location, Note, PaymentType, Socket, db
from tests.helpers import add_named, user_named

NOTHING_TO_PUT_BACK = "This entry has nothing that can be put back."


def edit(contact_id: int, username: str = "staff", action: str = "update", **values) -> int:
    """Change the contact's fields as the form does and record it; the history entry's id."""
    contact = db.session.get(Contact, contact_id)
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(contact, name, value)
        changes = pending_changes(contact)
        entry = record_change(contact, action, changes, user_named(username))
        if "socket_id" in changes:
            reassign_socket(contact, contact.socket, user_named(username))
    db.session.commit()
    return entry.id


def history_count(contact_id: int | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(ChangeLog)
    if contact_id is not None:
        query = query.where(ChangeLog.contact_id == contact_id)
    return db.session.scalar(query)


# --- pending_changes -------------------------------------------------------------------------------


def test_pending_changes_give_each_changed_field_old_and_new(app, make_contact):
    contact_id = make_contact(name="Novák Jan", city="Praha", street="Hlavní 1")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert pending_changes(contact) == {}
        contact.name = "Novák Jan ml."
        contact.city = "Brno"
        contact.street = "Hlavní 1"  # the same value again: no change
        assert pending_changes(contact) == {
            "name": {"old": "Novák Jan", "new": "Novák Jan ml."},
            "city": {"old": "Praha", "new": "Brno"},
        }


def test_an_empty_field_saved_empty_is_no_change(app, make_contact):
    # A form posts "" for a note nobody wrote; the history must not fill with "— → —".
    contact_id = make_contact(internal_note_1=None, marked_reason="")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.internal_note_1 = ""
        contact.marked_reason = None
        contact.internal_note_2 = "Call first"
        assert pending_changes(contact) == {"internal_note_2": {"old": None, "new": "Call first"}}


def test_pending_changes_store_dates_and_amounts_as_text(app, make_contact):
    contact_id = make_contact(birth_date=date(1985, 1, 2), opening_balance=Decimal("0.00"))
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.birth_date = date(1986, 3, 4)
        contact.opening_balance = Decimal("-12.50")
        assert pending_changes(contact) == {
            "birth_date": {"old": "1985-01-02", "new": "1986-03-04"},
            "opening_balance": {"old": "0.00", "new": "-12.50"},
        }


def test_pending_changes_include_a_code_list_set_by_its_relationship(app, make_contact):
    with app.app_context():
        active, suspended = add_named(ClientStatus, "Active"), add_named(ClientStatus, "Suspended")
        group = add_named(ClientGroup, "Business")
    contact_id = make_contact(client_status_id=active)
    with app.app_context(), db.session.no_autoflush:
        contact = db.session.get(Contact, contact_id)
        contact.client_status = db.session.get(ClientStatus, suspended)
        contact.client_group = db.session.get(ClientGroup, group)
        # Before a flush the foreign keys still hold the old values; the changes do not.
        assert contact.client_status_id == active
        assert pending_changes(contact) == {
            "client_status_id": {"old": active, "new": suspended},
            "client_group_id": {"old": None, "new": group},
        }
        contact.client_status = None
        assert pending_changes(contact)["client_status_id"] == {"old": active, "new": None}


def test_the_password_hash_is_shown_as_stars(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        set_portal_password(contact, "Portal-Pass-42")
        assert pending_changes(contact) == {"portal_password_hash": {"old": None, "new": "***"}}
        db.session.commit()
        contact = db.session.get(Contact, contact_id)
        set_portal_password(contact, "Portal-Pass-43")
        assert pending_changes(contact) == {"portal_password_hash": {"old": "***", "new": "***"}}


def test_bookkeeping_columns_are_not_changes(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.search_text = "something else"
        contact.updated_at = contact.created_at
        assert pending_changes(contact) == {}


def test_a_new_contact_changes_only_the_fields_it_has(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        contact = Contact(
            client_number=1001,
            name="Novák Jan",
            street="Hlavní 1",
            postcode="110 00",
            city="Praha",
            invoice_group_id=group,
        )
        db.session.add(contact)
        changes = pending_changes(contact)
        assert changes["client_number"] == {"old": None, "new": 1001}
        assert changes["name"] == {"old": None, "new": "Novák Jan"}
        assert changes["invoice_group_id"] == {"old": None, "new": group}
        assert "email" not in changes
        assert "company_name" not in changes


# --- record_change -------------------------------------------------------------------------------


def test_an_update_without_changes_is_not_recorded(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert record_change(contact, "update", {}, user_named("staff")) is None
        db.session.commit()
        assert history_count() == 0


def test_a_change_is_recorded_with_who_and_what(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        record_change(contact, "update", {"city": {"old": "Praha", "new": "Brno"}}, user_named("staff"))
        record_change(contact, "portal edit", {"email": {"old": None, "new": "jan@example.cz"}}, actor="portal")
        # Another action than an update is recorded even without field changes.
        record_change(contact, "restore", {}, user_named("admin"))
        db.session.commit()
    with app.app_context():
        entries = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id)).all()
        assert [(e.contact_id, e.action, e.actor, e.user.username if e.user else None, e.changes) for e in entries] == [
            (contact_id, "update", "staff", "staff", {"city": {"old": "Praha", "new": "Brno"}}),
            (contact_id, "portal edit", "portal", None, {"email": {"old": None, "new": "jan@example.cz"}}),
            (contact_id, "restore", "staff", "admin", {}),
        ]


# --- history_rows and changes_since --------------------------------------------------------------


def test_history_rows_are_newest_first_with_code_lists_by_name(app, make_contact, make_socket):
    socket = make_socket("R1-3").socket
    with app.app_context():
        status, location = add_named(ClientStatus, "Active"), add_named(Location, "North")
        group = add_named(ClientGroup, "Business")
        cash = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.system_code == "cash"))
    contact_id = make_contact(name="Novák Jan", email="jan@example.cz")
    other = make_contact()
    with app.app_context():
        edit(other, name="Someone else")
        first = edit(contact_id, name="Novák Jan ml.", email="")
        second = edit(
            contact_id,
            "admin",
            client_status_id=status,
            location_id=location,
            client_group_id=group,
            payment_type_id=cash,
            socket_id=socket,
        )
        rows = history_rows(contact_id)
        assert [(entry.id, entry.user.username) for entry, _ in rows] == [(second, "admin"), (first, "staff")]
        assert sorted(rows[0][1]) == [
            ("client_group_id", "—", "Business"),
            ("client_status_id", "—", "Active"),
            ("location_id", "—", "North"),
            ("payment_type_id", "Bank transfer", "Cash"),
            ("socket_id", "—", "Praha › Hlavní › 12 › R1 › R1-3"),
        ]
        assert sorted(rows[1][1]) == [("email", "jan@example.cz", "—"), ("name", "Novák Jan", "Novák Jan ml.")]


def test_history_rows_name_the_invoice_group(app, make_contact, make_invoice_group):
    old, new = make_invoice_group(name="Prague").id, make_invoice_group(name="Brno").id
    contact_id = make_contact(invoice_group_id=old)
    with app.app_context():
        edit(contact_id, invoice_group_id=new)
        [(_, changes)] = history_rows(contact_id)
        assert changes == [("invoice_group_id", "Prague", "Brno")]


def test_changes_since_a_mark_are_only_the_newer_entries(app, make_contact):
    contact_id = make_contact(city="Praha", name="Novák Jan")
    with app.app_context():
        assert latest_history_id(contact_id) == 0
        assert changes_since(contact_id, 0) == []
        edit(contact_id, city="Brno")
        mark = latest_history_id(contact_id)
        assert changes_since(contact_id, mark) == []
        later = edit(contact_id, "admin", city="Ostrava", name="Someone")
        since = changes_since(contact_id, mark)
        assert [(entry.id, entry.user.username, sorted(changes)) for entry, changes in since] == [
            (later, "admin", [("city", "Brno", "Ostrava"), ("name", "Novák Jan", "Someone")])
        ]
        assert latest_history_id(contact_id) == later
        assert len(changes_since(contact_id, 0)) == 2


# --- revert_change -------------------------------------------------------------------------------


def test_a_revert_puts_the_old_values_back_and_is_recorded(app, make_contact):
    with app.app_context():
        status = add_named(ClientStatus, "Active")
    contact_id = make_contact(
        name="Novák Jan", birth_date=date(1985, 1, 2), opening_balance=Decimal("10.00"), client_status_id=status
    )
    with app.app_context():
        entry_id = edit(
            contact_id,
            name="Novák Petr",
            birth_date=date(1990, 5, 6),
            opening_balance=Decimal("-5.50"),
            client_status_id=None,
            city="Brno",
        )
        edit(contact_id, email="jan@example.cz")  # a later change stays
        entry = db.session.get(ChangeLog, entry_id)
        assert revert_change(entry, user_named("admin")) is None
        db.session.commit()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.name, contact.birth_date, contact.opening_balance, contact.client_status_id, contact.city) == (
            "Novák Jan",
            date(1985, 1, 2),
            Decimal("10.00"),
            status,
            "Praha",
        )
        assert contact.email == "jan@example.cz"
        revert = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id.desc())).first()
        assert revert.action == f"revert of #{entry_id}"
        assert revert.user.username == "admin"
        assert revert.changes == {
            "name": {"old": "Novák Petr", "new": "Novák Jan"},
            "birth_date": {"old": "1990-05-06", "new": "1985-01-02"},
            "opening_balance": {"old": "-5.50", "new": "10.00"},
            "client_status_id": {"old": None, "new": status},
            "city": {"old": "Brno", "new": "Praha"},
        }


def test_a_revert_puts_back_a_client_number_login_symbol_and_socket_nobody_took(app, make_contact, make_socket):
    socket = make_socket().socket
    contact_id = make_contact(client_number=1001, portal_login="jan", extra_vs_1=777, socket_id=socket)
    with app.app_context():
        entry_id = edit(contact_id, client_number=1500, portal_login="novak", extra_vs_1=None, socket=None)
        assert revert_change(db.session.get(ChangeLog, entry_id), user_named("admin")) is None
        db.session.commit()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.client_number, contact.portal_login, contact.extra_vs_1, contact.socket_id) == (
            1001,
            "jan",
            777,
            socket,
        )


# A revert moves the socket's history too, as saving the form does (64c25b8 fixed this).
def test_a_socket_put_back_is_in_the_socket_history(app, make_contact, make_socket):
    socket = make_socket().socket
    contact_id = make_contact(client_number=1001)
    with app.app_context():
        edit(contact_id, socket=db.session.get(Socket, socket))
        entry_id = edit(contact_id, socket=None)
        assert revert_change(db.session.get(ChangeLog, entry_id), user_named("admin")) is None
        db.session.commit()
        assert db.session.get(Contact, contact_id).socket_id == socket
        periods = socket_history(socket)
        assert [(period.contact_id, period.released_at is None) for period in periods] == [
            (contact_id, True),
            (contact_id, False),
        ]
        assert periods[0].assigned_by.username == "admin"


def test_a_socket_assignment_reverted_closes_its_period(app, make_contact, make_socket):
    socket = make_socket().socket
    contact_id = make_contact(client_number=1001)
    with app.app_context():
        entry_id = edit(contact_id, socket=db.session.get(Socket, socket))
        assert revert_change(db.session.get(ChangeLog, entry_id), user_named("admin")) is None
        db.session.commit()
        assert db.session.get(Contact, contact_id).socket_id is None
        [period] = socket_history(socket)
        assert period.released_at is not None
        assert period.released_by.username == "admin"


def refused(app, contact_id: int, entry_id: int, expected_message: str) -> None:
    """Reverting the entry is refused with this message, and neither the contact nor its history changes."""
    with app.app_context():
        before = {
            column.key: getattr(db.session.get(Contact, contact_id), column.key) for column in Contact.__table__.c
        }
        count = history_count()
        entry = db.session.get(ChangeLog, entry_id)
        assert revert_change(entry, user_named("admin")) == expected_message
        contact = db.session.get(Contact, contact_id)
        assert {column.key: getattr(contact, column.key) for column in Contact.__table__.c} == before
        assert not any(isinstance(row, ChangeLog) for row in db.session.new)
        # Even if the caller commits anyway, nothing was written.
        db.session.commit()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert {column.key: getattr(contact, column.key) for column in Contact.__table__.c} == before
        assert history_count() == count


def test_an_entry_without_revertible_fields_is_refused(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        password = record_change(contact, "portal password", {"portal_password_hash": {"old": "***", "new": "***"}})
        service = record_change(contact, "service changed", {"Fast: price": {"old": "100", "new": "200"}})
        bookkeeping = record_change(
            contact, "update", {"status_changed_at": {"old": None, "new": "2026-01-01T00:00:00"}}
        )
        empty = record_change(contact, "restore", {})
        db.session.commit()
        ids = [password.id, service.id, bookkeeping.id, empty.id]
    for entry_id in ids:
        refused(app, contact_id, entry_id, NOTHING_TO_PUT_BACK)


def test_a_deleted_contact_is_not_reverted(app, make_contact):
    contact_id = make_contact(name="Novák Jan")
    with app.app_context():
        entry_id = edit(contact_id, name="Novák Petr")
        soft_delete(db.session.get(Contact, contact_id), user_named("admin"))
        db.session.commit()
    refused(app, contact_id, entry_id, NOTHING_TO_PUT_BACK)
    with app.app_context():
        assert db.session.get(Contact, contact_id).name == "Novák Petr"


def test_a_client_number_now_held_by_another_contact_is_not_put_back(app, make_contact):
    contact_id = make_contact(client_number=1001, name="Novák Jan")
    with app.app_context():
        entry_id = edit(contact_id, client_number=1500, name="Novák Petr")
    make_contact(client_number=1001, name="Dvořák Petr")
    refused(app, contact_id, entry_id, "Client number 1001 belongs to Dvořák Petr. The next free number is 1002.")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.client_number, contact.name) == (1500, "Novák Petr")


def test_a_socket_now_held_by_another_contact_is_not_put_back(app, make_contact, make_socket):
    socket = make_socket().socket
    contact_id = make_contact(client_number=1001, socket_id=socket)
    with app.app_context():
        entry_id = edit(contact_id, socket=None, city="Brno")
    make_contact(client_number=1002, name="Dvořák Petr", socket_id=socket)
    refused(app, contact_id, entry_id, "This socket is used by 1002 Dvořák Petr.")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.socket_id, contact.city) == (None, "Brno")


def test_an_extra_symbol_now_used_by_another_contact_is_not_put_back(app, make_contact):
    contact_id = make_contact(client_number=1001, extra_vs_1=777, extra_vs_2=778)
    with app.app_context():
        entry_id = edit(contact_id, extra_vs_1=None, extra_vs_2=None)
    make_contact(client_number=1002, name="Dvořák Petr", extra_vs_3=778)
    refused(app, contact_id, entry_id, "Contact 1002 Dvořák Petr already pays with this symbol.")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.extra_vs_1, contact.extra_vs_2) == (None, None)


def test_an_extra_symbol_now_another_contacts_client_number_is_not_put_back(app, make_contact):
    contact_id = make_contact(client_number=1001, extra_vs_1=777)
    with app.app_context():
        entry_id = edit(contact_id, extra_vs_1=None)
    make_contact(client_number=777, name="Dvořák Petr")
    refused(app, contact_id, entry_id, "Contact 777 Dvořák Petr already pays with this symbol.")


def test_a_portal_login_now_used_by_another_contact_is_not_put_back(app, make_contact):
    contact_id = make_contact(client_number=1001, portal_login="jan", name="Novák Jan")
    with app.app_context():
        entry_id = edit(contact_id, portal_login="novak", name="Novák Petr")
    make_contact(client_number=1002, name="Dvořák Petr", portal_login="jan")
    refused(app, contact_id, entry_id, "This login is used by 1002 Dvořák Petr.")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.portal_login, contact.name) == ("novak", "Novák Petr")


# --- Contact persons and notes -------------------------------------------------------------------


def edit_rows(contact_id: int, change, username: str = "staff") -> int:
    """Change the contact's persons and notes as the form does (`change(contact)`) and record it; the entry's id."""
    contact = db.session.get(Contact, contact_id)
    with db.session.no_autoflush:
        change(contact)
        rows = pending_row_changes(contact)
    db.session.flush()
    entry = record_change(contact, "update", row_changes(rows), user_named(username))
    db.session.commit()
    return entry.id


@pytest.fixture
def with_rows(app, make_contact):
    """A contact with the person Jan and a note; returns (contact id, Jan's id, the note's id)."""
    contact_id = make_contact(name="Novák Jan")
    with app.app_context():
        jan = ContactPerson(contact_id=contact_id, name="Jan", role="CEO", phone="+420601000001")
        note = Note(contact_id=contact_id, text="Calls after 5")
        db.session.add_all([jan, note])
        db.session.commit()
        return contact_id, jan.id, note.id


def test_persons_and_notes_added_changed_and_removed_are_recorded(app, with_rows):
    contact_id, jan, note = with_rows

    def change(contact):
        contact.persons[0].phone = "+420601000009"
        contact.persons[0].role = None
        contact.persons.append(ContactPerson(name="Eva", email="eva@example.cz"))
        db.session.delete(contact.notes[0])
        contact.notes.append(Note(text="New note"))

    with app.app_context():
        entry_id = edit_rows(contact_id, change)
        eva = db.session.scalar(sa.select(ContactPerson.id).where(ContactPerson.name == "Eva"))
        new_note = db.session.scalar(sa.select(Note.id).where(Note.text == "New note"))
        assert db.session.get(ChangeLog, entry_id).changes == {
            f"person {jan}: phone": {"old": "+420601000001", "new": "+420601000009"},
            f"person {jan}: role": {"old": "CEO", "new": None},
            f"person {eva}: id": {"old": None, "new": eva},
            f"person {eva}: name": {"old": None, "new": "Eva"},
            f"person {eva}: email": {"old": None, "new": "eva@example.cz"},
            f"note {note}: id": {"old": note, "new": None},
            f"note {note}: text": {"old": "Calls after 5", "new": None},
            f"note {new_note}: id": {"old": None, "new": new_note},
            f"note {new_note}: text": {"old": None, "new": "New note"},
        }
        assert pending_row_changes(db.session.get(Contact, contact_id)) == []


def test_person_and_note_changes_are_reverted(app, with_rows):
    contact_id, jan, _ = with_rows
    with app.app_context():
        changed = edit_rows(contact_id, lambda c: setattr(c.persons[0], "phone", "+420601000009"))
        added = edit_rows(contact_id, lambda c: c.persons.append(ContactPerson(name="Eva")))
        removed = edit_rows(contact_id, lambda c: db.session.delete(c.notes[0]))
        entries = [db.session.get(ChangeLog, entry_id) for entry_id in (changed, added, removed)]
        assert revertible_entries(entries) == {changed, added, removed}
        for entry_id in (changed, added, removed):
            assert revert_change(db.session.get(ChangeLog, entry_id), user_named("admin")) is None
            db.session.commit()
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert [(p.id, p.name, p.phone) for p in contact.persons] == [(jan, "Jan", "+420601000001")]
        [back] = contact.notes
        assert back.text == "Calls after 5" and back.author.username == "admin"
        last = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id.desc())).first()
        assert last.action == f"revert of #{removed}"
        assert last.changes[f"note {back.id}: text"] == {"old": None, "new": "Calls after 5"}
        # Each reverted entry can act no more; the reverts themselves can.
        entries = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id)).all()
        assert revertible_entries(entries) == {entry.id for entry in entries if entry.action.startswith("revert")}


def test_a_person_changed_since_is_not_taken_away_by_reverting_its_addition(app, with_rows):
    contact_id, _, _ = with_rows
    with app.app_context():
        added = edit_rows(contact_id, lambda c: c.persons.append(ContactPerson(name="Eva")))
        edit_rows(contact_id, lambda c: setattr(c.persons[1], "phone", "+420601000002"))
    refused(app, contact_id, added, "Everything this entry changed was changed again since; nothing is put back.")


def test_a_creation_is_not_reverted(app, make_invoice_group):
    group = make_invoice_group().id
    with app.app_context():
        contact = Contact(
            client_number=1001,
            name="Novák Jan",
            street="Hlavní 1",
            postcode="110 00",
            city="Praha",
            invoice_group_id=group,
            payment_type_id=db.session.scalar(sa.select(PaymentType.id)),
        )
        db.session.add(contact)
        entry = record_change(contact, "create", pending_changes(contact), user_named("staff"))
        db.session.commit()
        contact_id, entry_id = contact.id, entry.id
        assert revertible_entries([entry]) == set()
    refused(app, contact_id, entry_id, "The creation of a contact cannot be reverted; delete the contact instead.")


def test_only_values_still_as_the_entry_left_them_are_put_back(app, make_contact):
    contact_id = make_contact(name="Novák Jan", city="Praha")
    with app.app_context():
        both = edit(contact_id, name="Novák Petr", city="Brno")
        edit(contact_id, city="Ostrava")
        plan = revert_plan(db.session.get(ChangeLog, both))
        assert (plan.fields, plan.stale) == ({"name": "Novák Jan"}, ["city"])
        assert revert_change(db.session.get(ChangeLog, both), user_named("admin")) is None
        db.session.commit()
        contact = db.session.get(Contact, contact_id)
        assert (contact.name, contact.city) == ("Novák Jan", "Ostrava")
        city_only = edit(contact_id, city="Plzeň")
        edit(contact_id, city="Kolín")
    refused(app, contact_id, city_only, "Everything this entry changed was changed again since; nothing is put back.")


def test_revert_is_offered_only_where_it_can_act(app, make_contact):
    contact_id = make_contact(name="Novák Jan", city="Praha")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        created = record_change(contact, "create", {"name": {"old": None, "new": "Novák Jan"}}, user_named("staff"))
        # A required field is never emptied, whatever an entry says its old value was.
        unknown = record_change(contact, "update", {"name": {"old": None, "new": "Novák Jan"}}, user_named("staff"))
        db.session.commit()
        moved = edit(contact_id, city="Brno")
        soft_delete(db.session.get(Contact, contact_id), user_named("admin"))
        db.session.commit()
        entries = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id)).all()
        assert revertible_entries(entries) == set()  # a deleted contact is restored, not reverted
        restore(db.session.get(Contact, contact_id), user_named("admin"))
        db.session.commit()
        entries = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id)).all()
        assert {e.action for e in entries} == {"create", "update", "delete", "restore"}
        assert revertible_entries(entries) == {moved}
        assert created.id not in revertible_entries(entries) and unknown.id not in revertible_entries(entries)
