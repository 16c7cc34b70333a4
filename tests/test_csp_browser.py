"""Under the Content-Security-Policy the pages still work in a real browser, and nothing is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from models import ClientGroup, Contact, LoginSession, db, utcnow
from tests.helpers import PORTAL_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def refusals(browser_page):
    """The browser's console messages about the Content-Security-Policy, as they come."""
    seen = []
    browser_page.on(
        "console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None
    )
    return seen


def test_panel_pages_load_without_a_policy_refusal(
    live_server, browser_page, browser_login, refusals, make_contact, make_socket, make_invoice_group
):
    contact_id = make_contact(name="Nováková Jana")
    chain = make_socket()
    group = make_invoice_group()
    page = browser_page
    browser_login(page, live_server, "admin")
    for path in (
        "/admin/",
        "/admin/contact/",
        "/admin/contact/new/",
        f"/admin/contact/edit/?id={contact_id}",
        f"/admin/contact/details/?id={contact_id}",
        "/admin/client_group/",
        "/admin/client_group/new/",
        f"/admin/invoice_group/edit/?id={group.id}",
        f"/admin/building/details/?id={chain.building}",
        "/admin/socket/",
        "/admin/setting/edit/?id=1",
        "/admin/user/",
        "/admin/change_log/",
    ):
        page.goto(live_server + path)
        expect(page.locator("body")).to_be_visible()
        assert refusals == [], (path, refusals)


def test_row_delete_asks_first_and_actions_run(live_server, browser_page, browser_login, refusals, app):
    with app.app_context():
        db.session.add_all([ClientGroup(name="Keep"), ClientGroup(name="Drop")])
        db.session.commit()
    page = browser_page
    browser_login(page, live_server, "admin")
    page.goto(f"{live_server}/admin/client_group/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.locator("tr", has_text="Keep").locator("form.icon button").click()
    expect(page.locator("tr", has_text="Keep")).to_have_count(1)
    assert questions == ["Are you sure you want to delete this record?"]

    page.locator("tr", has_text="Drop").locator("input.action-checkbox").check()
    page.locator("a.dropdown-toggle", has_text="With selected").click()
    assert refusals == [], "toggle"
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.locator("a[data-onclick*=modelActions]", has_text="Delete").click()
    expect(page.locator("tr", has_text="Drop")).to_have_count(0)
    expect(page.locator("tr", has_text="Keep")).to_have_count(1)
    assert len(questions) == 2
    assert refusals == []


def test_inline_rows_are_added_by_their_button(live_server, browser_page, browser_login, refusals):
    page = browser_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/new/")
    expect(page.locator("#persons-0-name")).to_have_count(0)
    page.locator("#persons-button").click()
    page.locator("#persons-button").click()
    expect(page.locator("#persons-1-name")).to_be_visible()
    page.locator("#notes-button").click()
    expect(page.locator("#notes-0-text")).to_be_visible()
    assert refusals == []


def test_portal_pages_load_without_a_policy_refusal(live_server, browser_page, refusals, make_portal_client, app):
    make_portal_client(client_number=5001)
    page = browser_page
    page.goto(f"{live_server}/portal/login")
    page.fill("input[name=login]", "5001")
    page.fill("input[name=password]", PORTAL_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    for path in ("/portal/details", "/portal/password"):
        page.goto(live_server + path)
        expect(page.locator("body")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 1
    assert refusals == []


def test_typing_in_a_form_tells_the_server_the_clerk_is_there(live_server, browser_page, browser_login):
    page = browser_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/new/")
    with page.expect_response(re.compile(r"/alive$")) as alive:
        page.locator("#name").press_sequentially("Nov")
    assert alive.value.status == 204


def test_saving_after_the_session_ended_keeps_the_typing(live_server, browser_page, browser_login, app):
    page = browser_page
    browser_login(page, live_server, "admin")
    page.goto(f"{live_server}/admin/client_group/new/")
    page.fill("#name", "Typed before the timeout")
    page.fill("#description", "A long description the clerk wrote")
    with app.app_context():
        db.session.execute(sa.update(LoginSession).values(last_seen_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Save", exact=True).click()
    login = opened.value
    expect(login).to_have_url(re.compile(r"/login"))
    expect(login.get_by_text("without activity")).to_be_visible()
    expect(page.locator("#description")).to_have_value("A long description the clerk wrote")
    browser_login(login, live_server, "admin")
    login.close()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Record was successfully created.")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(
            sa.select(ClientGroup.description).where(ClientGroup.name == "Typed before the timeout")
        ) == ("A long description the clerk wrote")
