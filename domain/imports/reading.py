"""Reading an uploaded file row by row: CSV as offices write it, or an XLSX workbook's first sheet.

Rows are yielded one at a time (a 100,000-row file stays in flat memory). A CSV's encoding and
delimiter are detected from its start unless given; XLSX is recognised by its content (a zip).
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
from flask_babel import gettext

ENCODINGS = ("utf-8-sig", "utf-8", "cp1250")
DELIMITERS = (",", ";", "\t")
_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class Source:
    """A file to import and how to read it."""

    path: str
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None


class UnreadableFile(ValueError):
    """The file cannot be read as chosen; the message says why, for the clerk."""


def detect(path: str, encoding: str | None = None, delimiter: str | None = None) -> Source:
    """The file at `path` with its kind and, for a CSV, its encoding and delimiter (detected when not given)."""
    with open(path, "rb") as stream:
        sample = stream.read(_SAMPLE)
    if sample.startswith(b"PK\x03\x04"):
        return Source(str(path), "xlsx")
    encoding = encoding or detect_encoding(sample)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UnreadableFile(gettext("Unknown encoding %(encoding)s.", encoding=encoding)) from None
    text = sample.decode(encoding, errors="replace")
    return Source(str(path), "csv", encoding, delimiter or detect_delimiter(text))


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with its BOM, as Excel saves "CSV UTF-8", or without), else Windows-1250 (Czech Excel's "CSV")."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 3:  # not only a character cut off at the sample's end
            return "cp1250"
    return "utf-8"


def detect_delimiter(text: str) -> str:
    """The delimiter the header line uses most (a Czech Excel writes `;`), outside quotes."""
    line, quoted = [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif not quoted:
            line.append(char)
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_rows(source: Source) -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, the cells as texts) for every row, the header first.

    Raises UnreadableFile when the file turns out not to be what was chosen.
    """
    try:
        if source.kind == "xlsx":
            yield from _xlsx_rows(source.path)
        else:
            yield from _csv_rows(source)
    except UnicodeDecodeError:
        raise UnreadableFile(
            gettext("The file is not in the encoding %(encoding)s; choose another one.", encoding=source.encoding)
        ) from None
    except csv.Error as error:
        raise UnreadableFile(gettext("The file is not a readable CSV file (%(error)s).", error=error)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        if isinstance(error, UnreadableFile):
            raise
        raise UnreadableFile(gettext("The file is not a readable XLSX workbook.")) from None


def _csv_rows(source: Source) -> Iterator[tuple[int, list[str]]]:
    # newline="": line breaks inside quoted fields stay part of the field.
    with open(source.path, encoding=source.encoding, newline="") as stream:
        yield from enumerate(csv.reader(stream, delimiter=source.delimiter), start=1)


def _xlsx_rows(path: str) -> Iterator[tuple[int, list[str]]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A spreadsheet cell as the text a clerk sees in it (12345, not 12345.0; dates as 1985-02-12)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def count_rows(source: Source) -> int | None:
    """How many data rows (after the header) the file has, or None when it is not known cheaply."""
    if source.kind == "xlsx":
        # The sheet's size as Excel records it (<dimension>); a workbook without it is not counted.
        try:
            workbook = openpyxl.load_workbook(source.path, read_only=True)
            rows = workbook.worksheets[0].max_row
            workbook.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return None
        return rows - 1 if rows else None
    return max(sum(1 for _ in read_rows(source)) - 1, 0)
