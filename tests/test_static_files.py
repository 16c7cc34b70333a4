"""Static files under URLs naming their content, kept a year by the browser; pages never kept; a favicon."""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import request_finished, url_for

from storage.static_files import IMMUTABLE, SHORT, content_version

ROOT = Path(__file__).parent.parent
STATIC_URL = re.compile(r'(?:src|href)="(/(?:admin/)?static/[^"]+)"')


def static_urls(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in STATIC_URL.findall(html)]


def test_urls_carry_the_hash_of_the_files_content(app):
    with app.test_request_context():
        ours = url_for("static", filename="admin/ispdesk.css")
        theirs = url_for("admin.static", filename="vendor/jquery.min.js", v="3.5.1")
        missing = url_for("static", filename="no/such.css")
    digest = hashlib.sha256((ROOT / "static/admin/ispdesk.css").read_bytes()).hexdigest()[:12]
    assert ours == f"/static/admin/ispdesk.css?v={digest}"
    # Flask-Admin's library version gives way to the content's hash.
    assert re.fullmatch(r"/admin/static/vendor/jquery\.min\.js\?v=[0-9a-f]{12}", theirs)
    assert missing == "/static/no/such.css"


def test_an_edited_file_gets_a_new_hash(tmp_path):
    path = tmp_path / "file.js"
    path.write_text("one")
    first = content_version(str(path))
    assert content_version(str(path)) == first
    path.write_text("two!")
    assert content_version(str(path)) != first


def test_every_static_url_of_a_page_is_hashed_and_kept_a_year(staff):
    # The contact list and form: Flask-Admin's files, ours, a view's extra_js and the favicon.
    urls = set()
    for page in ("/admin/contact/", "/admin/contact/new/", "/admin/invoice_group/"):
        html = staff.get(page).get_data(as_text=True)
        urls |= set(static_urls(html))
    assert {urlsplit(url).path for url in urls} >= {
        "/static/favicon.svg",
        "/static/admin/ispdesk.css",
        "/static/admin/contact_form.js",
        "/admin/static/vendor/jquery.min.js",
    }
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = staff.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        assert "Expires" not in response.headers
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "/static/admin/ispdesk.css",
        "/static/admin/ispdesk.css?v=0123456789ab",
        "/admin/static/bootstrap/bootstrap4/css/font-awesome.min.css?v=4.7.0",
    ],
)
def test_a_url_without_the_right_hash_is_kept_an_hour(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == SHORT
    etag = response.headers["ETag"]
    response.close()
    # Asking again after the hour costs a 304 while the file is unchanged.
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["Cache-Control"] == SHORT


@pytest.mark.parametrize("url", ["/admin/contact/", "/portal/login", "/login", "/static/no/such.css", "/favicon.ico"])
def test_pages_and_other_answers_are_never_stored(staff, url):
    assert staff.get(url).headers["Cache-Control"] == "no-store"


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.headers["Cache-Control"] == IMMUTABLE
    icon.close()
    for page in ("/login", "/portal/login"):
        assert '<link rel="icon" href="/static/favicon.svg?v=' in client.get(page).get_data(as_text=True)


# --- In the browser ----------------------------------------------------------------------------


@pytest.mark.browser
def test_a_second_page_fetches_no_static_file(app, live_server, browser_page, browser_login, screenshot):
    """Once the contact list has loaded its files, the next admin pages take all of theirs from
    the browser's cache: the server sees no static request at all (not even a 304)."""
    hits, lock = [], threading.Lock()

    def record(sender, response, **extra):
        from flask import request

        if request.endpoint in ("static", "admin.static", "favicon"):
            with lock:
                hits.append(f"{request.full_path} {response.status_code}")

    request_finished.connect(record, app)
    failed = []
    browser_page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        browser_login(browser_page, live_server, "staff")
        hits.clear()
        browser_page.goto(f"{live_server}/admin/contact/")
        browser_page.wait_for_load_state("networkidle")
        first_view = list(hits)
        assert any("/static/admin/contact_form.js?v=" in hit for hit in first_view), first_view
        hits.clear()
        for _ in range(2):
            browser_page.goto(f"{live_server}/admin/client_group/")
            browser_page.wait_for_load_state("networkidle")
        browser_page.goto(f"{live_server}/admin/contact/")
        browser_page.wait_for_load_state("networkidle")
        assert hits == []
        # The favicon came from the page's link: nothing answered 404 (nor anything else amiss).
        assert failed == []
        icon = browser_page.evaluate("document.querySelector('link[rel=icon]').href")
        assert "/static/favicon.svg?v=" in icon
        screenshot(browser_page, "static-files-contact-list-en")
    finally:
        request_finished.disconnect(record, app)
