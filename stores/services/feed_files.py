"""A stock feed sent as a file (CSV or XLSX), read by the project's one tabular reader.

A file's rows become the same dicts an API client sends, with `_row`, the line in the file
(header = line 1), so that errors name the line the store sees in its spreadsheet."""

from __future__ import annotations

from typing import Any, Protocol

from django.utils.translation import gettext as _

from network_marketplace.tabular import TableError, read_table

from .feed_rows import MAX_FEED_ROWS, RowError, StockFeedRejected


class Upload(Protocol):
    """What the reader needs of an uploaded file (Django's UploadedFile has it)."""

    name: str | None

    def read(self) -> bytes: ...


def read_feed_file(uploaded: Upload) -> list[dict[str, Any]]:
    """Rows of a CSV or XLSX upload, as dicts with a `_row` number. Raises StockFeedRejected for
    a file that can't be read (row 0, or the line at fault) or lacks a required column."""
    try:
        table = read_table(
            uploaded.read(), filename=getattr(uploaded, "name", "") or "", max_rows=MAX_FEED_ROWS
        )
    except TableError as error:
        where = "row" if error.line else "file"
        raise StockFeedRejected([RowError(error.line, where, error.message)]) from None
    check_header(table.header)
    return [{"_row": line, **record} for line, record in table.records()]


def check_header(header: list[str]) -> None:
    errors = [
        RowError(1, column, _("Missing column: %(column)s.") % {"column": column})
        for column in ("sku", "on_hand")
        if column not in header
    ]
    if "sequence" not in header and "source_timestamp" not in header:
        errors.append(
            RowError(
                1,
                "sequence",
                _("Missing column: %(first)s or %(second)s (one of them is required).")
                % {"first": "sequence", "second": "source_timestamp"},
            )
        )
    if errors:
        raise StockFeedRejected(errors)
