"""Export of the contacts list as CSV or XLSX: the list's columns, filters and order, streamed.

Rows are read in batches (yield_per) and written as they come, so 100,000 contacts take the
memory of one batch, not of the whole list.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile

import sqlalchemy as sa
from flask import Response, stream_with_context
from flask_babel import gettext
from openpyxl import Workbook

from models import ClientGroup, ClientStatus, Contact, InvoiceGroup, client_states, db
from validators import format_phone

BATCH_SIZE = 1000
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    """The cell text; one a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not text[1:2].isdigit()):
        return "'" + text
    return text


# Each list column's text, read from one flat row: the same values the list's formatters show.
_GROUP, _STATUS, _INVOICE_GROUP = (sa.orm.aliased(model) for model in (ClientGroup, ClientStatus, InvoiceGroup))
ROW_COLUMNS = {
    "client_number": Contact.client_number, "name": Contact.name, "company_name": Contact.company_name,
    "city": Contact.city, "street": Contact.street, "phone": Contact.phone, "email": Contact.email,
    "client_group": _GROUP.name, "client_status": _STATUS.name, "invoice_group": _INVOICE_GROUP.name,
}
FORMATTERS = {"phone": format_phone, "is_client": lambda value: gettext("client") if value else gettext("contact")}


def export_rows(view):
    """The header and then each row of the view's current list (filters, search, sort), lazily.

    The list's own query gives the contacts in order (ids only); their values come in batches
    from one flat query each, which is many times faster than rendering model objects.
    """
    columns = view.get_export_columns()
    names = [name for name, _ in columns]
    yield [str(label) for _, label in columns]
    ids = view.current_list_ids(ordered=True)
    batch = []
    for (contact_id,) in ids.yield_per(BATCH_SIZE):
        batch.append(contact_id)
        if len(batch) == BATCH_SIZE:
            yield from _rows_of(batch, names)
            batch = []
    yield from _rows_of(batch, names)


def _rows_of(ids: list[int], names: list[str]):
    if not ids:
        return
    statement = (sa.select(Contact.id, *(ROW_COLUMNS[name].label(name) for name in names if name in ROW_COLUMNS))
                 .outerjoin(_GROUP, _GROUP.id == Contact.client_group_id)
                 .outerjoin(_STATUS, _STATUS.id == Contact.client_status_id)
                 .outerjoin(_INVOICE_GROUP, _INVOICE_GROUP.id == Contact.invoice_group_id)
                 .where(Contact.id.in_(ids)))
    rows = {row.id: row._asdict() for row in db.session.execute(statement)}
    for contact_id, (is_client, _) in client_states(ids).items():
        rows[contact_id]["is_client"] = is_client
    for contact_id in ids:
        row = rows[contact_id]
        yield [safe_cell(FORMATTERS.get(name, _plain)(row[name])) for name in names]


def _plain(value):
    return "" if value is None else value


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
