"""The full export: every contact field, under headers the import maps by itself; exported,
imported into an empty database and exported again, the file is the same, byte for byte."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.contact_fields import FIELDS
from domain.imports.run import Plan, commit
from domain.passwords import set_user_password
from domain.settings import ensure_reference_data
from models import ClientGroup, ClientStatus, InvoiceGroup, Location, User, db
from tests.helpers import PASSWORDS, downloaded, log_in, make_app

CODE_LISTS = {ClientGroup: "VIP", ClientStatus: "Aktivní", Location: "Sever"}


def add_code_lists() -> dict[str, int]:
    ids = {}
    for model, name in CODE_LISTS.items():
        entry = model(name=name)
        db.session.add(entry)
        db.session.flush()
        ids[model.__tablename__] = entry.id
    group = InvoiceGroup(name="Domácnosti", company_name="Provider s.r.o.", series_prefix="FA")
    db.session.add(group)
    db.session.commit()
    return ids | {"invoice_group": group.id}


@pytest.fixture
def empty_app(database, tmp_path):
    """A second app on an empty database of its own (reference data and the test users only)."""
    other = make_app(database.second_url(), INSTANCE_PATH=str(tmp_path / "other-instance"))
    with other.app_context():
        ensure_reference_data()
        user = User(username="staff", full_name="Test staff", role="staff")
        set_user_password(user, PASSWORDS["staff"])
        db.session.add(user)
        add_code_lists()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def varied_contacts(app, make_contact):
    """Contacts that fill every kind of field: texts, formulas, code lists, dates, money, GPS, flags."""
    with app.app_context():
        ids = add_code_lists()
    common = {"invoice_group_id": ids["invoice_group"]}
    make_contact(
        client_number=1001,
        name="Novák Jan",
        is_corporate=True,
        company_name="Novák & syn",
        contact_person="Jana",
        country="CZ",
        gps_lat=Decimal("50.075525"),
        gps_lon=Decimal("14.437801"),
        floor="2",
        has_different_address=True,
        install_street="Polní 3",
        install_postcode="602 00",
        install_city="Brno",
        install_country="CZ",
        id_number="AB123456",
        birth_date=date(1985, 2, 12),
        company_id="25596641",
        vat_id="CZ25596641",
        email="jan@example.cz, jana@example.cz",
        phone="+420601123456",
        www="https://example.cz",
        is_marked=True,
        marked_reason="Dluží\nod ledna",
        portal_login="novak",
        client_group_id=ids["client_group"],
        client_status_id=ids["client_status"],
        location_id=ids["location"],
        internal_note_1='=HYPERLINK("x")',
        bank_account="19-2000145399/0800",
        opening_balance=Decimal("-1250.50"),
        suspend_mode="individual",
        suspend_min_amount=Decimal("300.00"),
        suspend_days_after_due=14,
        extra_vs_1=555,
        invoice_by_email=True,
        **common,
    )
    make_contact(client_number=1002, name="Dvořáková Eva", portal_login="1002", invoice_by_email=False, **common)
    make_contact(client_number=1003, name="Adam Petr", portal_login="1003", invoice_by_email=False, **common)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_import_export_gives_the_same_file(app, staff, empty_app, varied_contacts, tmp_path, kind):
    exported = downloaded(staff, f"/admin/contact/export/full-{kind}/")
    path = tmp_path / f"contacts.{kind}"
    path.write_bytes(exported)

    with empty_app.test_request_context():
        report = commit(Plan(str(path)))
        assert report.committed and report.added == 3, report.problems + report.file_errors
        assert report.mapping == [field.name for field in FIELDS]  # our headers map themselves
    other = empty_app.test_client()
    log_in(other, "staff")
    again = downloaded(other, f"/admin/contact/export/full-{kind}/")
    assert again == exported


def test_the_export_menu_offers_the_full_export(staff, varied_contacts):
    html = staff.get("/admin/contact/").get_data(as_text=True)
    assert "/admin/contact/export/full-csv/" in html and "/admin/contact/export/full-xlsx/" in html
    text = downloaded(staff, "/admin/contact/export/full-csv/", search="Dvořáková").decode()
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 2 and lines[1].startswith("1002,Dvořáková Eva,No,")  # the list's search applies
