"""Contacts › Import in a real browser: a file with errors, its report and problem file, the fixed
file's dry run, then saving it with the progress bar and the contacts in the list; both languages,
contrast checked."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from domain.imports.jobs import SAVE
from models import Job, db
from storage.jobs import jobs_queue, run_job
from tests.admin_views.test_imports import BAD, GOOD, HEADER, csv_bytes

pytestmark = pytest.mark.browser


def upload_and_check(page, base: str, data: bytes, screenshot, language: str) -> None:
    page.goto(f"{base}/admin/contacts/import/")
    screenshot(page, f"import-upload-{language}")
    page.set_input_files("#file", files=[{"name": "klienti.csv", "mimeType": "text/csv", "buffer": data}])
    page.locator("#import-upload button[type=submit]").click()
    expect(page.locator("#encoding")).to_have_value("cp1250")
    expect(page.locator("#delimiter")).to_have_value(";")
    expect(page.locator("select[name=column-1]")).to_have_value("surname")
    screenshot(page, f"import-mapping-{language}")
    page.locator("button[value=check]").click()
    expect(page.locator("#import-counts")).to_be_visible()


def test_import_a_file_with_errors_then_the_fixed_one(
    import_office, live_server, browser_page, czech_page, browser_login, axe, screenshot
):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, "admin")
    upload_and_check(page, live_server, csv_bytes([HEADER, *GOOD, *BAD]), screenshot, "en")
    problems = page.locator("#import-problems tbody tr")
    expect(problems.first).to_contain_text("PSČ?")
    expect(problems.first.locator("td").first).to_have_text("4")
    expect(page.locator("#import-save")).to_have_count(0)
    screenshot(page, "import-report-en")
    assert axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(";Error") and "not-an-email" in text

    # Czech: the fixed file checks clean; saving shows the bar until the worker has saved it.
    page = czech_page
    browser_login(page, live_server, "admin")
    upload_and_check(page, live_server, csv_bytes([HEADER, *GOOD]), screenshot, "cs")
    expect(page.locator("#import-problems")).to_have_count(0)
    screenshot(page, "import-report-cs")
    assert axe(page) == []
    jobs_queue(import_office).immediate = False  # queued, for the thread below to run as the worker would
    page.get_by_role("button", name="Uložit import").click()
    expect(page.locator("#job-page .progress")).to_be_visible()
    expect(page.locator("#job-state")).to_have_text("Ve frontě")
    with import_office.app_context():
        job_id = db.session.scalar(sa.select(Job.id).where(Job.kind == SAVE))

    def work():
        with import_office.app_context():
            run_job(job_id)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    expect(page.locator("#import-saved")).to_contain_text("Přidáno: 2", timeout=10_000)
    thread.join()
    screenshot(page, "import-saved-cs")
    page.get_by_role("link", name="Přejít na kontakty").click()
    expect(page.locator("body")).to_contain_text("Dvořáková Eva")
