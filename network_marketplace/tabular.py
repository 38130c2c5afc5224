"""The one reader of tabular files people upload or ship: CSV and XLSX.

The catalogue import, the stock feed files and the postal code file all read "a header, then
rows" from a spreadsheet export. Each used to guess the delimiter and the encoding its own way;
they now share these rules:

- XLSX (first sheet) by its name or its ZIP signature; an old Excel file (.xls) is refused with
  a hint; any other name than .csv/.txt/.xlsx (or none) is refused.
- CSV: UTF-8 with or without a BOM, else cp1252 (what Excel for Windows writes), else latin-1;
  UTF-16 and binary files are refused. The delimiter is the most frequent of `,` `;` tab `|` in
  the header line (`,` when none is there).
- Cells are stripped text (an XLSX number as typed: 12 not 12.0, a date in ISO format); header
  names are normalised ("On hand" -> "on_hand"); blank rows are left out; every row keeps its
  line number in the file (header = line 1), so errors name the line the user sees.

Errors are `TableError` (a DomainError with the line number); each caller words them into its
own domain error (an import report, a rejected feed, a postal code file error).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from .errors import DomainError

DELIMITERS = (",", ";", "\t", "|")
XLSX_SIGNATURE = b"PK\x03\x04"
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_SUFFIXES = (".csv", ".txt", "")
_HEADER_SEPARATORS = re.compile(r"[\s\-]+")


class TableError(DomainError):
    """The file cannot be read as a table: nothing in it was used."""

    code = "unreadable_table"
    http_status = 400

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message, line=line)
        self.line = line


@dataclass(frozen=True)
class TableRow:
    """A non-blank row: its line in the file (header = 1) and its cells as stripped text."""

    line: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    """The header (normalised names, trailing blank names dropped; empty when line 1 is blank)
    and the non-blank rows under it."""

    header: list[str]
    rows: list[TableRow]

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row as (line, {column: cell}); a short row lacks its last columns."""
        header = self.header
        for row in self.rows:
            yield row.line, dict(zip(header, row.cells, strict=False))


def normalise_header(name: str) -> str:
    """A column name as callers compare it: lower case, spaces and dashes as underscores."""
    return _HEADER_SEPARATORS.sub("_", name.strip().lower())


def read_table(
    data: bytes,
    *,
    filename: str = "",
    max_rows: int | None = None,
    check_width: bool = True,
) -> Table:
    """Read a CSV or XLSX file into its header and rows; raises TableError.

    `max_rows` bounds the rows under the header. With `check_width`, a row with more non-blank
    cells than the header has names is an error at its line (a wrong delimiter, a stray cell);
    without it the caller checks, e.g. to list that row's error among others.
    """
    suffix = Path(filename or "").suffix.lower()
    if not data or not data.strip():
        raise TableError(_("The file is empty."))
    is_zip = data[:4] == XLSX_SIGNATURE
    if suffix == ".xls" or data[:8] == XLS_SIGNATURE:
        raise TableError(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV UTF-8.")
        )
    if suffix == ".xlsx" or is_zip:
        if not is_zip:
            raise TableError(_("This file is not a valid XLSX workbook."))
        lines = _xlsx_lines(data)
    elif suffix in TEXT_SUFFIXES:
        lines = _csv_lines(data)
    else:
        raise TableError(
            _("Only CSV and XLSX files can be imported (this file is “%(suffix)s”).")
            % {"suffix": suffix}
        )
    return _table(lines, max_rows=max_rows, check_width=check_width)


def read_table_file(path: Path | str, **options: Any) -> Table:
    """`read_table` for a file on disk (shipped data, a command's argument)."""
    path = Path(path)
    return read_table(path.read_bytes(), filename=path.name, **options)


def decode_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), else cp1252, else latin-1."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise TableError(
            _("This is not a CSV text file (UTF-16 or binary): save it as “CSV UTF-8”.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # every byte is a latin-1 character


def detect_delimiter(header_line: str) -> str:
    """The most frequent candidate in the header line; `,` on a tie or when none appears."""
    best = max(DELIMITERS, key=header_line.count)
    return best if header_line.count(best) else ","


def _csv_lines(data: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(data)
    delimiter = detect_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [
            (number, [cell.strip() for cell in cells]) for number, cells in enumerate(reader, 1)
        ]
    except csv.Error as exc:
        raise TableError(
            _("The CSV file cannot be read: %(error)s.") % {"error": exc},
            line=reader.line_num,
        ) from exc


def cell_text(value: object) -> str:
    """An XLSX cell as the text a person typed (12 not 12.0; a date in ISO format)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_lines(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise TableError(_("This file is not a valid XLSX workbook.")) from exc
    try:
        if not workbook.worksheets:
            raise TableError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]  # the first sheet holds the table
        return [
            (number, [cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _table(lines: list[tuple[int, list[str]]], *, max_rows: int | None, check_width: bool) -> Table:
    if not any(any(cells) for _number, cells in lines):
        raise TableError(_("The file is empty."))
    header = [normalise_header(name) for name in lines[0][1]]
    while header and not header[-1]:
        header.pop()
    named = [name for name in header if name]
    duplicates = {name for name in named if named.count(name) > 1}
    if duplicates:
        raise TableError(
            _("These columns appear twice in the header: %(columns)s.")
            % {"columns": ", ".join(sorted(duplicates))},
            line=1,
        )
    rows = [TableRow(number, cells) for number, cells in lines[1:] if any(cells)]
    if max_rows is not None and len(rows) > max_rows:
        raise TableError(
            _("The file has %(count)d rows; split it into files of at most %(max)d rows.")
            % {"count": len(rows), "max": max_rows}
        )
    if check_width and header:
        width = len(header)
        for row in rows:
            if len(row.cells) > width and any(row.cells[width:]):
                raise TableError(too_many_cells_message(), line=row.line)
    return Table(header=header, rows=rows)


def too_many_cells_message() -> str:
    return _("This row has more cells than the header has columns (check the separators).")
