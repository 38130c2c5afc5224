"""Reads of the compliance app, by topic (C1: cases)."""

from .cases import (
    case_trail,
    complaints_received,
    complaints_upheld,
    measures_applied,
    notice_queue,
    notices_received,
    notices_trusted_first,
    statements_for_store,
)

__all__ = [
    "case_trail",
    "complaints_received",
    "complaints_upheld",
    "measures_applied",
    "notice_queue",
    "notices_received",
    "notices_trusted_first",
    "statements_for_store",
]
