"""Export of the contacts list: the same rows, columns and order as the list, CSV and XLSX."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from models import ClientGroup, db
from tests.helpers import export_csv


def list_names(client, **params) -> list[str]:
    html = client.get("/admin/contact/", query_string={**params, "page_size": 200}).get_data(as_text=True)
    return [unescape(n.strip()) for n in re.findall(r'<td class="col-name">\s*(.*?)\s*</td>', html, re.S)]


@pytest.fixture
def contacts(app, make_contact):
    with app.app_context():
        vip = ClientGroup(name="VIP")
        db.session.add(vip)
        db.session.commit()
        vip_id = vip.id
    for n in range(12):
        make_contact(
            name=f"Exportní {n:02d}",
            client_group_id=vip_id if n % 3 == 0 else None,
            phone="+420601123456" if n == 0 else None,
        )
    make_contact(name='<script>alert("x")</script>', client_group_id=vip_id)
    make_contact(name='=HYPERLINK("http://evil")')
    make_contact(name="-2+3+cmd|' /C calc'!A0")
    return vip_id


def test_csv_export_has_the_lists_rows_columns_and_order(staff, contacts):
    params = {"flt1_group_equals": contacts, "sort": 1, "desc": 1}
    rows = export_csv(staff, **params)
    assert rows[0] == [
        "Client number",
        "Name",
        "Company",
        "City",
        "Street",
        "Phone",
        "E-mail",
        "Group",
        "Status",
        "Invoice group",
        "Contact/client",
    ]
    assert [row[1] for row in rows[1:]] == list_names(staff, **params)
    assert len(rows) == 1 + 5
    novak = next(row for row in rows if row[1] == "Exportní 00")
    # A leading + is a formula to a spreadsheet: the phone keeps an apostrophe in front.
    assert novak[5] == "'+420 601 123 456" and novak[7] == "VIP" and novak[10] == "contact"


def test_export_writes_markup_as_text_and_defuses_formulas(staff, contacts):
    names = [row[1] for row in export_csv(staff)[1:]]
    assert '<script>alert("x")</script>' in names
    assert '\'=HYPERLINK("http://evil")' in names
    assert "'-2+3+cmd|' /C calc'!A0" in names


def test_xlsx_export_matches_the_list(staff, contacts):
    params = {"search": "exportni"}
    response = staff.get("/admin/contact/export/xlsx/", query_string=params)
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    response.close()
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][1] == "Name"
    assert [row[1] for row in rows[1:]] == list_names(staff, **params)
    assert len(rows) == 13
    assert sheet["A1"].font.b and not sheet["A2"].font.b  # a bold header


def test_xlsx_keeps_formula_lookalikes_as_text_and_drops_characters_xml_cannot_hold(staff, contacts, make_contact):
    make_contact(name="Bell\x07 Ringer", city="Tab\tTown")
    response = staff.get("/admin/contact/export/xlsx/")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    response.close()
    cells = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    formula = cells['=HYPERLINK("http://evil")'][1]
    assert formula.data_type == "s"  # text, never run as a formula, and shown as typed
    assert '<script>alert("x")</script>' in cells
    assert cells["Bell Ringer"][3].value == "Tab\tTown"
    assert sheet.max_row == 1 + 16


def test_unknown_export_type_is_404(staff):
    assert staff.get("/admin/contact/export/pdf/").status_code == 404


@pytest.mark.parametrize(
    ("language", "file", "sheet"), [("cs", "kontakty", "Kontakty"), ("en", "contacts", "Contacts")]
)
def test_the_file_its_sheet_and_header_are_named_in_the_clerks_language(staff, contacts, language, file, sheet):
    response = staff.get("/admin/contact/export/xlsx/", headers={"Accept-Language": language})
    workbook = load_workbook(io.BytesIO(response.get_data()))
    response.close()
    assert f'filename="{file}-' in response.headers["Content-Disposition"]
    assert workbook.active.title == sheet
    assert workbook.active["B1"].value == ("Jméno / název" if language == "cs" else "Name")
