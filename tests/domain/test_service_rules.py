"""Services: what each state needs, the fields other states forget, and the history entries (no HTTP)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.services import clear_fields_of_other_states, service_changes, service_errors
from models import Contact, Service, ServiceType, db

START = date(2026, 1, 10)


def errors(state="active", start=START, end=None, reason=None, suspended_from=None, suspended_to=None):
    return service_errors(state, start, end, reason, suspended_from, suspended_to)


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({}, {}),
        ({"state": "suspended", "reason": "Unpaid", "suspended_from": START}, {}),
        (
            {"state": "suspended", "reason": "  ", "suspended_from": START},
            {"suspend_reason": "Say why the service is suspended."},
        ),
        ({"state": "suspended", "reason": "Unpaid"}, {"suspended_from": "Say from when."}),
        (
            {"state": "suspended", "reason": "Unpaid", "suspended_from": START, "suspended_to": date(2026, 1, 9)},
            {"suspended_to": "The suspension cannot end before it starts."},
        ),
        ({"state": "ended"}, {"end_date": "An ended service needs its end date."}),
        ({"state": "ended", "end": START}, {}),
        ({"state": "ended", "end": date(2026, 1, 9)}, {"end_date": "A service cannot end before it starts."}),
        ({"state": None, "start": None}, {}),
    ],
)
def test_service_state_rules(app, fields, expected):
    with app.app_context():
        assert errors(**fields) == expected


@pytest.mark.parametrize(
    "state,kept",
    [
        ("active", set()),
        ("suspended", {"suspend_reason", "suspended_from", "suspended_to"}),
        ("ended", {"suspend_reason", "suspended_from", "suspended_to", "end_date"}),
    ],
)
def test_a_service_forgets_the_fields_of_other_states(state, kept):
    fields = {"suspend_reason": "Unpaid", "suspended_from": START, "suspended_to": START, "end_date": START}
    service = Service(state=state, **fields)
    clear_fields_of_other_states(service)
    assert {name for name in fields if getattr(service, name) is not None} == kept


def test_service_changes_are_named_by_the_tariff(app, make_contact):
    contact_id = make_contact()
    with app.app_context():
        service = Service(
            contact=db.session.get(Contact, contact_id),
            service_type=ServiceType(name="Internet"),
            tariff_name="Fiber 500",
            price=Decimal(300),
            start_date=START,
        )
        db.session.add(service)
        db.session.commit()
        # Loaded before it is changed, as the edit form loads it.
        db.session.refresh(service)
        service.price = Decimal(350)
        service.state = "suspended"
        changes = service_changes(service)
        assert set(changes) == {"Fiber 500: price", "Fiber 500: state"}
        assert changes["Fiber 500: state"]["new"] == "suspended"
        service.tariff_name = ""
        assert "service: price" in service_changes(service)
