"""The contact form's cascading CATV socket picker in a real browser (Select2 3.5.2): only levels that
lead to a socket, free sockets first, taken ones marked with their holder and not choosable, the
chosen line shown as one path."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import Street, db

pytestmark = pytest.mark.browser

PICKER = ("catv_city", "catv_street", "catv_building", "catv_switchboard", "socket")


@pytest.fixture
def network(app, make_socket, make_contact):
    """Praha › Vinohradská › 12 › R1 › R1-1 (held by 1500 Dvořák Petr), R1-2, R1-3; Praha › Korunní
    (no building yet); Brno › Masarykova › 7 › B1 › B1-1."""
    chain = make_socket("R1-1", street="Vinohradská")
    make_socket("R1-2", floor=2, street="Vinohradská")
    make_socket("R1-3", floor=3, street="Vinohradská")
    make_socket("B1-1", city="Brno", street="Masarykova", building="7", floors=2, switchboard="B1")
    make_contact(client_number=1500, name="Dvořák Petr", socket_id=chain.socket)
    with app.app_context():
        db.session.add(Street(city_id=chain.city, name="Korunní"))
        db.session.commit()


def pick(page, field: str, typed: str, choice: str) -> None:
    """Open the Select2 box of `field`, type, and click the result `choice`, as a clerk does."""
    page.click(f"#s2id_{field} a.select2-choice")
    page.fill("#select2-drop input.select2-input", typed)
    page.locator("#select2-drop .select2-results li", has_text=re.compile(rf"^{re.escape(choice)}$")).click()
    expect(page.locator(f"#s2id_{field} .select2-chosen")).to_have_text(choice)


def offered(page, field: str, close: bool = True) -> list[str]:
    """The choices Select2 lists for `field` with nothing typed, a taken one (not choosable) in
    brackets; the box is closed again after unless `close` is false."""
    page.click(f"#s2id_{field} a.select2-choice")
    results = page.locator("#select2-drop .select2-results li.select2-result")
    expect(results.first).to_be_visible()
    texts = [
        text if "select2-result-selectable" in classes else f"[{text}]"
        for text, classes in zip(results.all_inner_texts(), results.evaluate_all("rows => rows.map(r => r.className)"))
    ]
    if close:
        page.keyboard.press("Escape")
    return texts


TAKEN = "[R1-1 — taken by 1500 Dvořák Petr]"


def test_pick_a_socket_save_reopen_and_change_the_city(
    live_server, browser_page, browser_login, make_invoice_group, network, screenshot
):
    make_invoice_group(name="Main")
    page = browser_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/new/")
    path = page.locator("#socket-path")

    pick(page, "catv_city", "Pra", "Praha")
    assert offered(page, "catv_street") == ["Vinohradská"]  # Korunní has no building, so no socket
    pick(page, "catv_street", "Vino", "Vinohradská")
    pick(page, "catv_building", "", "12")
    pick(page, "catv_switchboard", "", "R1")
    expect(path).to_have_text("CATV line: Praha › Vinohradská › 12 › R1")
    assert offered(page, "socket", close=False) == ["R1-2", "R1-3", TAKEN]
    screenshot(page, "socket-picker-en")
    page.locator("#select2-drop li.select2-disabled").click()  # a taken socket cannot be chosen:
    expect(page.locator("#select2-drop")).to_be_visible()  # the list stays open, nothing chosen
    page.locator("#select2-drop input.select2-input").press("Escape")
    expect(page.locator("#select2-drop")).to_be_hidden()
    expect(page.locator("#socket")).to_have_value("")
    pick(page, "socket", "2", "R1-2")
    expect(path).to_have_text("CATV line: Praha › Vinohradská › 12 › R1 › R1-2")

    page.fill("#name", "Svoboda Karel")
    page.fill("#street", "Vinohradská 12")
    page.fill("#postcode", "120 00")
    page.fill("#city", "Praha")
    page.fill("#email", "karel@example.cz")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("successfully")

    page.goto(page.url)  # reopen the edit form
    expect(page).to_have_url(re.compile(r"/admin/contact/edit/\?id=\d+"))
    for field, text in zip(PICKER, ("Praha", "Vinohradská", "12", "R1", "R1-2")):
        expect(page.locator(f"#s2id_{field} .select2-chosen")).to_have_text(text)
    expect(path).to_have_text("CATV line: Praha › Vinohradská › 12 › R1 › R1-2")
    # The prefilled chain still narrows the lookups; the contact's own socket is free to it.
    assert offered(page, "socket") == ["R1-2", "R1-3", TAKEN]

    pick(page, "catv_city", "Brno", "Brno")
    for field in PICKER[1:]:
        expect(page.locator(f"#{field}")).to_have_value("")
        expect(page.locator(f"#s2id_{field} .select2-chosen")).not_to_have_text(re.compile(r"Vinohradská|12|R1"))
    expect(path).to_have_text("CATV line: Brno")
    assert offered(page, "catv_street") == ["Masarykova"]


def test_the_picker_speaks_czech(live_server, czech_page, browser_login, make_invoice_group, network, screenshot):
    make_invoice_group(name="Main")
    page = czech_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/new/")
    for field, text in zip(PICKER, ("Praha", "Vinohradská", "12", "R1")):
        pick(page, field, "", text)
    expect(page.locator("#socket-path")).to_have_text("Přípojka KTV: Praha › Vinohradská › 12 › R1")
    assert offered(page, "socket", close=False) == ["R1-2", "R1-3", "[R1-1 — obsazeno: 1500 Dvořák Petr]"]
    screenshot(page, "socket-picker-cs")
