"""A job's page in a real browser: the bar moves while the job runs, Cancel stops it; both languages,
contrast checked (static/admin/jobs.js)."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from storage.jobs import run_job, start_job
from tests import job_handlers  # noqa: F401 (registers the test handlers)
from tests.helpers import user_named

pytestmark = pytest.mark.browser


def start_in_background(app, **params) -> tuple[int, threading.Thread]:
    """A counting job of the staff user, run by a thread as the worker would run it."""
    with app.app_context():
        job_id = start_job("test-count", params, user_named("staff")).id

    def work():
        with app.app_context():
            run_job(job_id)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return job_id, thread


def bar_values(page, count: int) -> list[int]:
    """The bar's value, read `count` times 0.6 s apart."""
    values = []
    for _ in range(count):
        values.append(int(page.get_attribute("#job-page [role=progressbar]", "aria-valuenow")))
        page.wait_for_timeout(600)
    return values


def test_the_bar_moves_and_cancel_stops_the_job(
    app, live_server, browser_page, czech_page, browser_login, axe, screenshot
):
    # English: the bar moves every second until the job is done.
    job_id, thread = start_in_background(app, n=60, pause=0.1)
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/jobs/{job_id}/")
    expect(page.locator("#job-state")).to_have_text("Running")
    # The first progress is written a second after the start; the page may open before it.
    expect(page.locator("#job-page [role=progressbar]")).not_to_have_attribute("aria-valuenow", "0")
    values = bar_values(page, 4)
    # Progress is written once a second, the page asks every second.
    assert values == sorted(values) and len(set(values)) >= 2 and values[0] > 0 and values[-1] < 100, values
    expect(page.locator("[data-field=rate]")).to_contain_text("rows/s")
    expect(page.locator("[data-field=time_left]")).to_contain_text("left")
    screenshot(page, "jobs-en")
    assert axe(page) == []
    expect(page.locator("#job-state")).to_have_text("Done", timeout=10_000)
    expect(page.locator("[data-field=counts]")).to_have_text("60 of 60")
    expect(page.get_by_role("button", name="Cancel the job")).to_be_hidden()
    thread.join()
    page.goto(f"{live_server}/admin/jobs/")
    expect(page.locator(".jobs-table tbody tr")).to_have_count(1)
    screenshot(page, "jobs-list-en")
    assert axe(page) == []

    # Czech: Cancel stops a running job; the page says so without being reloaded by hand.
    job_id, thread = start_in_background(app, n=200, pause=0.1)
    page = czech_page
    browser_login(page, live_server, "staff")
    page.goto(f"{live_server}/admin/jobs/{job_id}/")
    expect(page.locator("#job-state")).to_have_text("Běží")
    expect(page.locator("[data-field=counts]")).to_contain_text(" z 200")
    expect(page.locator("[data-field=rate]")).to_contain_text("řádků/s")
    screenshot(page, "jobs-cs")
    assert axe(page) == []
    page.get_by_role("button", name="Zrušit úlohu").click()
    expect(page.locator(".alert")).to_contain_text("Úloha se zastaví")
    expect(page.locator("#job-state")).to_have_text("Zrušeno", timeout=10_000)
    thread.join()
    page.goto(f"{live_server}/admin/jobs/")
    expect(page.locator(".jobs-table tbody tr")).to_have_count(2)
    screenshot(page, "jobs-list-cs")
    assert axe(page) == []
