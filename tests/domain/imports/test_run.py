"""The contacts import's dry run and commit: files as offices write them, bad rows reported with
their row and column and nothing written, updates recorded in the history, all or nothing."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from domain.imports.run import Plan, commit, dry_run
from models import ChangeLog, ClientStatus, Contact, db

HEADER = ["Klientské číslo", "Příjmení", "Jméno", "Ulice", "PSČ", "Obec", "E-mail", "IČ", "Stav"]
GOOD = [
    ["1001", "Novák", "Jan", "Hlavní 1", "110 00", "Praha", "jan@example.cz", "25596641", "Aktivní"],
    ["1002", "Dvořáková", "Eva", "Dlouhá 5", "60200", "Brno", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> str:
    with open(path, "w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return str(path)


def contacts() -> list[Contact]:
    return list(db.session.scalars(sa.select(Contact).order_by(Contact.client_number)))


@pytest.fixture
def office(app, make_invoice_group):
    """An office with an invoice group and the status "Aktivní"."""
    make_invoice_group(name="Domácnosti")
    with app.app_context():
        db.session.add(ClientStatus(name="Aktivní"))
        db.session.commit()
    with app.test_request_context():
        yield app


def test_windows_1250_with_semicolons_is_read_checked_then_imported(office, tmp_path):
    path = write_csv(tmp_path / "klienti.csv", [HEADER, *GOOD], encoding="cp1250", delimiter=";")
    report = dry_run(Plan(path))
    assert (report.source.encoding, report.source.delimiter) == ("cp1250", ";")
    assert (report.rows, report.added, report.errors, report.warnings) == (2, 2, 0, 0), report.problems
    assert contacts() == []  # a dry run writes nothing

    report = commit(Plan(path))
    assert report.committed
    imported = contacts()
    assert [(c.client_number, c.name, c.postcode, c.city) for c in imported] == [
        (1001, "Novák Jan", "110 00", "Praha"),
        (1002, "Dvořáková Eva", "602 00", "Brno"),
    ]
    assert imported[0].client_status.name == "Aktivní" and imported[0].company_id == "25596641"
    assert imported[0].portal_login == "1001" and imported[0].invoice_by_email
    assert not imported[1].invoice_by_email  # no e-mail: invoices cannot go by e-mail
    history = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == imported[0].id)).one()
    assert history.action == "import" and history.changes["name"]["new"] == "Novák Jan"


def test_utf8_with_bom_and_line_breaks_in_quoted_fields(office, tmp_path):
    rows = [
        ["Jméno klienta", "Ulice", "PSČ", "Obec", "Interní poznámka 1"],
        ["Malý Petr", "Nová 2", "11000", "Praha", "řádek 1\nřádek 2"],
    ]
    path = write_csv(tmp_path / "klienti.csv", rows, encoding="utf-8-sig")
    report = commit(Plan(path))
    assert report.source.encoding == "utf-8-sig" and report.committed, report.problems
    [contact] = contacts()
    assert contact.name == "Malý Petr" and contact.internal_note_1 == "řádek 1\nřádek 2"
    assert contact.client_number == 1  # no number in the file: the next free one


def test_xlsx_with_numbers_as_excel_stores_them(office, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Client number", "Client name", "Street", "Postcode", "City", "Company ID", "Opening balance"])
    sheet.append([2001, "Firma s.r.o.", "Polní 3", 11000, "Praha", 25596641, -150.5])
    sheet.append([None] * 7)  # an empty line at the end is no row
    workbook.save(tmp_path / "clients.xlsx")
    report = commit(Plan(str(tmp_path / "clients.xlsx")))
    assert report.source.kind == "xlsx" and report.committed and report.rows == 1, report.problems
    [contact] = contacts()
    assert (contact.client_number, contact.postcode, contact.company_id, str(contact.opening_balance)) == (
        2001,
        "110 00",
        "25596641",
        "-150.50",
    )


def test_bad_rows_are_each_reported_with_row_and_column_and_nothing_is_written(office, make_contact, tmp_path):
    make_contact(client_number=5000, name="Stávající Klient")
    rows = [
        HEADER,
        ["1001", "Novák", "Jan", "Hlavní 1", "110 00", "Praha", "jan@example.cz", "12345678", ""],  # bad IČO
        ["1002", "Nová", "Eva", "Hlavní 2", "110 00", "Praha", "eva@", "", ""],  # bad e-mail
        ["1003", "Malý", "Petr", "Hlavní 3", "1100", "Praha", "", "", ""],  # bad postcode
        ["1004", "Velký", "Jiří", "", "110 00", "Praha", "", "", ""],  # no street
        ["1005", "Starý", "Josef", "Hlavní 5", "110 00", "Praha", "", "", "Neznámý"],  # unknown status
        ["1005", "Mladý", "Karel", "Hlavní 6", "110 00", "Praha", "", "", ""],  # 1005 again
        ["5000", "Druhý", "Klient", "Hlavní 7", "110 00", "Praha", "", "", ""],  # in the database
        ["1008", "Dobrý", "Řádek", "Hlavní 8", "110 00", "Praha", "", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", rows, delimiter=";")
    report = dry_run(Plan(path))
    found = {(p.row, p.column): p for p in report.problems}
    assert set(found) == {
        (2, "IČ"),
        (3, "E-mail"),
        (4, "PSČ"),
        (5, "Ulice"),
        (6, "Stav"),
        (7, "Klientské číslo"),
        (8, "Klientské číslo"),
    }
    assert found[(3, "E-mail")].value == "eva@" and "not a valid e-mail" in found[(3, "E-mail")].message
    assert "123 45" in found[(4, "PSČ")].message
    assert "row 6" in found[(7, "Klientské číslo")].message
    assert "Stávající Klient" in found[(8, "Klientské číslo")].message
    assert (report.rows, report.errors, report.added) == (8, 7, 1)

    report = commit(Plan(path))
    assert not report.committed and report.errors == 7
    assert [c.client_number for c in contacts()] == [5000]


def test_duplicates_warn_and_are_imported_only_when_accepted(office, make_contact, tmp_path):
    make_contact(client_number=5000, email="jan@example.cz")
    path = write_csv(tmp_path / "dup.csv", [HEADER, GOOD[0]])
    report = commit(Plan(path))
    [warning] = report.problems
    assert warning.warning and warning.column == "E-mail" and "5000" in warning.message
    assert not report.committed and len(contacts()) == 1
    assert commit(Plan(path), accept_warnings=True).committed
    assert len(contacts()) == 2


def test_an_update_changes_only_mapped_columns_and_records_the_history(office, make_contact, tmp_path):
    first = make_contact(client_number=1001, email="old@example.cz", city="Praha", portal_login="1001")
    make_contact(client_number=1002, email="same@example.cz")
    rows = [
        ["Klientské číslo", "E-mail"],
        ["1001", "new@example.cz"],
        ["1002", "same@example.cz"],
        ["9999", "x@example.cz"],
    ]
    path = write_csv(tmp_path / "update.csv", rows)
    report = dry_run(Plan(path, mode="update"))
    assert (report.updated, report.unchanged, report.errors) == (1, 1, 1)
    assert report.problems[0].row == 4 and "No contact" in report.problems[0].message

    path = write_csv(tmp_path / "update.csv", rows[:3])
    assert commit(Plan(path, mode="update")).committed
    contact = db.session.get(Contact, first)
    assert (contact.email, contact.city) == ("new@example.cz", "Praha")
    [entry] = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.contact_id == first))
    assert entry.action == "import" and entry.changes == {"email": {"old": "old@example.cz", "new": "new@example.cz"}}


def test_cancelling_the_commit_writes_nothing(office, tmp_path):
    rows = [HEADER[:6], *([str(2000 + n), "Novák", f"Jan {n}", "Hlavní 1", "110 00", "Praha"] for n in range(2500))]
    path = write_csv(tmp_path / "big.csv", rows)
    progress = []
    report = commit(
        Plan(path), on_progress=lambda done, total: progress.append((done, total)), should_cancel=lambda: bool(progress)
    )
    assert report.cancelled and not report.committed
    assert progress == [(1000, 2500)] and contacts() == []


KILLED_COMMIT = """
import sys, time
from tests.helpers import make_app
from domain.imports.run import Plan, commit

def wait(done, total):
    print("written", done, flush=True)
    time.sleep(60)

app = make_app(sys.argv[1])
with app.test_request_context():
    commit(Plan(sys.argv[2]), on_progress=wait)
"""


def test_a_commit_killed_half_way_leaves_nothing(office, tmp_path):
    rows = [HEADER[:6], *([str(2000 + n), "Novák", f"Jan {n}", "Hlavní 1", "110 00", "Praha"] for n in range(2500))]
    path = write_csv(tmp_path / "big.csv", rows)
    url = str(db.engine.url)
    db.session.remove()
    db.engine.dispose()
    worker = subprocess.Popen(
        [sys.executable, "-c", KILLED_COMMIT, url, path],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[3],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])},
    )
    try:
        assert worker.stdout.readline().split() == ["written", "1000"]  # 1,000 rows flushed, not committed
    finally:
        worker.kill()
        worker.wait()
        worker.stdout.close()
    time.sleep(0.1)
    assert contacts() == []
    assert commit(Plan(path)).committed  # the database is as before: the same file imports
    assert len(contacts()) == 2500


def test_unreadable_files_give_messages_not_exceptions(office, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "latin.csv").write_bytes(
        "Jméno klienta;Ulice;PSČ;Obec\nŽluťoučký kůň;A 1;11000;Praha\n".encode("cp1250")
    )
    assert dry_run(Plan(str(tmp_path / "empty.csv"))).file_errors
    assert dry_run(Plan(str(tmp_path / "broken.xlsx"))).file_errors
    report = dry_run(Plan(str(tmp_path / "latin.csv"), encoding="utf-8"))
    assert "encoding utf-8" in report.file_errors[0]
    assert dry_run(Plan(str(tmp_path / "latin.csv"), encoding="nonsense")).file_errors
    assert dry_run(Plan(str(tmp_path / "latin.csv"), mode="replace")).file_errors
    report = dry_run(Plan(str(tmp_path / "latin.csv"), mapping_name="nothing saved"))
    assert "nothing saved" in report.file_errors[0]
