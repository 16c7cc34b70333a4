"""The panel driven through a real browser: JavaScript widgets, redirects and CSRF as a clerk meets them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from models import Contact, db

pytestmark = pytest.mark.browser


def choose_select2(page, field_id: str, label: str) -> None:
    """Pick `label` in a Select2 widget the way a clerk does: open the dropdown, click the option."""
    # Flask-Admin ships Select2 3.5: the real <select> is hidden behind a `#s2id_<field>` container.
    page.click(f"#s2id_{field_id} a.select2-choice")
    page.locator("#select2-drop").get_by_role("option", name=label, exact=True).click()
    expect(page.locator(f"#s2id_{field_id} .select2-chosen")).to_have_text(label)


def test_clerk_creates_contact_and_finds_it_in_list(live_server, browser_page, browser_login, app, make_invoice_group):
    make_invoice_group(name="North")
    make_invoice_group(name="South")
    page = browser_page
    browser_login(page, live_server, "staff")

    page.goto(f"{live_server}/admin/contact/new/")
    expect(page.locator("#client_number")).to_have_value("1")
    # The token is what lets the save through: CSRFProtect refuses any POST without it.
    expect(page.locator("form.admin-form input[name=csrf_token]")).to_have_value(re.compile(r".+"))
    page.fill("#name", "Dvořáková Marie")
    page.fill("#street", "Karlova 12")
    page.fill("#postcode", "602 00")
    page.fill("#city", "Brno")
    page.fill("#email", "marie@example.cz")
    # Neither choice is the first option, so a widget that fails to submit would show in the database.
    choose_select2(page, "invoice_group", "South")
    choose_select2(page, "payment_type", "Cash")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/admin/contact/edit/\?id=\d+"))
    expect(page.get_by_text("Record was successfully created.")).to_be_visible()
    page.goto(f"{live_server}/admin/contact/")
    row = page.locator("table.model-list tbody tr", has_text="Dvořáková Marie")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Brno")
    expect(row).to_contain_text("South")

    with app.app_context():
        contact = db.session.scalar(sa.select(Contact).where(Contact.name == "Dvořáková Marie"))
        assert (contact.client_number, contact.invoice_group.name, contact.payment_type.name) == (1, "South", "Cash")


def test_anonymous_visit_goes_through_login_and_back(live_server, browser_page, browser_login):
    page = browser_page
    page.goto(f"{live_server}/admin/contact/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.locator("input[name=password]")).to_be_visible()

    browser_login(page, live_server, "staff")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/admin/contact/\??$"))
    expect(page.locator("table.model-list")).to_be_visible()
