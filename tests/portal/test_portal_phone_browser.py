"""The portal on a 390 px phone, in Czech and English: no page is wider than the screen however long
the client's e-mails, street and name, text keeps its contrast, the keyboard reaches the skip link
and then the menu, errors are tied to their inputs, and tap targets are 44 px tall."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from models import ContactPerson, InfoMessage, db
from tests.conftest import checked_page
from tests.helpers import PORTAL_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_EMAIL = "zbigniew.maksymilian.kowalski-przybyszewski.faktury@velmi-dlouha-domena-poskytovatele.example.cz"
# Besides contrast: what a screen reader and a keyboard need (axe-core's rules of those names).
RULES = (
    "color-contrast",
    "label",
    "heading-order",
    "aria-valid-attr-value",
    "skip-link",
    "landmark-one-main",
    "region",
    "html-has-lang",
    "document-title",
    "link-name",
    "button-name",
    "target-size",
)
# Every element's box, and the page, stay within the screen's width.
TOO_WIDE = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(element => element.getBoundingClientRect().right > width + 0.5)
    .map(element => element.tagName + ' ' + (element.textContent || '').trim().slice(0, 40));
  if (document.documentElement.scrollWidth > width) { wide.push('page ' + document.documentElement.scrollWidth); }
  return wide;
}"""
# Tap targets lower than 44 px (a checkbox's target is its label); links inside an info message's text are text.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a, button, input:not([type=hidden]):not([type=checkbox]), label:has(input[type=checkbox])')]
  .filter(element => !element.closest('.info-message div') && element.getClientRects().length)
  .filter(element => element.getBoundingClientRect().height < 44)
  .map(element => element.tagName + ' ' + element.textContent.trim())"""
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden])')]
  .filter(input => !input.labels.length).map(input => input.id)"""


@pytest.fixture
def long_client(app, make_portal_client, make_service):
    """A client whose name, company, street and e-mails are as long as real ones get, with a
    contact person, four services and an info message."""
    contact_id = make_portal_client(
        client_number=7001,
        name="Kowalski-Przybyszewski Zbigniew Maksymilian",
        company_name="Společenství vlastníků jednotek Nábřeží Kapitána Jaroše 1234",
        street="Nábřeží Kapitána Jaroše a Generála Františka Moravce 1234/56a",
        city="Frýdlant nad Ostravicí-Nová Dědina",
        email=f"{LONG_EMAIL}, druha.adresa.pro.upominky.a.vyuctovani@example.cz",
        invoice_email=LONG_EMAIL,
    )
    make_service(contact_id, tariff_name="Optika 1000/1000 Mbit/s s pevnou IP adresou", price=Decimal("1250.50"))
    make_service(contact_id, "TV", tariff_name="Kabelová televize Rozšířená", start_date=date(2026, 1, 1))
    make_service(contact_id, "Telefon", tariff_name="Pevná linka", state="suspended", price=Decimal(99))
    make_service(contact_id, tariff_name="Wi-Fi 20", state="ended", price=Decimal(300))
    with app.app_context():
        db.session.add(ContactPerson(contact_id=contact_id, name="Kowalska-Przybyszewska Ingrid", role="manželka"))
        db.session.add(
            InfoMessage(
                title="Odstávka / Planned outage",
                body=f"<p>Psát na <b>{LONG_EMAIL}</b> nebo https://www.example.cz/odstavky/2026/prosinec/opava</p>",
            )
        )
        db.session.commit()
    return contact_id


def check(page, axe, name: str) -> None:
    """The page fits the phone, passes axe's rules, labels every input and has no small tap target."""
    page.wait_for_load_state()
    assert page.evaluate(TOO_WIDE) == [], name
    assert axe(page, rules=RULES) == [], name
    assert page.evaluate(UNLABELLED) == [], name
    assert page.evaluate(SMALL_TARGETS) == [], name


def tab_order(page, count: int) -> list[str]:
    """The text of the first `count` elements the Tab key reaches on a page just opened."""
    texts = []
    for _ in range(count):
        page.keyboard.press("Tab")
        texts.append(page.evaluate("document.activeElement.textContent.trim()"))
    return texts


def assert_error_is_tied_to(page, field: str) -> None:
    """The refused page came back with the field's error, named by the field's aria-describedby."""
    expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    described = page.locator(f"#{field}").get_attribute("aria-describedby")
    expect(page.locator(f"#{described.split()[0]}.error")).to_be_visible()


@pytest.mark.parametrize(
    ("locale", "lang", "words"),
    [
        ("cs-CZ", "cs", ("Přeskočit na obsah", "Přehled", "Moje údaje", "Heslo", "Odhlásit se")),
        ("en-US", "en", ("Skip to the content", "Overview", "My details", "Password", "Log out")),
    ],
)
def test_every_portal_page_fits_a_phone_and_works_with_the_keyboard(
    chromium, live_server, long_client, axe, screenshot, locale, lang, words
):
    with checked_page(chromium, locale, viewport=PHONE) as page:
        page.goto(f"{live_server}/portal/login")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        check(page, axe, "login")
        screenshot(page, f"portal-login-{lang}")
        assert tab_order(page, 1) == [words[0]]
        page.fill("#login", "7001")
        page.fill("#password", "wrong")
        page.keyboard.press("Enter")
        assert_error_is_tied_to(page, "password")
        check(page, axe, "login refused")

        page.fill("#password", PORTAL_PASSWORD)
        page.keyboard.press("Enter")
        expect(page.locator("#portal-email")).to_contain_text(LONG_EMAIL)
        check(page, axe, "overview")
        screenshot(page, f"portal-index-{lang}", full_page=True)
        # From the top: the skip link, then the menu in order; the skip link moves focus to the content.
        assert tab_order(page, 5) == list(words)
        screenshot(page, f"portal-focus-{lang}")  # the focus outline on "Log out"
        expect(page.get_by_role("navigation").locator("[aria-current=page]")).to_have_text(words[1])
        page.locator(".skip-link").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        levels = page.evaluate("[...document.querySelectorAll('h1, h2, h3')].map(h => +h.tagName[1])")
        assert levels[0] == 1 and levels.count(1) == 1 and all(b - a <= 1 for a, b in pairwise(levels))

        page.get_by_role("navigation").get_by_role("link", name=words[2]).click()
        check(page, axe, "my details")
        screenshot(page, f"portal-details-{lang}", full_page=True)
        page.fill("#email", LONG_EMAIL.replace("@", "-at-"))
        page.fill("#mobile", "12")
        page.locator("main button[type=submit]").click()
        assert_error_is_tied_to(page, "email")
        assert_error_is_tied_to(page, "mobile")
        check(page, axe, "my details refused")
        screenshot(page, f"portal-details-refused-{lang}", full_page=True)

        page.get_by_role("navigation").get_by_role("link", name=words[3]).click()
        check(page, axe, "password")
        page.locator("main button[type=submit]").click()
        assert_error_is_tied_to(page, "old_password")
        check(page, axe, "password refused")
        screenshot(page, f"portal-password-{lang}", full_page=True)

        # The widths between fit too; the desktop keeps its table and one header row.
        page.get_by_role("navigation").get_by_role("link", name=words[1]).click()
        for width in (320, 599, 600, 768, 1024):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate(TOO_WIDE) == [], width
            if width == 768:
                screenshot(page, f"portal-index-768-{lang}")
        page.set_viewport_size({"width": 1366, "height": 900})
        check(page, axe, "overview on a desktop")
        expect(page.locator(".services thead")).to_be_visible()
        screenshot(page, f"portal-index-desktop-{lang}", full_page=True)
