"""Typing and picking dates in a real browser, in Czech (static/admin/date_picker.js)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from models import Contact, db

pytestmark = pytest.mark.browser


def focused_date(page) -> str | None:
    return page.evaluate("document.activeElement.getAttribute('data-date')")


def test_type_a_czech_date_then_pick_one_from_the_keyboard(app, live_server, czech_page, browser_login, make_contact):
    contact_id = make_contact(email="jan@example.cz")  # invoices go by e-mail
    page = czech_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/edit/?id={contact_id}")
    field = page.locator("#birth_date")

    # Typed key by key, nothing rewrites it (Flask-Admin's picker made the first key 0001-01-01…).
    field.press_sequentially("12.2.1985")
    expect(field).to_have_value("12.2.1985")
    dialog = page.get_by_role("dialog", name="Vybrat datum")
    expect(dialog).to_be_hidden()

    # Alt+Down opens the calendar at the typed day, in Czech, weeks from Monday.
    field.press("Alt+ArrowDown")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("únor 1985")
    headers = dialog.locator("thead th")
    expect(headers).to_have_text(["po", "út", "st", "čt", "pá", "so", "ne"])
    assert headers.first.get_attribute("abbr") == "pondělí"
    assert focused_date(page) == "1985-02-12"
    expect(dialog.locator("td[aria-selected=true]")).to_have_text("12")

    # Arrows move by day and week, Page Down by month; Enter picks and focus returns to the input.
    for key in ("ArrowRight", "ArrowDown", "ArrowDown", "ArrowLeft", "PageDown"):
        page.keyboard.press(key)
    assert focused_date(page) == "1985-03-26"
    expect(dialog.get_by_role("heading")).to_have_text("březen 1985")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(field).to_have_value("26. 3. 1985")
    expect(field).to_be_focused()

    # The button beside the field opens it too; Escape closes it and leaves the value alone.
    page.get_by_role("button", name="Vybrat datum").click()
    expect(dialog).to_be_visible()
    assert focused_date(page) == "1985-03-26"
    page.keyboard.press("PageUp")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(field).to_have_value("26. 3. 1985")
    expect(field).to_be_focused()

    page.get_by_role("button", name="Uložit", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    with app.app_context():
        assert db.session.get(Contact, contact_id).birth_date == date(1985, 3, 26)


def test_a_wrong_date_comes_back_as_typed_with_the_format_beside_it(
    app, live_server, czech_page, browser_login, make_contact
):
    contact_id = make_contact(email="jan@example.cz")
    page = czech_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/edit/?id={contact_id}")
    page.locator("#birth_date").fill("31.2.1985")
    page.get_by_role("button", name="Uložit", exact=True).click()
    field = page.locator("#birth_date")
    expect(field).to_have_value("31.2.1985")
    # The message is shown although the input and its button are wrapped in one group.
    message = page.locator(".date-picker-group ~ .invalid-feedback")
    expect(message).to_be_visible()
    expect(message).to_contain_text("12. 2. 1985")
    with app.app_context():
        assert db.session.get(Contact, contact_id).birth_date is None


def test_the_created_filter_is_typed_with_an_example_in_czech(live_server, czech_page, browser_login, make_contact):
    make_contact()
    page = czech_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/")
    page.locator(".field-filters").locator("xpath=preceding-sibling::a").click()  # "Přidat filtr"
    page.locator("a.filter", has_text="Vytvořeno").click()
    field = page.locator("input.filter-val")
    expect(field).to_have_attribute("placeholder", "např. 1. 2. 2026 – 28. 2. 2026")
    field.press_sequentially("1.2.2026 – 28.2.2026")
    expect(field).to_have_value("1.2.2026 – 28.2.2026")
    expect(page.locator(".daterangepicker")).to_have_count(0)  # Flask-Admin's English picker is not there
