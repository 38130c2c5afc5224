"""The one tabular reader: the catalogue import, the stock feeds and the postal codes read
their files through it, so a file that one accepts the others read the same way."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from network_marketplace.tabular import TableError, read_table

WINDOWS_CITY = "Œuilly \u2013 l\u2019Étang"  # an en dash and a curly apostrophe: cp1252 only


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"]
)
def test_the_delimiter_is_found_from_the_header(delimiter):
    data = delimiter.join(["sku", "On hand", "note"]) + "\n" + delimiter.join(["A", "3", "x y"])

    table = read_table(data.encode(), filename="stock.csv")

    assert table.header == ["sku", "on_hand", "note"]
    assert table.rows[0].cells == ["A", "3", "x y"]


@pytest.mark.parametrize(
    ("data", "city"),
    [
        ("code;city\n01000;Saint-Denis-lès-Bourg\n".encode(), "Saint-Denis-lès-Bourg"),
        ("\ufeffcode;city\n01000;Bourg-en-Bresse\n".encode(), "Bourg-en-Bresse"),
        (f"code;city\n01000;{WINDOWS_CITY}\n".encode("cp1252"), WINDOWS_CITY),
        (b"code;city\n01000;x\x81y\n", "x\x81y"),  # not cp1252 (0x81 is unassigned): latin-1
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "latin-1"],
)
def test_the_encoding_is_utf8_else_cp1252_else_latin1(data, city):
    table = read_table(data, filename="codes.csv")

    assert table.header == ["code", "city"]
    assert table.rows[0].cells == ["01000", city]


def test_blank_rows_are_left_out_and_rows_keep_their_line_numbers():
    table = read_table(b"sku,qty\nA,1\n\n , \nB,2\n", filename="f.csv")

    assert [(row.line, row.cells) for row in table.rows] == [(2, ["A", "1"]), (5, ["B", "2"])]
    assert list(table.records()) == [(2, {"sku": "A", "qty": "1"}), (5, {"sku": "B", "qty": "2"})]


def test_an_xlsx_sheet_reads_numbers_and_dates_as_typed():
    data = xlsx([["SKU", "On-hand", "Price", "When"], ["A", 4, 12.9, date(2026, 1, 2)]])

    table = read_table(data, filename="stock.xlsx")

    assert table.header == ["sku", "on_hand", "price", "when"]
    assert table.rows[0].cells == ["A", "4", "12.9", "2026-01-02T00:00:00"]


def test_a_row_with_too_many_cells_is_an_error_at_its_line():
    with pytest.raises(TableError) as error:
        read_table(b"sku;qty\nA;1\nB;2;oops\n", filename="f.csv")

    assert error.value.line == 3


def test_too_many_rows_are_refused():
    with pytest.raises(TableError) as error:
        read_table(b"sku\nA\nB\nC\n", filename="f.csv", max_rows=2)

    assert "3" in error.value.message


def test_a_column_twice_in_the_header_is_refused():
    with pytest.raises(TableError) as error:
        read_table(b"sku,SKU,qty\nA,B,1\n", filename="f.csv")

    assert error.value.line == 1
    assert "sku" in error.value.message


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "f.csv"),
        (b"\n \n", "f.csv"),
        ("a,b".encode("utf-16"), "f.csv"),
        (b"%PDF-1.4", "f.pdf"),
        (b"PK\x03\x04 broken", "f.xlsx"),
        (b"not a zip", "f.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "f.xls"),
    ],
    ids=["empty", "blank", "utf-16", "pdf", "broken-xlsx", "xlsx-not-zip", "old-excel"],
)
def test_an_unreadable_file_is_a_clear_error(data, filename):
    with pytest.raises(TableError) as error:
        read_table(data, filename=filename)

    assert error.value.message
