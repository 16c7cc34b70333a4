"""The contact form in one pass, in a real browser: every problem after one save in a summary whose
links focus their fields, the Save bar always in view, sections folded as the clerk left them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import checked_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["cs", "en"])
def test_one_save_shows_every_problem_with_links_and_the_bar_in_view(
    live_server, chromium, browser_login, make_invoice_group, make_contact, axe, screenshot, language
):
    make_invoice_group(name="Main")
    make_contact(client_number=777, name="Svoboda Karel st.", email="karel@example.cz")
    with checked_page(chromium, f"{language}-CZ", viewport={"width": 1366, "height": 900}) as page:
        browser_login(page, live_server, "staff")
        page.goto(f"{live_server}/admin/contact/new/")
        page.fill("#name", "Svoboda Karel")
        page.fill("#street", "Na Příkopě 5")
        page.fill("#city", "Praha")
        page.fill("#email", "karel@example.cz")
        page.fill("#mobile", "12")
        page.fill("#extra_vs_1", "abc")
        page.fill("#internal_note_1", "brána 42")
        page.locator(".form-bar input[type=submit]").first.click()

        # Three errors and a warning after one save, each in the summary and beside its field.
        summary = page.locator("#form-summary")
        expect(summary).to_have_attribute("role", "alert")
        links = summary.locator("li > a[data-field]")
        expect(links).to_have_count(4)
        assert links.evaluate_all("links => links.map(a => a.dataset.field)") == [
            "postcode",
            "mobile",
            "extra_vs_1",
            "email",
        ]
        for field in ("postcode", "mobile", "extra_vs_1"):
            expect(page.locator(f"#{field}")).to_have_class(re.compile("is-invalid"))
        expect(page.locator("#email-duplicates")).to_contain_text("777 Svoboda Karel st.")
        expect(page.locator("#internal_note_1")).to_have_value("brána 42")
        expect(page.locator(".form-bar [name=save_anyway]")).to_be_visible()
        assert axe(page) == []
        screenshot(page, f"contact-form-{language}")

        # The bar is in view at the top of the long form and at its bottom.
        bar = page.locator(".form-bar")
        expect(bar).to_be_in_viewport()
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        expect(bar).to_be_in_viewport()
        page.evaluate("window.scrollTo(0, 0)")

        # A summary link focuses its field, even in a section folded meanwhile.
        page.locator('[aria-controls="section-invoicing"]').click()
        expect(page.locator("#extra_vs_1")).to_be_hidden()
        links.nth(2).click()
        expect(page.locator("#extra_vs_1")).to_be_focused()
        expect(page.locator('[aria-controls="section-invoicing"]')).to_have_attribute("aria-expanded", "true")
        expect(bar).to_be_in_viewport()

        # A folded section stays folded after a reload; opened, it stays open.
        toggle = page.locator('[aria-controls="section-identification"]')
        with page.expect_response(re.compile(r"/admin/preferences/contact_form_folded$")) as folded:
            toggle.click()
        assert folded.value.status == 204
        page.goto(f"{live_server}/admin/contact/new/")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#id_number")).to_be_hidden()
        with page.expect_response(re.compile(r"/admin/preferences/contact_form_folded$")):
            toggle.click()
        expect(page.locator("#id_number")).to_be_visible()
        page.reload()
        expect(page.locator("#id_number")).to_be_visible()
