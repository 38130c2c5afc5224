"""GDPR for customers (issue 13, part F): the export of her data (`export`, what it holds:
`sections`), the closing of her account with what the law keeps (`erasure`), and the retention
engine with its clocks (`retention`, `clocks`). docs/gdpr.md describes them."""

from .clocks import CLOCKS, retention_table
from .erasure import AccountHasOpenOrders, ClosureReport, close_account, open_order_numbers
from .export import (
    ExportAlreadyRequested,
    ExportLinkInvalid,
    build_personal_data_export,
    download_path,
    export_for_download,
    latest_export_of,
    link_expires_at,
    record_download,
    request_personal_data_export,
)
from .retention import apply_retention
from .sections import register_erasure_step, register_export_section

__all__ = [
    "CLOCKS",
    "AccountHasOpenOrders",
    "ClosureReport",
    "ExportAlreadyRequested",
    "ExportLinkInvalid",
    "apply_retention",
    "build_personal_data_export",
    "close_account",
    "download_path",
    "export_for_download",
    "latest_export_of",
    "link_expires_at",
    "open_order_numbers",
    "record_download",
    "register_erasure_step",
    "register_export_section",
    "request_personal_data_export",
    "retention_table",
]
