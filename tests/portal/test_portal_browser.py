"""The portal in a real browser: a client logs in, reads, edits its e-mail; the clerk sees the change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import InfoMessage, db
from tests.helpers import PORTAL_PASSWORD

pytestmark = pytest.mark.browser


def test_client_changes_email_and_clerk_sees_it_in_history(
    app, live_server, browser_page, browser_login, make_portal_client, make_service
):
    contact_id = make_portal_client(client_number=7001, name="Portálová Petra", email="petra@example.cz")
    make_service(contact_id, tariff_name="Fiber 300")
    with app.app_context():
        db.session.add(InfoMessage(title="Planned outage on Sunday", body="<p>From <b>2 to 4</b> am.</p>"))
        db.session.commit()
    page = browser_page
    page.goto(f"{live_server}/portal/login")
    page.fill("#login", "7001")
    page.fill("#password", PORTAL_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Fiber 300")).to_be_visible()
    expect(page.get_by_role("heading", name="Planned outage on Sunday")).to_be_visible()

    page.get_by_role("link", name="Change my details").click()
    page.fill("#email", "petra@new.example.cz")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#portal-email")).to_have_text("petra@new.example.cz")
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("#login")).to_be_visible()

    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/contact/details/?id={contact_id}")
    history = page.locator("#card-history")
    expect(history).to_contain_text("Edited by the client in the portal")
    expect(history).to_contain_text("petra@new.example.cz")
    expect(history).to_contain_text("the client (portal)")
