"""The list's "Export all fields" menu: it opens (Bootstrap's dropdown under the CSP) and downloads the file."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_the_full_export_menu_downloads_every_field(
    live_server, czech_page, browser_page, browser_login, make_contact, screenshot
):
    make_contact(name="Novák Jan", client_number=1001)
    for page, menu, prefix, name in (
        (czech_page, "Export všech polí", "kontakty-vsechna-pole-", "full-export-menu-cs"),
        (browser_page, "Export all fields", "contacts-all-fields-", "full-export-menu-en"),
    ):
        browser_login(page, live_server, "staff")
        page.goto(f"{live_server}/admin/contact/")
        page.locator("#full-export > a", has_text=menu).click()
        item = page.locator("#full-export .dropdown-item", has_text="CSV")
        item.wait_for(state="visible")
        screenshot(page, name)
        with page.expect_download() as download:
            item.click()
        lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
        assert lines[1].startswith("1001,Novák Jan,")
        assert download.value.suggested_filename.startswith(prefix)
