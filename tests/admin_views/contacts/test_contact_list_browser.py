"""The contacts list in a real browser: search, a status filter, row colours and marking, ticked
rows, and the list as a clerk's screen shows it (1366×900: rows on one line, contrast, columns)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from models import ClientGroup, ClientStatus, db

pytestmark = pytest.mark.browser

ROWS = "table.contact-list tbody tr"


def expect_edge(page, name: str, colour: str) -> None:
    """`name`'s row shows `colour` as the narrow edge at its start, its text on the list's own background."""
    row = page.locator(ROWS, has_text=name).first
    expect(row.locator("td").first).to_have_css("box-shadow", f"{colour} 5px 0px 0px 0px inset")
    expect(row.locator("td.col-name")).not_to_have_css("background-color", colour)


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
    expect_edge(page, "Novák Jan", "rgb(255, 238, 186)")
    badge = page.locator(ROWS, has_text="Novák Jan").first.locator("td.col-client_status .status-badge")
    expect(badge).to_have_text("Late payer")
    expect(badge).to_have_css("color", "rgb(0, 0, 0)")

    page.locator("table.model-list tbody tr", has_text="Novák Jan").locator("a[title='Edit Record']").click()
    page.check("#is_marked")
    page.fill("#marked_reason", "Pays in cash")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Record was successfully saved.")).to_be_visible()
    page.goto(f"{live_server}/admin/contact/?search=novak")
    expect_edge(page, "Novák Jan", "rgb(40, 167, 69)")  # marked: green
    expect_edge(page, "Nováková Eva", "rgb(255, 238, 186)")
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


# Long values as a clerk meets them: a family's double surname, a firm's full name, a long street.
LONG_VALUES = {
    "company_name": "Stavební společnost Horák a synové, s.r.o.",
    "street": "Nábřeží Kapitána Jaroše 1234/56",
    "city": "Praha 7 – Holešovice",
    "email": "kristyna.prochazkova-dvorakova@stavebni-spolecnost-horak.cz",
    "phone": "+420601123456",
}


def row_heights(page) -> list[float]:
    return page.evaluate(f"[...document.querySelectorAll('{ROWS}')].map(row => row.getBoundingClientRect().height)")


def check_the_screen(page, axe) -> None:
    """At 1366×900: 20 rows and more on screen, each one line, no sideways scroll, readable text."""
    bottoms = page.evaluate(f"[...document.querySelectorAll('{ROWS}')].map(row => row.getBoundingClientRect().bottom)")
    assert len([bottom for bottom in bottoms if bottom <= 900]) >= 20
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    heights = row_heights(page)
    assert len(heights) >= 50 and max(heights) - min(heights) <= 1 and max(heights) < 36, heights
    assert axe(page) == []


def test_the_list_fits_a_clerks_screen(
    app, runner, live_server, czech_page, browser_login, make_contact, make_service, axe, screenshot
):
    assert runner.invoke(args=["demo-data", "--contacts", "60", "--seed", "3"]).exit_code == 0
    with app.app_context():
        statuses = db.session.execute(sa.select(ClientStatus.name, ClientStatus.id).order_by(ClientStatus.id)).all()
    # Their names sort first: every status colour, a marked and a suspended contact are on the screen.
    for n, (_, status_id) in enumerate(statuses):
        make_contact(name=f"Adámková-Procházková Kristýna Alžběta {n}", client_status_id=status_id, **LONG_VALUES)
    make_contact(name="Adámek Bohumil", is_marked=True, marked_reason="Platí hotově", client_status_id=statuses[1].id)
    make_service(make_contact(name="Adamec Oldřich", **LONG_VALUES), state="suspended")
    page = czech_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/")

    check_the_screen(page, axe)
    for name, _ in statuses:
        expect(page.locator(f"{ROWS}.row-status .status-badge", has_text=name).first).to_be_visible()
    expect_edge(page, "Adámek Bohumil", "rgb(40, 167, 69)")
    expect_edge(page, "Adamec Oldřich", "rgb(214, 51, 132)")
    legend = page.locator("#colour-legend")
    for text in ("Označený klient", "Pozastavená služba", *(name for name, _ in statuses)):
        expect(legend).to_contain_text(text)
    # A value cut off with "…" shows whole on hover.
    email = page.locator(ROWS, has_text="Adamec Oldřich").locator("td.col-email")
    email.hover()
    expect(email).to_have_attribute("title", LONG_VALUES["email"])
    screenshot(page, "contact-list-cs")
    # The column names stay in view.
    page.mouse.wheel(0, 600)
    page.wait_for_function("scrollY >= 600")
    assert abs(page.locator("table.contact-list thead th.col-name").bounding_box()["y"]) <= 1

    # The clerk hides the e-mails: gone at once, and still gone when the list is opened again.
    page.get_by_text("Sloupce", exact=True).click()
    with page.expect_response(re.compile("/admin/preferences/contact_list_columns")) as saved:
        page.get_by_label("E-mail", exact=True).uncheck()
    assert saved.value.status == 204
    expect(page.locator("table.contact-list td.col-email").first).to_be_hidden()
    screenshot(page, "contact-list-columns-cs")
    page.reload()
    expect(page.locator("table.contact-list .col-email")).to_have_count(0)
    expect(page.locator(ROWS).first.locator("td.col-phone")).to_be_visible()
    page.get_by_text("Sloupce", exact=True).click()
    with page.expect_navigation():  # shown again: the page is read again with the column
        page.get_by_label("E-mail", exact=True).check()
    expect(page.locator("table.contact-list th.col-email")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("#colour-legend")).to_contain_text("Marked client")
    check_the_screen(page, axe)
    screenshot(page, "contact-list-en")
