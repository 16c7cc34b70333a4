"""Contacts › Import over HTTP: upload and detection, mapping, the dry run's report and problem
file, saving only after a clean dry run, access and CSRF."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa
from openpyxl import load_workbook

from models import Contact, db
from tests.helpers import csrf_token, czech_words_in, english_words_in, log_in

HEADER = ["Klientské číslo", "Příjmení", "Jméno", "Ulice", "PSČ", "Obec", "E-mail"]
GOOD = [
    ["1001", "Novák", "Jan", "Hlavní 1", "110 00", "Praha", "jan@example.cz"],
    ["1002", "Dvořáková", "Eva", "Dlouhá 5", "60200", "Brno", ""],
]
BAD = [["1003", "Černý", "Petr", "Krátká 2", "PSČ?", "Plzeň", "not-an-email"]]


def csv_bytes(rows, encoding="cp1250", delimiter=";") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def upload(client, data: bytes, name="klienti.csv", **fields) -> str:
    """Upload the file; the URL of its settings page."""
    form = {"csrf_token": csrf_token(client, "/admin/contacts/import/"), "mode": "add", "numbers": "file"}
    form |= fields
    form["file"] = (io.BytesIO(data), name)
    response = client.post("/admin/contacts/import/", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def dry_run(client, settings_url: str, language: str = "en") -> str:
    """Start the dry run with the shown settings; the report's URL."""
    html = client.get(settings_url).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, settings_url), "action": "check"}
    form |= dict(re.findall(r'<select id="(encoding|delimiter|mode)".*?<option value="([^"]*)" selected', html, re.S))
    form |= dict(re.findall(r'name="(column-\d+)".*?<option value="([^"]*)" selected', html, re.S))
    response = client.post(settings_url, data=form, headers={"Accept-Language": language})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def names() -> list[str]:
    return list(db.session.scalars(sa.select(Contact.name).order_by(Contact.client_number)))


def test_upload_detects_windows_1250_and_semicolons_and_guesses_the_mapping(import_office, admin):
    settings = upload(admin, csv_bytes([HEADER, *GOOD]))
    html = admin.get(settings).get_data(as_text=True)
    assert '<option value="cp1250" selected>Windows-1250</option>' in html
    assert '<option value=";" selected>Semicolon</option>' in html
    assert "Dvořáková" in html  # the preview, decoded
    guessed = re.findall(r'name="column-\d+".*?<option value="([^"]*)" selected', html, re.S)
    assert guessed == ["client_number", "surname", "first_name", "street", "postcode", "city", "email"]


def test_upload_errors_are_shown_next_to_their_fields(import_office, admin):
    form = {"csrf_token": csrf_token(admin, "/admin/contacts/import/"), "mode": "update", "numbers": "automatic"}
    html = admin.post("/admin/contacts/import/", data=form).get_data(as_text=True)
    assert 'id="file-error">Choose a CSV or XLSX file.' in html
    assert 'id="mode-update" value="update" checked' in html  # the choices kept
    assert 'id="numbers-automatic" value="automatic" checked' in html


def test_dry_run_reports_bad_rows_and_their_problem_file_and_refuses_to_save(import_office, admin):
    settings = upload(admin, csv_bytes([HEADER, *GOOD, *BAD]))
    report = dry_run(admin, settings)
    html = admin.get(report).get_data(as_text=True)
    assert "Would be added" in html
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>", html)
    assert ("4", "PSČ", "PSČ?") in rows and ("4", "E-mail", "not-an-email") in rows, rows
    assert 'id="import-save"' not in html
    problems = admin.get(report + "problems.csv")
    lines = list(csv.reader(io.StringIO(problems.get_data().decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == [*HEADER, "Error"] and lines[3][:5] == BAD[0][:5]
    assert "PSČ" in lines[3][-1] and lines[1][-1] == ""
    sheet = load_workbook(io.BytesIO(admin.get(report + "problems.xlsx").get_data())).active
    assert [cell.value for cell in sheet[1]][-1] == "Error"
    token = csrf_token(admin, settings)
    refused = admin.post(settings.rstrip("/") + "/save", data={"csrf_token": token})
    assert refused.status_code == 302 and refused.headers["Location"].endswith(settings)
    with import_office.app_context():
        assert names() == []


def test_a_clean_dry_run_then_saving_creates_the_contacts(import_office, admin):
    settings = upload(admin, csv_bytes([HEADER, *GOOD]))
    report = dry_run(admin, settings)
    html = admin.get(report).get_data(as_text=True)
    assert 'id="import-save"' in html and "import-problems" not in html
    token = csrf_token(admin, settings)
    assert admin.post(settings.rstrip("/") + "/save").status_code == 400  # no CSRF token
    saved = admin.post(settings.rstrip("/") + "/save", data={"csrf_token": token})
    html = admin.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Added: 2, updated: 0." in html and "/admin/contact/" in html
    with import_office.app_context():
        assert names() == ["Novák Jan", "Dvořáková Eva"]


def test_changing_the_mapping_after_a_clean_dry_run_needs_a_new_one(import_office, admin):
    settings = upload(admin, csv_bytes([HEADER, *GOOD]))
    dry_run(admin, settings)
    form = {"csrf_token": csrf_token(admin, settings), "action": "apply", "encoding": "cp1250", "delimiter": ";"}
    form |= {"mode": "add", "column-0": "client_number", "column-1": "name"}
    assert admin.post(settings, data=form).status_code == 302
    refused = admin.post(settings.rstrip("/") + "/save", data={"csrf_token": csrf_token(admin, settings)})
    assert refused.headers["Location"].endswith(settings)
    with import_office.app_context():
        assert names() == []


def test_only_administrators_import_and_only_their_own_files(import_office, admin, staff, client, make_portal_client):
    settings = upload(admin, csv_bytes([HEADER, *GOOD]))
    assert staff.get("/admin/contacts/import/").status_code == 403
    assert staff.get(settings).status_code == 403
    response = client.get("/admin/contacts/import/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    other = import_office.test_client()
    log_in(other, "admin")
    assert other.get(settings).status_code == 200  # an administrator sees every import
    assert admin.post("/admin/contacts/import/", data={"mode": "add"}).status_code == 400  # CSRF


def test_every_import_page_speaks_one_language(import_office, admin):
    # The file's own words (its headers, names and values) are data, not the interface's.
    words = {word for row in [HEADER, *GOOD, *BAD] for cell in row for word in re.findall(r"\w+", cell)}
    data = sorted(words | {"klienti.csv"}, key=len, reverse=True)
    for language, foreign_words_in in (("cs", english_words_in), ("en", czech_words_in)):
        settings = upload(admin, csv_bytes([HEADER, *GOOD, *BAD]))
        # The report's messages are in the language of the clerk who started the dry run.
        with_problems = dry_run(admin, settings, language)
        clean = upload(admin, csv_bytes([HEADER, *GOOD]))
        save_url = dry_run(admin, clean, language).split("check")[0] + "save"
        saved = admin.post(
            save_url, data={"csrf_token": csrf_token(admin, clean)}, headers={"Accept-Language": language}
        )
        for url in ("/admin/contacts/import/", settings, with_problems, saved.headers["Location"]):
            html = admin.get(url, headers={"Accept-Language": language}).get_data(as_text=True)
            assert foreign_words_in(html, data) == [], (language, url)


def test_warnings_must_be_accepted_to_save(import_office, admin, make_contact):
    make_contact(client_number=5000, email="jan@example.cz")  # the file's Novák has the same e-mail
    settings = upload(admin, csv_bytes([HEADER, GOOD[0]]))
    report = dry_run(admin, settings)
    assert "Accept 1 warning" in admin.get(report).get_data(as_text=True)
    save = settings.rstrip("/") + "/save"
    refused = admin.post(save, data={"csrf_token": csrf_token(admin, settings)})
    assert refused.headers["Location"].endswith(report)
    saved = admin.post(save, data={"csrf_token": csrf_token(admin, settings), "accept_warnings": "1"})
    assert "Added: 1" in admin.get(saved.headers["Location"]).get_data(as_text=True)


def test_the_problems_are_paged_fifty_a_page(import_office, admin):
    bad = [[str(2000 + n), "Černý", "Petr", "Krátká 2", "PSČ?", "Plzeň", ""] for n in range(60)]
    report = dry_run(admin, upload(admin, csv_bytes([HEADER, *bad])))
    first = re.findall(r"<tr><td>(\d+)</td>", admin.get(report).get_data(as_text=True))
    second = re.findall(r"<tr><td>(\d+)</td>", admin.get(report + "?page=1").get_data(as_text=True))
    assert (len(first), len(second), first[0], second[-1]) == (50, 10, "2", "61")


def test_portal_clients_are_sent_to_the_staff_login(import_office, client, make_portal_client):
    from tests.helpers import PORTAL_PASSWORD

    make_portal_client(client_number=5001)
    data = {"csrf_token": csrf_token(client, "/portal/login"), "login": "5001", "password": PORTAL_PASSWORD}
    assert client.post("/portal/login", data=data).status_code == 302
    assert client.get("/admin/contacts/import/").headers["Location"].startswith("/login")


def test_a_mapping_is_saved_by_name_and_used_for_another_file(import_office, admin):
    settings = upload(admin, csv_bytes([HEADER, *GOOD]))
    form = {"csrf_token": csrf_token(admin, settings), "encoding": "cp1250", "delimiter": ";", "mode": "add"}
    form |= {"column-0": "client_number", "column-1": "name", "action": "save_mapping", "mapping_name": " "}
    html = admin.post(settings, data=form).get_data(as_text=True)
    assert 'id="mapping_name-error">Type a name for the mapping.' in html
    assert re.search(r'name="column-1".*?<option value="name" selected', html, re.S)  # the choice kept
    assert admin.post(settings, data=form | {"mapping_name": "Old system"}).status_code == 302
    other = upload(admin, csv_bytes([HEADER, *GOOD]))
    form = {"csrf_token": csrf_token(admin, other), "encoding": "cp1250", "delimiter": ";", "mode": "add"}
    admin.post(other, data=form | {"saved_mapping": "Old system", "action": "load"})
    html = admin.get(other).get_data(as_text=True)
    chosen = re.findall(r'name="column-\d+".*?<option value="([^"]*)" selected', html, re.S)
    assert chosen[:2] == ["client_number", "name"]


def test_a_file_over_the_limit_is_refused_and_not_kept(import_office, admin, monkeypatch):
    from storage import import_files

    monkeypatch.setattr(import_files, "MAX_IMPORT_BYTES", 100)
    form = {"csrf_token": csrf_token(admin, "/admin/contacts/import/"), "mode": "add", "numbers": "file"}
    form["file"] = (io.BytesIO(csv_bytes([HEADER, *GOOD])), "klienti.csv")
    html = admin.post("/admin/contacts/import/", data=form, content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="file-error">The file is larger than 15 MB.' in html
    with import_office.app_context():
        assert list(import_files.imports_folder().iterdir()) == []


def test_a_cancelled_save_writes_nothing(import_office, admin):
    from storage.jobs import jobs_queue, run_job

    settings = upload(admin, csv_bytes([HEADER, *GOOD]))
    dry_run(admin, settings)
    jobs_queue(import_office).immediate = False  # queued: cancelled before the worker runs it
    token = csrf_token(admin, settings)
    page = admin.post(settings.rstrip("/") + "/save", data={"csrf_token": token}).headers["Location"]
    job_id = int(page.rstrip("/").rsplit("/", 1)[1])
    assert 'id="job-page"' in admin.get(page).get_data(as_text=True)  # the bar, while it waits
    assert admin.post(f"/admin/jobs/{job_id}/cancel", data={"csrf_token": token}).status_code == 302
    with import_office.app_context():
        run_job(job_id)
        assert names() == []
    html = admin.get(page).get_data(as_text=True)
    assert "Cancelled" in html and "import-saved" not in html
