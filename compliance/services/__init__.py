"""Writes of the compliance app, by topic. C1: measures and statements of reasons (the one
service every part calls), notices, complaints."""

from .complaints import (
    ComplaintWindowClosed,
    InvalidComplaint,
    complaint_deadline,
    decide_complaint,
    submit_complaint,
)
from .measures import (
    InvalidMeasure,
    MeasureWithoutGround,
    apply_measure,
    complaint_token,
    expire_measures,
    lift_measure,
    read_complaint_token,
    redress_text,
)
from .notices import (
    InvalidNotice,
    NoticeAlreadyDecided,
    decide_notice,
    measure_target,
    resolve_target,
    site_hosts,
    start_review,
    submit_notice,
)

__all__ = [
    "ComplaintWindowClosed",
    "InvalidComplaint",
    "InvalidMeasure",
    "InvalidNotice",
    "MeasureWithoutGround",
    "NoticeAlreadyDecided",
    "apply_measure",
    "complaint_deadline",
    "complaint_token",
    "decide_complaint",
    "decide_notice",
    "expire_measures",
    "lift_measure",
    "measure_target",
    "read_complaint_token",
    "redress_text",
    "resolve_target",
    "site_hosts",
    "start_review",
    "submit_complaint",
    "submit_notice",
]
