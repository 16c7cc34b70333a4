"""Export of the contacts list as CSV or XLSX: the list's columns, filters and order, streamed.

One flat query (the list's own filters, search and order, the list's columns) is read in
batches (yield_per) and written as it comes, so 100,000 contacts take the memory of a batch.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import date

from flask import Response, abort, stream_with_context
from flask_admin import expose
from flask_babel import gettext

from admin_views.contacts.list_rows import cell_formatters, export_query
from admin_views.formatters import safe_cell
from domain.imports.full_export import full_export_rows
from storage.xlsx import write_xlsx

BATCH_SIZE = 1000
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_rows(view):
    """The header and then each row of the view's current list (filters, search, sort) as texts, lazily."""
    columns = view.get_export_columns()
    names = [name for name, _ in columns]
    yield [str(label) for _, label in columns]
    formatters = cell_formatters(names)
    for row in export_query(view.current_list_ids(ordered=True), names).yield_per(BATCH_SIZE):
        yield [formatter(value) for formatter, value in zip(formatters, row)]


def csv_response(rows, filename: str) -> Response:
    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # so that Excel reads UTF-8
        for row in rows:
            writer.writerow([safe_cell(text) for text in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    return Response(
        stream_with_context(generate()),
        mimetype=CSV_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


def xlsx_response(rows, filename: str, sheet_name: str) -> Response:
    """The rows in a workbook on disk (a zip needs its end before it can be sent), then sent in chunks."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as stream:
            write_xlsx(rows, stream, sheet_name)
    except BaseException:
        os.unlink(path)
        raise

    def generate():
        try:
            with open(path, "rb") as stream:
                while chunk := stream.read(64 * 1024):
                    yield chunk
        finally:
            os.unlink(path)

    return Response(
        generate(), mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'}
    )


# The full export's types: the list's export menu offers them beside its own (contact_list.html).
FULL_EXPORT_TYPES = ("full-csv", "full-xlsx")


class ExportMixin:
    """The contacts view's export: the list as the clerk sees it, in every row, streamed."""

    export_types = ["csv", "xlsx"]

    @expose("/export/<export_type>/")
    def export(self, export_type: str):
        """The current list (filters, search, order) as CSV or XLSX, streamed: the list's columns,
        or with "full-csv" and "full-xlsx" every contact field, as the import reads them back."""
        full = export_type in FULL_EXPORT_TYPES
        if export_type not in self.export_types and not full:
            abort(404)
        if full:
            rows = full_export_rows(self.current_list_ids(ordered=True))
            export_type = export_type.removeprefix("full-")
            # The file and its sheet are named in the clerk's language ("kontakty-vsechna-pole-2026-12-01.csv").
            name = gettext("contacts-all-fields")
            filename = f"{name}-{date.today().isoformat()}"
        else:
            rows = export_rows(self)
            filename = f"{gettext('contacts')}-{date.today().isoformat()}"
        if export_type == "csv":
            return csv_response(rows, filename)
        return xlsx_response(rows, filename, gettext("Contacts"))
