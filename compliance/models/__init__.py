"""Compliance records. P2B (issue 12, part C3): terms, terminations, store complaints, exports."""

from .exports import StoreDataExport, StoreDataExportEvent
from .store_complaints import Mediator, StoreComplaint, StoreComplaintEvent, StoreComplaintMessage
from .terms import (
    Art44Ground,
    StoreTermination,
    StoreTerminationEvent,
    TermsDecision,
    TermsException,
    TermsStanding,
    TermsVersion,
)

__all__ = [
    "Art44Ground",
    "Mediator",
    "StoreComplaint",
    "StoreComplaintEvent",
    "StoreComplaintMessage",
    "StoreDataExport",
    "StoreDataExportEvent",
    "StoreTermination",
    "StoreTerminationEvent",
    "TermsDecision",
    "TermsException",
    "TermsStanding",
    "TermsVersion",
]
