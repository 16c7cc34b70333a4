"""Every list export defuses formulas: a cell a spreadsheet would run gets a leading apostrophe."""

from __future__ import annotations

import csv
import io

import pytest

from admin_views.formatters import FORMULA_STARTS
from models import (
    ChangeLog,
    ClientGroup,
    ClientStatus,
    Contact,
    ContactPerson,
    InfoMessage,
    Location,
    Note,
    PaymentType,
    ServiceType,
    SocketAssignment,
    User,
    db,
    utcnow,
)
from tests.helpers import export_csv

ATTACK = "-2+3+cmd|' /C calc'!A0"
# Views whose columns cannot hold a formula-like text (the settings: fixed choices and numbers).
NO_FREE_TEXT = {"setting"}


@pytest.fixture
def formulas_everywhere(app, make_contact, make_service, make_socket, make_invoice_group):
    """A row with a formula-like text in every exportable list."""
    chain = make_socket("=label", city="=city", street="+street", building="@1", switchboard="=R1")
    make_invoice_group(name="@SUM(A1)")
    contact_id = make_contact(name=ATTACK)
    make_contact(name="=deleted", deleted_at=utcnow())
    make_service(contact_id, tariff_name="=tariff")
    with app.app_context():
        for model in (ClientGroup, ClientStatus, Location, ServiceType):
            db.session.add(model(name="=HYPERLINK(1)"))
        db.session.add(PaymentType(name="+payment"))
        db.session.add(ContactPerson(contact_id=contact_id, name="@person"))
        db.session.add(Note(contact_id=contact_id, text="\r=note"))
        db.session.add(ChangeLog(contact_id=contact_id, action="=edit", changes={}))
        db.session.add(SocketAssignment(socket_id=chain.socket, contact_id=contact_id))
        db.session.add(InfoMessage(title="\t=message"))
        db.session.add(User(username="=user", full_name="=evil", password_hash="x"))
        db.session.get(Contact, contact_id).client_number = 4242
        db.session.commit()


def read_export(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/csv", url
    text = response.get_data(as_text=True).lstrip("\ufeff")
    response.close()
    return list(csv.reader(io.StringIO(text)))


def test_every_csv_export_defuses_formulas(app, admin, formulas_everywhere):
    views = [v for v in app.extensions["admin"][0]._views if getattr(v, "can_export", False)]
    assert len(views) >= 20
    for view in views:
        rows = read_export(admin, f"/admin/{view.endpoint}/export/csv/")
        cells = [cell for row in rows[1:] for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], view.endpoint
        if view.endpoint not in NO_FREE_TEXT:
            assert [cell for cell in cells if cell.startswith("'")], view.endpoint


def test_the_contacts_export_defuses_a_formula_behind_a_digit(staff, formulas_everywhere):
    names = [row[1] for row in export_csv(staff)[1:]]
    assert "'" + ATTACK in names
