"""Services: a contact becomes a client and back, and every change is in the contact's history."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from models import ChangeLog, Contact, Service, db
from tests.helpers import csrf_token


@pytest.fixture
def internet(make_service_type) -> int:
    return make_service_type("Internet")


def service_form(client, contact_id, service_type_id, **overrides) -> dict:
    data = {
        "csrf_token": csrf_token(client, "/admin/"),
        "contact": str(contact_id),
        "service_type": str(service_type_id),
        "tariff_name": "Fiber 500",
        "price": "499",
        "start_date": "2026-01-01",
        "state": "active",
    }
    data.update(overrides)
    return data


def is_client(app, contact_id) -> bool:
    with app.app_context():
        return db.session.get(Contact, contact_id).is_client


def history(app, contact_id) -> list[ChangeLog]:
    with app.app_context():
        entries = db.session.scalars(
            sa.select(ChangeLog).where(ChangeLog.contact_id == contact_id).order_by(ChangeLog.id)
        ).all()
        for entry in entries:
            db.session.expunge(entry)
        return entries


def test_contact_becomes_client_and_back(app, staff, make_contact, internet):
    contact_id = make_contact()
    assert not is_client(app, contact_id)
    assert staff.post("/admin/service/new/", data=service_form(staff, contact_id, internet)).status_code == 302
    assert is_client(app, contact_id)
    with app.app_context():
        service_id = db.session.scalars(sa.select(Service.id)).one()
    response = staff.post(
        f"/admin/service/edit/?id={service_id}",
        data=service_form(
            staff,
            contact_id,
            internet,
            state="suspended",
            suspend_reason="Holiday",
            suspended_from="2026-07-01",
            suspended_to="2026-07-31",
        ),
    )
    assert response.status_code == 302
    assert is_client(app, contact_id)
    staff.post(
        f"/admin/service/edit/?id={service_id}",
        data=service_form(staff, contact_id, internet, state="ended", end_date="2026-08-31"),
    )
    assert not is_client(app, contact_id)
    actions = [entry.action for entry in history(app, contact_id)]
    assert actions == ["service added", "service suspended", "service ended"]
    suspended = history(app, contact_id)[1]
    assert suspended.changes["Fiber 500: state"] == {"old": "active", "new": "suspended"}
    assert suspended.changes["Fiber 500: suspend_reason"] == {"old": None, "new": "Holiday"}


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"state": "suspended"}, "suspend_reason", "Say why the service is suspended."),
        (
            {"state": "suspended", "suspend_reason": "x", "suspended_from": "2026-05-02", "suspended_to": "2026-05-01"},
            "suspended_to",
            "cannot end before it starts",
        ),
        ({"state": "ended"}, "end_date", "needs its end date"),
        ({"state": "ended", "end_date": "2025-01-01"}, "end_date", "cannot end before it starts"),
        ({"price": "-5"}, "price", "Number must be between"),
    ],
)
def test_service_rules_are_field_errors(app, staff, make_contact, internet, overrides, field, message):
    contact_id = make_contact()
    html = staff.post("/admin/service/new/", data=service_form(staff, contact_id, internet, **overrides)).get_data(
        as_text=True
    )
    assert message in html
    assert 'value="Fiber 500"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 0


def test_suspend_link_opens_the_form_with_the_state_chosen(app, staff, make_contact, make_service):
    service_id = make_service(make_contact(), "Internet", tariff_name="Fast", start_date=date(2026, 1, 1))
    html = staff.get(f"/admin/service/edit/?id={service_id}&state=suspended").get_data(as_text=True)
    assert '<option selected value="suspended">' in html
    assert date.today().isoformat() in html


def test_suspended_service_colours_the_contact_row(app, staff, make_contact, make_service):
    make_service(
        make_contact(name="Pozastavený Petr"),
        "Internet",
        tariff_name="Fast",
        state="suspended",
        suspend_reason="debt",
        suspended_from=date(2026, 1, 1),
    )
    html = staff.get("/admin/contact/").get_data(as_text=True)
    assert 'data-kind="suspended"' in html
    html = staff.get("/admin/contact/", query_string={"flt1_has_a_suspended_service_is": "1"}).get_data(as_text=True)
    assert "Pozastavený Petr" in html
