"""Bulk changes: one field set on many contacts, one history entry for each contact changed (no HTTP)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from domain.bulk import bulk_change_errors, bulk_update_contacts
from models import ClientGroup, ClientStatus, Contact, Location, PaymentType, db, utcnow
from tests.helpers import add_named, contact_history, user_named


def test_only_contacts_with_another_value_change_each_with_one_history_entry(app, make_contact):
    with app.app_context():
        active, suspended = add_named(ClientStatus, "Active"), add_named(ClientStatus, "Suspended")
    first = make_contact(client_status_id=active)
    second = make_contact(client_status_id=active)
    already = make_contact(client_status_id=suspended)
    unset = make_contact()
    with app.app_context():
        staff = user_named("staff")
        assert bulk_update_contacts([first, second, already, unset], "client_status_id", suspended, staff) == 3
        db.session.commit()
    with app.app_context():
        for contact_id, old in ((first, active), (second, active), (unset, None)):
            contact = db.session.get(Contact, contact_id)
            assert contact.client_status_id == suspended
            assert contact.version == 2
            assert contact.status_changed_at is not None
            [entry] = contact_history(contact_id)
            assert entry.action == "bulk change"
            assert entry.changes == {"client_status_id": {"old": old, "new": suspended}}
            assert entry.user.username == "staff"
            assert entry.actor == "staff"
        untouched = db.session.get(Contact, already)
        assert untouched.version == 1
        assert untouched.status_changed_at is None
        assert contact_history(already) == []


def test_deleted_contacts_are_left_alone(app, make_contact):
    with app.app_context():
        group = add_named(ClientGroup, "Business")
    kept = make_contact()
    deleted = make_contact(deleted_at=utcnow())
    with app.app_context():
        assert bulk_update_contacts([kept, deleted], "client_group_id", group, user_named("admin")) == 1
        db.session.commit()
    with app.app_context():
        assert db.session.get(Contact, kept).client_group_id == group
        gone = db.session.get(Contact, deleted)
        assert gone.client_group_id is None
        assert gone.version == 1
        assert contact_history(deleted) == []
        assert len(contact_history(kept)) == 1


def test_a_flag_is_set_and_its_history_shows_both_values(app, make_contact):
    marked = make_contact(is_marked=True)
    unmarked = make_contact(is_marked=False)
    with app.app_context():
        assert bulk_update_contacts([marked, unmarked], "is_marked", True, None) == 1
        db.session.commit()
    with app.app_context():
        assert db.session.get(Contact, unmarked).is_marked is True
        [entry] = contact_history(unmarked)
        assert entry.changes == {"is_marked": {"old": False, "new": True}}
        assert entry.user is None
        # Not a status change: no status date.
        assert db.session.get(Contact, unmarked).status_changed_at is None
        assert contact_history(marked) == []


def test_a_code_list_value_can_be_emptied(app, make_contact):
    with app.app_context():
        group = add_named(ClientGroup, "Business")
    grouped = make_contact(client_group_id=group)
    ungrouped = make_contact()
    with app.app_context():
        assert bulk_update_contacts([grouped, ungrouped], "client_group_id", None, user_named("staff")) == 1
        db.session.commit()
    with app.app_context():
        assert db.session.get(Contact, grouped).client_group_id is None
        assert [entry.changes for entry in contact_history(grouped)] == [
            {"client_group_id": {"old": group, "new": None}}
        ]
        assert contact_history(ungrouped) == []


def test_nothing_to_change_changes_nothing(app, make_contact):
    contact = make_contact(is_marked=False)
    with app.app_context():
        assert bulk_update_contacts([contact], "is_marked", False, user_named("staff")) == 0
        assert bulk_update_contacts([], "is_marked", True, user_named("staff")) == 0
        assert bulk_update_contacts([999_999], "is_marked", True, user_named("staff")) == 0
        db.session.commit()
        assert contact_history(contact) == []
        assert db.session.get(Contact, contact).version == 1


@pytest.mark.parametrize("field", ["name", "client_number", "deleted_at", "portal_password_hash", "socket_id"])
def test_a_field_not_allowed_in_bulk_is_refused(app, make_contact, field):
    contact = make_contact(name="Novák Jan")
    with app.app_context():
        with pytest.raises(ValueError, match=f"{field} cannot be changed in bulk"):
            bulk_update_contacts([contact], field, None, user_named("admin"))
        db.session.commit()
        assert db.session.get(Contact, contact).name == "Novák Jan"
        assert db.session.get(Contact, contact).version == 1
        assert contact_history(contact) == []


def bulk_payment_id() -> int:
    return db.session.scalar(sa.select(PaymentType.id).where(PaymentType.system_code == "bulk_payment"))


def test_bulk_payment_needs_its_number_and_sets_it_with_the_type(app, make_contact):
    other = make_contact()
    with app.app_context():
        bulk = bulk_payment_id()
    paying_in_bulk = make_contact(payment_type_id=bulk, bulk_payment_number="OLD-1")
    already = make_contact(payment_type_id=bulk, bulk_payment_number="SIP-42")
    with app.app_context():
        staff = user_named("staff")
        assert bulk_change_errors("payment_type_id", bulk, " ") == {
            "bulk_payment_number": "Bulk payment needs the bulk payment number."
        }
        assert bulk_change_errors("payment_type_id", bulk, "SIP-42") == {}
        assert bulk_change_errors("client_group_id", None, None) == {}
        for number in (None, "", "  "):
            with pytest.raises(ValueError, match="bulk payment needs the bulk payment number"):
                bulk_update_contacts([other], "payment_type_id", bulk, staff, number)
        assert db.session.get(Contact, other).payment_type_id != bulk
        assert bulk_update_contacts([other, paying_in_bulk, already], "payment_type_id", bulk, staff, " SIP-42 ") == 2
        db.session.commit()
    with app.app_context():
        for contact_id in (other, paying_in_bulk, already):
            contact = db.session.get(Contact, contact_id)
            assert (contact.payment_type_id, contact.bulk_payment_number) == (bulk, "SIP-42")
        [entry] = contact_history(other)
        assert entry.changes["bulk_payment_number"] == {"old": None, "new": "SIP-42"}
        assert entry.changes["payment_type_id"]["new"] == bulk
        [entry] = contact_history(paying_in_bulk)
        assert entry.changes == {"bulk_payment_number": {"old": "OLD-1", "new": "SIP-42"}}
        assert contact_history(already) == []


def test_a_location_is_set_and_cleared_but_a_required_field_is_never_emptied(app, make_contact):
    with app.app_context():
        tower = add_named(Location, "Tower")
    contact = make_contact()
    with app.app_context():
        staff = user_named("staff")
        assert bulk_update_contacts([contact], "location_id", tower, staff) == 1
        assert bulk_update_contacts([contact], "location_id", None, staff) == 1
        for field in ("payment_type_id", "invoice_group_id", "is_marked"):
            with pytest.raises(ValueError, match=f"{field} cannot be emptied"):
                bulk_update_contacts([contact], field, None, staff)
        db.session.commit()
    with app.app_context():
        assert db.session.get(Contact, contact).location_id is None
        assert [entry.changes for entry in contact_history(contact)] == [
            {"location_id": {"old": None, "new": tower}},
            {"location_id": {"old": tower, "new": None}},
        ]
