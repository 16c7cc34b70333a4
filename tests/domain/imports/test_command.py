"""`flask import contacts FILE`: the dry run's report, --commit, saved mappings, update mode."""

from __future__ import annotations

import csv

import sqlalchemy as sa

from models import Contact, InvoiceGroup, db


def write(path, rows, delimiter=";"):
    with open(path, "w", encoding="cp1250", newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return str(path)


def names(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Contact.name).order_by(Contact.name)))


def test_a_dry_run_reports_and_writes_nothing_then_commit_imports(app, runner, make_invoice_group, tmp_path):
    make_invoice_group()
    path = write(
        tmp_path / "k.csv",
        [
            ["Příjmení", "Jméno", "Ulice", "PSČ", "Obec"],
            ["Novák", "Jan", "Hlavní 1", "11000", "Praha"],
            ["Malá", "Eva", "Nová 2", "1100", "Praha"],
        ],
    )
    result = runner.invoke(args=["import", "contacts", path])
    assert result.exit_code == 1
    assert "CSV file, encoding cp1250, delimiter ;" in result.output
    assert "Příjmení → Surname" in result.output
    assert "Rows: 2, to add: 1, to update: 0, unchanged: 0, with errors: 1, with warnings: 0" in result.output
    assert "Error: row 3, column PSČ, value “1100”: Use the postcode format 123 45." in result.output
    assert names(app) == []

    path = write(
        tmp_path / "k.csv",
        [["Příjmení", "Jméno", "Ulice", "PSČ", "Obec"], ["Novák", "Jan", "Hlavní 1", "11000", "Praha"]],
    )
    result = runner.invoke(args=["import", "contacts", path, "--save-mapping", "kancelář"])
    assert result.exit_code == 0 and "Dry run: nothing was written" in result.output
    result = runner.invoke(args=["import", "contacts", path, "--mapping", "kancelář", "--commit"])
    assert result.exit_code == 0 and result.output.endswith("Imported.\n"), result.output
    assert names(app) == ["Novák Jan"]


def test_update_mode_and_options(app, runner, make_contact, tmp_path):
    make_contact(client_number=1001, city="Praha", portal_login="1001")
    path = write(tmp_path / "u.csv", [["Klientské číslo", "Obec"], ["1001", "Brno"]], delimiter=",")
    result = runner.invoke(
        args=["import", "contacts", path, "--mode", "update", "--encoding", "cp1250", "--delimiter", ",", "--commit"]
    )
    assert result.exit_code == 0 and "to update: 1" in result.output, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Contact.city)) == "Brno"
        assert db.session.scalar(sa.select(InvoiceGroup.id)) is not None
    result = runner.invoke(args=["import", "contacts", path, "--mapping", "none such"])
    assert result.exit_code == 1 and "No saved mapping is named none such." in result.output
