"""The contact form in a real browser: live toggles, the live duplicate warning, the one-time password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def contact_form(live_server, browser_page, browser_login, make_invoice_group):
    """The new-contact form, open in the browser for a staff user."""
    make_invoice_group(name="Main")
    browser_login(browser_page, live_server, "staff")
    browser_page.goto(f"{live_server}/admin/contact/new/")
    return browser_page


def fill_required(page, name="Svoboda Karel"):
    page.fill("#name", name)
    page.fill("#street", "Na Příkopě 5")
    page.fill("#postcode", "110 00")
    page.fill("#city", "Praha")
    page.fill("#email", "karel@example.cz")


def test_corporate_block_toggles_without_reload(contact_form):
    page = contact_form
    company = page.locator("#company_name")
    expect(company).to_be_hidden()
    page.check("#is_corporate")
    expect(company).to_be_visible()
    expect(page.locator("#vat_id")).to_be_visible()
    page.uncheck("#is_corporate")
    expect(company).to_be_hidden()


def test_installation_address_shows_only_when_ticked(contact_form):
    page = contact_form
    expect(page.locator("#install_street")).to_be_hidden()
    page.check("#has_different_address")
    expect(page.locator("#install_street")).to_be_visible()


def test_live_duplicate_warning_links_the_existing_contact(contact_form, make_contact, live_server):
    other_id = make_contact(
        client_number=777, name="Firma Existující", is_corporate=True, company_name="Firma a.s.", company_id="25596641"
    )
    page = contact_form
    page.check("#is_corporate")
    page.fill("#company_id", "25596641")
    hint = page.locator("#company_id-duplicates a")
    expect(hint).to_have_text("777 Firma Existující")
    expect(hint).to_have_attribute("href", f"/admin/contact/edit/?id={other_id}")
    page.fill("#company_id", "")
    expect(page.locator("#company_id-duplicates a")).to_have_count(0)


def test_one_time_password_is_shown_after_save(contact_form):
    page = contact_form
    fill_required(page)
    page.get_by_role("button", name="Save", exact=True).click()
    password = page.locator("#new-portal-password")
    expect(password).to_have_text(re.compile(r"^[A-Za-z0-9]{12}$"))
    page.reload()
    expect(page.locator("#new-portal-password")).to_have_count(0)


def test_three_errors_keep_every_other_typed_value(contact_form):
    page = contact_form
    fill_required(page, name="Černá Alžběta")
    page.fill("#postcode", "1")
    page.fill("#mobile", "12")
    page.fill("#extra_vs_1", "abc")
    page.fill("#internal_note_1", "brána 42")
    page.fill("#gps", "50.0755, 14.4378")
    page.check("#is_marked")
    page.fill("#marked_reason", "VIP")
    page.get_by_role("button", name="Save", exact=True).click()

    for field in ("postcode", "mobile", "extra_vs_1"):
        expect(page.locator(f"#{field}")).to_have_class(re.compile("is-invalid"))
    expect(page.locator(".invalid-feedback", has_text="Use the postcode format 123 45.")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Černá Alžběta")
    expect(page.locator("#street")).to_have_value("Na Příkopě 5")
    expect(page.locator("#email")).to_have_value("karel@example.cz")
    expect(page.locator("#internal_note_1")).to_have_value("brána 42")
    expect(page.locator("#gps")).to_have_value("50.0755, 14.4378")
    expect(page.locator("#mobile")).to_have_value("12")
    expect(page.locator("#marked_reason")).to_be_visible()
    expect(page.locator("#marked_reason")).to_have_value("VIP")


def test_admin_creates_a_group_inline_without_losing_the_form(
    live_server, browser_page, browser_login, make_invoice_group, app
):
    import sqlalchemy as sa

    from models import Contact, db

    make_invoice_group(name="Main")
    page = browser_page
    browser_login(page, live_server, "admin")
    page.goto(f"{live_server}/admin/contact/new/")
    fill_required(page, name="Horák Jiří")
    page.fill("#internal_note_1", "typed before the dialog")
    page.once("dialog", lambda dialog: dialog.accept("VIP Gold"))
    page.click("#client_group-quick-create")
    expect(page.locator("#s2id_client_group .select2-chosen")).to_have_text("VIP Gold")
    expect(page.locator("#name")).to_have_value("Horák Jiří")
    expect(page.locator("#internal_note_1")).to_have_value("typed before the dialog")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Record was successfully created.")).to_be_visible()
    with app.app_context():
        contact = db.session.scalars(sa.select(Contact).where(Contact.name == "Horák Jiří")).one()
        assert contact.client_group.name == "VIP Gold"


def test_staff_gets_no_quick_create_button(contact_form):
    expect(contact_form.locator(".js-quick-create")).to_have_count(0)


@pytest.mark.parametrize(("language", "words"), [("cs", "Použito také u:"), ("en", "Also used by:")])
def test_the_scripts_words_are_in_the_pages_language(
    live_server, chromium, browser_login, make_invoice_group, make_contact, language, words
):
    make_invoice_group(name="Main")
    make_contact(client_number=778, name="Firma Jiná", is_corporate=True, company_id="25596641")
    context = chromium.new_context(locale=language)  # the browser's language: what the page is written in
    context.set_default_timeout(5_000)
    page = context.new_page()
    browser_login(page, live_server, "admin")
    page.goto(f"{live_server}/admin/contact/new/")
    page.check("#is_corporate")
    page.fill("#company_id", "25596641")
    expect(page.locator("#company_id-duplicates")).to_have_text(f"{words} 778 Firma Jiná")
    prompts = []
    page.once("dialog", lambda dialog: (prompts.append(dialog.message), dialog.dismiss()))
    page.click("#client_group-quick-create")
    expect(page.locator("#client_group-quick-create")).to_have_attribute(
        "title", "Nová položka" if language == "cs" else "New entry"
    )
    group = "Skupina" if language == "cs" else "Group"
    assert prompts == [f"Nová položka číselníku {group}:" if language == "cs" else f"New entry for {group}:"]
    context.close()
