"""The jobs pages: who sees which job, the progress endpoint, Cancel, both languages."""

from __future__ import annotations

import re

import pytest

from models import Job, db
from storage.jobs import start_job
from tests import job_handlers  # noqa: F401 (registers the test handlers)
from tests.helpers import csrf_token, czech_words_in, english_words_in, user_named


def portal_login(client, login: str):
    from tests.helpers import PORTAL_PASSWORD

    data = {"csrf_token": csrf_token(client, "/portal/login"), "login": login, "password": PORTAL_PASSWORD}
    assert client.post("/portal/login", data=data).status_code == 302


@pytest.fixture
def jobs(app) -> dict[str, int]:
    """A queued job of the staff user and one of the administrator (no worker runs them)."""
    with app.app_context():
        return {role: start_job("test-count", {"n": 3}, user_named(role)).id for role in ("staff", "admin")}


def job_links(html: str) -> list[str]:
    return re.findall(r'href="/admin/jobs/(\d+)/"', html)


def test_staff_see_and_follow_only_their_own_jobs(staff, admin, jobs):
    own, other = jobs["staff"], jobs["admin"]
    assert job_links(staff.get("/admin/jobs/").get_data(as_text=True)) == [str(own)]
    assert job_links(admin.get("/admin/jobs/").get_data(as_text=True)) == [str(other), str(own)]
    progress = staff.get(f"/admin/jobs/{own}/progress").get_json()
    assert progress | {"label": "Queued", "done": 0, "finished": False} == progress
    for url in (f"/admin/jobs/{other}/", f"/admin/jobs/{other}/progress", "/admin/jobs/999999/"):
        assert staff.get(url).status_code == 404, url
    token = csrf_token(staff, "/admin/")
    assert staff.post(f"/admin/jobs/{other}/cancel", data={"csrf_token": token}).status_code == 404
    assert admin.get(f"/admin/jobs/{own}/progress").status_code == 200


def test_anonymous_and_portal_clients_are_sent_to_the_login(app, client, jobs, make_portal_client):
    for url in ("/admin/jobs/", f"/admin/jobs/{jobs['staff']}/", f"/admin/jobs/{jobs['staff']}/progress"):
        response = client.get(url)
        assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/login"), url
    make_portal_client(client_number=5001)
    portal_login(client, "5001")
    assert client.get("/admin/jobs/").headers["Location"].startswith("/login")


def test_cancel_needs_the_security_token_and_stops_the_job(app, staff, jobs):
    job_id = jobs["staff"]
    refused = staff.post(f"/admin/jobs/{job_id}/cancel")
    assert refused.status_code == 400
    assert staff.get(f"/admin/jobs/{job_id}/progress").get_json()["state"] == "queued"
    page = staff.get(f"/admin/jobs/{job_id}/").get_data(as_text=True)
    assert "Cancel the job" in page
    response = staff.post(
        f"/admin/jobs/{job_id}/cancel", data={"csrf_token": csrf_token(staff, "/admin/")}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "The job will stop; nothing it wrote is kept." in html
    assert staff.get(f"/admin/jobs/{job_id}/progress").get_json()["state"] == "cancelled"
    again = staff.post(
        f"/admin/jobs/{job_id}/cancel", data={"csrf_token": csrf_token(staff, "/admin/")}, follow_redirects=True
    )
    assert "The job has already ended." in again.get_data(as_text=True)


def test_a_finished_job_shows_its_figures_in_czech_and_english(app, staff, immediate_jobs):
    with app.app_context():
        job_id = start_job("test-count", {"n": 1500}, user_named("staff")).id
        job = db.session.get(Job, job_id)
        assert job.state == "done"
    pages = ("/admin/jobs/", f"/admin/jobs/{job_id}/")
    for url in pages:
        czech = staff.get(url, headers={"Accept-Language": "cs"}).get_data(as_text=True)
        english = staff.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert english_words_in(czech, ("test-count",)) == [], url
        assert czech_words_in(english, ("test-count",)) == [], url
        assert "1\xa0500 z 1\xa0500" in czech and "Hotovo" in czech, url
        assert "1,500 of 1,500" in english and "Done" in english, url
    czech = staff.get(f"/admin/jobs/{job_id}/progress", headers={"Accept-Language": "cs"}).get_json()
    assert (czech["label"], czech["counts"], czech["percent"]) == ("Hotovo", "1\xa0500 z 1\xa0500", 100)
    assert staff.get("/admin/jobs/", headers={"Accept-Language": "cs"}).status_code == 200
