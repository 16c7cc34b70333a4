"""The contacts list in a real browser: search, a status filter, coloured rows and marking."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import ClientGroup, ClientStatus, db

pytestmark = pytest.mark.browser


def expect_colour(page, name: str, colour: str) -> None:
    """The name cell of `name`'s row gets `colour` (waiting for the list script, under load too)."""
    cell = page.locator("table.model-list tbody tr", has_text=name).first.locator("td.col-name")
    expect(cell).to_have_css("background-color", colour)


def test_search_filter_colours_and_marking(app, live_server, browser_page, browser_login, make_contact):
    with app.app_context():
        late = ClientStatus(name="Late payer", colour="#ffeeba")
        db.session.add(late)
        db.session.commit()
        late_id = late.id
    make_contact(name="Novák Jan", client_status_id=late_id, email="jan@example.cz")
    make_contact(name="Nováková Eva", client_status_id=late_id, email="eva@example.cz")
    make_contact(name="Svoboda Petr")
    page = browser_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/")

    page.fill("input[name=search]", "novak")
    page.keyboard.press("Enter")
    rows = page.locator("table.model-list tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table.model-list")).not_to_contain_text("Svoboda")

    page.goto(f"{live_server}/admin/contact/?search=novak&flt1_status_equals={late_id}")
    expect(rows).to_have_count(2)
    expect(page.locator("#colour-legend")).to_contain_text("Late payer")
    expect(page.locator("#colour-legend")).to_contain_text("Marked client")
    expect_colour(page, "Novák Jan", "rgb(255, 238, 186)")

    page.locator("table.model-list tbody tr", has_text="Novák Jan").locator("a[title='Edit Record']").click()
    page.check("#is_marked")
    page.fill("#marked_reason", "Pays in cash")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Record was successfully saved.")).to_be_visible()
    page.goto(f"{live_server}/admin/contact/?search=novak")
    expect_colour(page, "Novák Jan", "rgb(195, 230, 203)")
    expect_colour(page, "Nováková Eva", "rgb(255, 238, 186)")
    expect(page.locator("table.model-list tbody tr", has_text="Novák Jan").first).to_have_attribute(
        "title", re.compile("Pays in cash")
    )


def test_rows_ticked_in_the_list_go_to_a_bulk_change(app, live_server, browser_page, browser_login, make_contact):
    with app.app_context():
        group = ClientGroup(name="Ticked")
        db.session.add(group)
        db.session.commit()
        group_id = group.id
    for name in ("Bulk Adam", "Bulk Bára", "Bulk Cyril"):
        make_contact(name=name)
    page = browser_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/?search=bulk")
    for name in ("Bulk Adam", "Bulk Cyril"):
        page.locator("table.model-list tbody tr", has_text=name).locator("input.action-checkbox").check()
    page.get_by_role("button", name="With selected").click()
    page.get_by_text("Change group, status, location, payment, invoice group or mark…").click()
    expect(page.locator("#bulk-count")).to_contain_text("This will change 2 contacts.")
    page.select_option("#value", f"client_group_id:{group_id}")
    page.get_by_role("button", name="Change them").click()
    expect(page.get_by_text("2 contacts changed.")).to_be_visible()
    expect(
        page.locator("table.model-list tbody tr", has_text="Bulk Cyril").locator("td.col-client_group")
    ).to_have_text("Ticked")
    expect(page.locator("table.model-list tbody tr", has_text="Bulk Bára").locator("td.col-client_group")).to_have_text(
        ""
    )
