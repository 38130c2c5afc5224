"""The compliance app's tables, one module by topic; every name is re-exported here."""

from .bodies import DisputeRecord, OutOfCourtBody
from .complaints import Complaint, ComplaintEvent
from .measures import (
    KIND_TARGET,
    Measure,
    MeasureEvent,
    MeasureKind,
    MeasureSource,
    StatementOfReasons,
)
from .notices import IllegalityCategory, Notice, NoticeEvent, TargetKind, TrustedFlagger

__all__ = [
    "KIND_TARGET",
    "Complaint",
    "ComplaintEvent",
    "DisputeRecord",
    "IllegalityCategory",
    "Measure",
    "MeasureEvent",
    "MeasureKind",
    "MeasureSource",
    "Notice",
    "NoticeEvent",
    "OutOfCourtBody",
    "StatementOfReasons",
    "TargetKind",
    "TrustedFlagger",
]
