"""Export of the contacts list as CSV or XLSX: the list's columns, filters and order, streamed.

Rows are read in batches (yield_per) and written as they come, so 100,000 contacts take the
memory of one batch, not of the whole list.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile

from flask import Response, stream_with_context
from openpyxl import Workbook

BATCH_SIZE = 1000
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    """The cell text; one a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not text[1:2].isdigit()):
        return "'" + text
    return text


def export_rows(view):
    """The header and then each row of the view's current list (filters, search, sort), lazily."""
    args = view._get_list_extra_args()
    sort = view._get_column_by_idx(args.sort)
    _, query = view.get_list(0, sort[0] if sort else None, args.sort_desc, args.search, args.filters,
                             execute=False, page_size=0)
    columns = view.get_export_columns()
    yield [str(label) for _, label in columns]
    for model in query.yield_per(BATCH_SIZE):
        yield [safe_cell(view.get_export_value(model, name)) for name, _ in columns]


def csv_response(rows, filename: str) -> Response:
    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # so that Excel reads UTF-8
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    return Response(stream_with_context(generate()), mimetype=CSV_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})


def xlsx_response(rows, filename: str) -> Response:
    """The rows in a write-only workbook on disk, then sent in chunks and the file removed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    for row in rows:
        sheet.append(row)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    workbook.save(path)

    def generate():
        try:
            with open(path, "rb") as stream:
                while chunk := stream.read(64 * 1024):
                    yield chunk
        finally:
            os.unlink(path)

    return Response(generate(), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'})
