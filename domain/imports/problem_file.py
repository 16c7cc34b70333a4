"""The file an office downloads after a dry run with problems: its own rows as it uploaded them,
each with an extra column saying what to fix, so that it can fix the file and upload it again."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from flask_babel import gettext

from domain.imports.reading import read_rows
from domain.imports.run import Report
from storage.xlsx import write_xlsx


def problem_rows(report: Report, only_problems: bool = False) -> Iterator[list[str]]:
    """The file's rows, the header first, each with the messages of its problems in a last column
    (headed "Error": the import ignores that column when the file comes back)."""
    messages: dict[int, list[str]] = {}
    for problem in report.problems:
        text = f"{problem.column}: {problem.message}"
        messages.setdefault(problem.row, []).append(
            gettext("Warning: %(text)s", text=text) if problem.warning else text
        )
    width = len(report.headers)
    for number, cells in read_rows(report.source):
        found = messages.get(number)
        if number == 1:
            yield [*cells, gettext("Error")]
        elif found or not only_problems:
            yield [*cells, *[""] * (width - len(cells)), "; ".join(found or ())]


def write_problem_file(report: Report, stream: BinaryIO, kind: str = "csv", only_problems: bool = False) -> None:
    """Write the problem file as CSV (UTF-8 with BOM, for Excel, in the uploaded file's delimiter) or XLSX."""
    rows = problem_rows(report, only_problems)
    if kind == "xlsx":
        write_xlsx(rows, stream, gettext("Errors"))
        return
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    try:
        csv.writer(text, delimiter=report.source.delimiter or ";").writerows(rows)
        text.flush()
    finally:
        text.detach()
