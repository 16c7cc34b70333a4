"""Bulk changes of contacts: selected rows or the whole filter, confirmed, one history entry each."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from models import ChangeLog, ClientGroup, ClientStatus, Contact, Location, PaymentType, db
from tests.helpers import csrf_token


@pytest.fixture
def groups(app):
    with app.app_context():
        old, new = ClientGroup(name="Old"), ClientGroup(name="New")
        status = ClientStatus(name="Connected")
        db.session.add_all([old, new, status])
        db.session.commit()
        return {"old": old.id, "new": new.id, "status": status.id}


def test_selected_rows_go_to_a_confirmation_that_counts_them(app, staff, make_contact, groups):
    ids = [make_contact(client_group_id=groups["old"]) for _ in range(3)]
    response = staff.post(
        "/admin/contact/action/",
        data={"csrf_token": csrf_token(staff, "/admin/"), "action": "bulk_change", "rowid": [str(i) for i in ids[:2]]},
    )
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "This will change 2 contacts." in page
    url = response.headers["Location"]
    done = staff.post(
        url,
        data={"csrf_token": csrf_token(staff, "/admin/"), "value": f"client_group_id:{groups['new']}"},
        follow_redirects=True,
    )
    assert "2 contacts changed." in done.get_data(as_text=True)
    with app.app_context():
        assert [db.session.get(Contact, i).client_group_id for i in ids] == [
            groups["new"],
            groups["new"],
            groups["old"],
        ]
        entries = db.session.scalars(sa.select(ChangeLog).order_by(ChangeLog.contact_id)).all()
        assert [(e.contact_id, e.action, e.changes, e.user.username) for e in entries] == [
            (i, "bulk change", {"client_group_id": {"old": groups["old"], "new": groups["new"]}}, "staff")
            for i in ids[:2]
        ]
        assert db.session.get(Contact, ids[0]).version == 2


def test_all_rows_of_the_current_filter(app, staff, make_contact, groups):
    in_filter = [make_contact(client_group_id=groups["old"]) for _ in range(4)]
    outside = make_contact()
    list_html = staff.get("/admin/contact/", query_string={"flt1_group_equals": groups["old"]}).get_data(as_text=True)
    link = re.search(r'id="bulk-all"\s+href="([^"]+)"', list_html).group(1).replace("&amp;", "&")
    assert "Change all 4 matching contacts" in list_html
    assert "This will change 4 contacts." in staff.get(link).get_data(as_text=True)
    staff.post(link, data={"csrf_token": csrf_token(staff, "/admin/"), "value": "is_marked:1"})
    with app.app_context():
        assert all(db.session.get(Contact, i).is_marked for i in in_filter)
        assert not db.session.get(Contact, outside).is_marked


def test_status_change_in_bulk_records_when(app, staff, make_contact, groups):
    contact_id = make_contact()
    staff.post(
        f"/admin/contact/bulk/?ids={contact_id}",
        data={"csrf_token": csrf_token(staff, "/admin/"), "value": f"client_status_id:{groups['status']}"},
    )
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert contact.client_status_id == groups["status"] and contact.status_changed_at is not None


def test_bulk_change_needs_csrf_and_a_valid_value(app, staff, make_contact, groups):
    contact_id = make_contact(client_group_id=groups["old"])
    assert (
        staff.post(
            f"/admin/contact/bulk/?ids={contact_id}", data={"value": f"client_group_id:{groups['new']}"}
        ).status_code
        == 400
    )
    html = staff.post(
        f"/admin/contact/bulk/?ids={contact_id}",
        data={"csrf_token": csrf_token(staff, "/admin/"), "value": "deleted_at:1"},
    ).get_data(as_text=True)
    assert "Not a valid choice" in html
    with app.app_context():
        assert db.session.get(Contact, contact_id).client_group_id == groups["old"]


def test_bulk_payment_without_its_number_is_a_field_error(app, staff, make_contact):
    contact_id = make_contact()
    with app.app_context():
        bulk = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.system_code == "bulk_payment"))
        before = db.session.get(Contact, contact_id).payment_type_id
    url = f"/admin/contact/bulk/?ids={contact_id}"
    html = staff.post(url, data={"csrf_token": csrf_token(staff, "/admin/"), "value": f"payment_type_id:{bulk}"})
    html = html.get_data(as_text=True)
    assert re.search(
        r'id="bulk_payment_number"[^>]*>\s*<div class="invalid-feedback">Bulk payment needs the bulk payment number.<',
        html,
    )
    assert f'<option selected value="payment_type_id:{bulk}">' in html  # the choice survives
    with app.app_context():
        assert db.session.get(Contact, contact_id).payment_type_id == before
    response = staff.post(
        url,
        data={
            "csrf_token": csrf_token(staff, "/admin/"),
            "value": f"payment_type_id:{bulk}",
            "bulk_payment_number": "SIP-42",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.payment_type_id, contact.bulk_payment_number) == (bulk, "SIP-42")


def test_group_status_and_location_can_be_cleared_and_nothing_is_chosen_at_first(app, staff, make_contact, groups):
    with app.app_context():
        tower = Location(name="Tower")
        db.session.add(tower)
        db.session.commit()
        tower = tower.id
    contact_id = make_contact(client_group_id=groups["old"], client_status_id=groups["status"], location_id=tower)
    url = f"/admin/contact/bulk/?ids={contact_id}"
    page = staff.get(url).get_data(as_text=True)
    assert 'name="value" required><option value="">— Leave everything unchanged —</option>' in page
    assert "selected" not in page  # nothing is chosen for the clerk
    for field, label in (("client_group_id", "Group"), ("client_status_id", "Status"), ("location_id", "Location")):
        assert f'<option value="{field}:none">{label}: clear (none)</option>' in page
    html = staff.post(url, data={"csrf_token": csrf_token(staff, "/admin/"), "value": ""}).get_data(as_text=True)
    assert "Choose what to change." in html
    for field in ("client_group_id", "client_status_id", "location_id"):
        staff.post(url, data={"csrf_token": csrf_token(staff, "/admin/"), "value": f"{field}:none"})
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.client_group_id, contact.client_status_id, contact.location_id) == (None, None, None)
        assert len(db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id)).all()) == 3
