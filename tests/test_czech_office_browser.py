"""Issue 15's clerk in Czech, in a real browser: a date and a price typed as a Czech clerk writes
them, a date picked from the keyboard, and the card showing them, and the time of the change, as
a Czech office reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from models import Service, db

pytestmark = pytest.mark.browser
PRAGUE = ZoneInfo("Europe/Prague")


def prague_minutes(moment: datetime) -> str:
    """`1. 12. 2026 6:05`: how the card writes a moment (Czech writes no leading zero in the hour)."""
    local = moment.astimezone(PRAGUE)
    return f"{local.day}. {local.month}. {local.year} {local.hour}:{local:%M}"


def test_a_czech_clerk_types_dates_and_money_as_they_write_them(
    app, live_server, czech_page, browser_login, make_contact, make_service_type
):
    contact_id = make_contact(name="Dvořák Petr", email="petr@example.cz")
    make_service_type("Internet")
    page = czech_page
    browser_login(page, live_server, "staff")

    # The birth date typed with dots and no spaces.
    page.goto(f"{live_server}/admin/contact/edit/?id={contact_id}")
    page.locator("#birth_date").fill("")
    page.locator("#birth_date").press_sequentially("12.2.1985")
    before = datetime.now(UTC)
    page.get_by_role("button", name="Uložit", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    after = datetime.now(UTC)

    # A service: the price with a decimal comma, the start date picked from the calendar by keyboard.
    page.goto(f"{live_server}/admin/service/new/?contact_id={contact_id}")
    page.locator("#service_type").select_option(label="Internet", force=True)
    page.locator("#tariff_name").fill("Rychlý")
    page.locator("#price").fill("450,50")
    start = page.locator("#start_date")
    start.fill("1. 12. 2026")
    start.press("Alt+ArrowDown")
    dialog = page.get_by_role("dialog", name="Vybrat datum")
    expect(dialog.get_by_role("heading")).to_have_text("prosinec 2026")
    for key in ("ArrowDown", "ArrowRight"):  # a week and a day later
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    expect(start).to_have_value("9. 12. 2026")
    page.get_by_role("button", name="Uložit", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    with app.app_context():
        service = db.session.scalar(sa.select(Service).where(Service.contact_id == contact_id))
        assert (str(service.price), service.start_date.isoformat()) == ("450.50", "2026-12-09")

    page.goto(f"{live_server}/admin/contact/details/?id={contact_id}")
    card = page.locator("body")
    expect(card).to_contain_text("12. 2. 1985")
    expect(page.locator("#card-services")).to_contain_text("450,50\u00a0Kč")
    # The birth date's history entry carries the time of the save in Prague, not UTC.
    entry = page.locator("#card-history .history-entry", has_text="12. 2. 1985").first
    shown = entry.locator(".history-meta").text_content().split(" · ")[1]  # who · when · number
    moments = {prague_minutes(before), prague_minutes(after), prague_minutes(after + timedelta(seconds=1))}
    assert shown.strip().replace("\u00a0", " ") in moments, (shown, moments)
