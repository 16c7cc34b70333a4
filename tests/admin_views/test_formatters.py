"""Every model view's lists, record pages and exports write values as the user's locale does."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from models import Contact, db
from tests.helpers import visible_text

NBSP = "\xa0"
CZECH = {"Accept-Language": "cs"}
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def service(app, make_contact, make_service):
    contact_id = make_contact(name="Černý Karel", birth_date=date(1985, 2, 12), opening_balance=Decimal("1450.50"))
    make_service(contact_id, price=Decimal("1450.50"), start_date=date(2026, 2, 1))
    return contact_id


def test_the_list_shows_money_and_dates_in_czech(staff, service):
    html = staff.get("/admin/service/", headers=CZECH).get_data(as_text=True)
    text = visible_text(html)  # (which reads a non-breaking space as a space)
    assert f"1{NBSP}450,50{NBSP}Kč" in html and "1. 2. 2026" in text
    assert "1450.50" not in text and "2026-02-01" not in text


def test_the_list_shows_money_and_dates_in_english(staff, service):
    html = staff.get("/admin/service/", headers=ENGLISH).get_data(as_text=True)
    assert f"CZK{NBSP}1,450.50" in html and "Feb 1, 2026" in visible_text(html)


def test_the_card_shows_money_dates_and_yes_or_no_in_czech(staff, service):
    html = staff.get(f"/admin/contact/details/?id={service}", headers=CZECH).get_data(as_text=True)
    text = visible_text(html)
    assert "12. 2. 1985" in text and "1985-02-12" not in text
    assert html.count(f"1{NBSP}450,50{NBSP}Kč") == 2  # the opening balance and the service's price
    assert "True" not in text and "False" not in text


def test_a_yes_or_no_column_has_a_czech_title(admin):
    html = admin.get("/admin/user/", headers=CZECH).get_data(as_text=True)
    assert 'class="fa fa-check-circle" title="Ano"' in html and "active: true" not in html


def test_the_csv_export_keeps_iso_dates_and_decimal_points(staff, service):
    csv = staff.get("/admin/service/export/csv/", headers=CZECH).get_data(as_text=True)
    assert "1450.50" in csv and "2026-02-01" in csv and "Kč" not in csv


def test_a_deleted_contacts_time_is_shown_in_the_locale(app, staff, make_contact):
    contact_id = make_contact(name="Smazaný Jan")
    with app.app_context():
        db.session.get(Contact, contact_id).deleted_at = datetime(2026, 12, 1, 12, 5)
        db.session.commit()
    text = visible_text(staff.get("/admin/deleted_contact/", headers=CZECH).get_data(as_text=True))
    assert "1. 12. 2026 13:05" in text
