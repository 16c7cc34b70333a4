"""The problem file: the office's own rows with an "Error" column, which a re-upload ignores."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from domain.imports.mapping import guess_mapping
from domain.imports.problem_file import write_problem_file
from domain.imports.run import Plan, dry_run


def test_the_rows_come_back_with_what_to_fix(app, make_invoice_group, tmp_path):
    make_invoice_group()
    rows = [
        ["Jméno klienta", "Ulice", "PSČ", "Obec"],
        ["Novák Jan", "Hlavní 1", "11000", "Praha"],
        ["Malá Eva", "", "1100", "Praha"],
    ]
    with open(tmp_path / "k.csv", "w", encoding="cp1250", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)
    with app.test_request_context():
        report = dry_run(Plan(str(tmp_path / "k.csv")))
        buffer = io.BytesIO()
        write_problem_file(report, buffer)
        text = buffer.getvalue().decode("utf-8-sig")
        back = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert back[0] == [*rows[0], "Error"] and back[1] == [*rows[1], ""]
        assert back[2][:4] == rows[2] and "Ulice: This field is required." in back[2][4] and "PSČ:" in back[2][4]
        assert guess_mapping(back[0])[-1] is None  # fixed and uploaded again, the column is ignored

        buffer = io.BytesIO()
        write_problem_file(report, buffer, "xlsx", only_problems=True)
        sheet = load_workbook(buffer, read_only=True).worksheets[0]
        assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Jméno klienta", "Malá Eva"]
