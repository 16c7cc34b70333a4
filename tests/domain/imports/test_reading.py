"""Reading files as offices write them: encodings and delimiters detected, XLSX streamed."""

from __future__ import annotations

import pytest

from domain.imports.reading import UnreadableFile, cell_text, count_rows, detect, read_rows


def rows_of(path, **options):
    return list(read_rows(detect(str(path), **options)))


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("Jméno;Obec\nŽluťoučký;Brno\n".encode("cp1250"), "cp1250", ";"),
        ("\ufeffJméno,Obec\nŽluťoučký,Brno\n".encode(), "utf-8-sig", ","),
        ("Jméno\tObec\nŽluťoučký\tBrno\n".encode(), "utf-8", "\t"),
        ('"Jméno; příjmení",Obec\nŽluťoučký,Brno\n'.encode(), "utf-8", ","),  # a quoted ; does not count
    ],
)
def test_encoding_and_delimiter_are_detected(tmp_path, data, encoding, delimiter):
    (tmp_path / "f.csv").write_bytes(data)
    source = detect(str(tmp_path / "f.csv"))
    assert (source.kind, source.encoding, source.delimiter) == ("csv", encoding, delimiter)
    assert rows_of(tmp_path / "f.csv")[1] == (2, ["Žluťoučký", "Brno"])


def test_quoted_line_breaks_stay_in_their_field_and_rows_count_as_a_spreadsheet_shows_them(tmp_path):
    (tmp_path / "f.csv").write_bytes(b'a;b\n"1\n2";x\n3;y\n')
    assert rows_of(tmp_path / "f.csv") == [(1, ["a", "b"]), (2, ["1\n2", "x"]), (3, ["3", "y"])]


def test_the_detection_can_be_overridden(tmp_path):
    (tmp_path / "f.csv").write_bytes("a;b,c\n".encode("cp1250"))
    assert rows_of(tmp_path / "f.csv", delimiter=",", encoding="utf-8") == [(1, ["a;b", "c"])]


def test_a_wrong_encoding_is_said_not_raised_as_a_decoding_error(tmp_path):
    (tmp_path / "f.csv").write_bytes("Žluťoučký\n".encode("cp1250"))
    with pytest.raises(UnreadableFile):
        rows_of(tmp_path / "f.csv", encoding="utf-8")


def test_spreadsheet_cells_read_as_a_clerk_sees_them():
    from datetime import datetime

    assert [cell_text(v) for v in (None, 12345.0, 1.5, True, datetime(1985, 2, 12), "x")] == [
        "",
        "12345",
        "1.5",
        "1",
        "1985-02-12",
        "x",
    ]


def test_rows_are_counted_for_the_progress(tmp_path):
    from openpyxl import Workbook

    (tmp_path / "f.csv").write_bytes(b'a;b\n"1\n2";x\n3;y\n\n')
    assert count_rows(detect(str(tmp_path / "f.csv"))) == 3  # the blank line too: a spreadsheet row
    workbook = Workbook()
    for number in range(6):
        workbook.active.append([number])
    workbook.save(tmp_path / "f.xlsx")
    assert count_rows(detect(str(tmp_path / "f.xlsx"))) == 5
