"""The client card and the history list in a real browser: tabs by keyboard, a note added, contrast."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TABS = ("overview", "services", "catv", "persons", "history")


def test_card_tabs_by_keyboard_a_note_and_the_history_in_both_languages(
    live_server, czech_page, browser_page, browser_login, full_contact, axe, screenshot
):
    browser_page.set_viewport_size({"width": 1366, "height": 900})
    for language, page, note in (("cs", czech_page, "Zavolat zítra"), ("en", browser_page, "Call tomorrow")):
        browser_login(page, live_server, "admin")
        page.goto(f"{live_server}/admin/contact/details/?id={full_contact}")
        expect(page.locator("#pane-overview")).to_be_visible()
        expect(page.locator("#pane-overview")).to_contain_text("Česko" if language == "cs" else "Czechia")
        screenshot(page, f"contact-card-{language}")

        # Right arrow walks the tabs (each open and checked for contrast), End and Home jump.
        page.focus("#tab-overview")
        for tab in TABS:
            expect(page.locator(f"#tab-{tab}")).to_be_focused()
            expect(page.locator(f"#tab-{tab}")).to_have_attribute("aria-selected", "true")
            expect(page.locator(f"#pane-{tab}")).to_be_visible()
            assert axe(page) == [], (language, tab)
            page.keyboard.press("ArrowRight")
        expect(page.locator("#tab-overview")).to_be_focused()  # round to the first again
        page.keyboard.press("End")
        expect(page.locator("#pane-history")).to_contain_text("Opava › Nádražní › 12 › R1 › R1-7")
        expect(page).to_have_url(re.compile(r"tab=history"))
        expect(page.locator("#tab-overview")).to_have_attribute("tabindex", "-1")
        page.keyboard.press("Home")
        expect(page.locator("#pane-overview")).to_be_visible()
        expect(page.locator("#pane-history")).to_be_hidden()

        # A note typed on the card is there after saving, with the persons tab open.
        page.click("#tab-persons")
        page.fill("#text", note)
        page.locator("#add-note button[type=submit]").click()
        expect(page.locator("#card-notes")).to_contain_text(note)
        expect(page.locator("#pane-persons")).to_be_visible()
        expect(page.locator("#tab-persons")).to_have_attribute("aria-selected", "true")

        page.goto(f"{live_server}/admin/change_log/")
        expect(page.locator("table.model-list")).to_contain_text(note)
        expect(page.locator("table.model-list")).to_contain_text("Opava › Nádražní › 12 › R1 › R1-7")
        assert axe(page) == [], (language, "history list")
        screenshot(page, f"history-{language}")
