"""The compliance app's lifecycles: a notice's, a measure's and a complaint's allowed moves.
Every move goes through network_marketplace.transitions.transition() (event row + audit row
`<lifecycle>.<status>`): the audit trail of a case is these rows, in order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle

from .models import Complaint, ComplaintEvent, Measure, MeasureEvent, Notice, NoticeEvent

N = Notice.Status
NOTICE_TRANSITIONS: dict[str, set[str]] = {
    N.RECEIVED: {N.IN_REVIEW, N.ACTION_TAKEN, N.NO_ACTION},
    N.IN_REVIEW: {N.ACTION_TAKEN, N.NO_ACTION},
    # A notifier's upheld complaint about "no action" reopens the case for a new decision.
    N.NO_ACTION: {N.IN_REVIEW},
    N.ACTION_TAKEN: set(),
}

NOTICE_LIFECYCLE = Lifecycle(
    name="notice",
    model=Notice,
    moves=NOTICE_TRANSITIONS,
    event_model=NoticeEvent,
    event_parent="notice",
    store_of=lambda notice: notice.store_id,
    audit_data=lambda notice: {"reference": notice.reference, "category": notice.category},
    illegal_message=gettext_lazy("A notice can't go from “%(current)s” to “%(target)s”."),
)

M = Measure.Status
MEASURE_TRANSITIONS: dict[str, set[str]] = {
    M.ACTIVE: {M.LIFTED, M.EXPIRED},
    M.LIFTED: set(),
    M.EXPIRED: set(),
}

MEASURE_LIFECYCLE = Lifecycle(
    name="measure",
    model=Measure,
    moves=MEASURE_TRANSITIONS,
    event_model=MeasureEvent,
    event_parent="measure",
    store_of=lambda measure: measure.store_id,
    audit_data=lambda measure: {"kind": measure.kind, "target": measure.target_id},
    illegal_message=gettext_lazy("A measure can't go from “%(current)s” to “%(target)s”."),
)

C = Complaint.Status
COMPLAINT_TRANSITIONS: dict[str, set[str]] = {
    C.RECEIVED: {C.UPHELD, C.REJECTED},
    C.UPHELD: set(),
    C.REJECTED: set(),
}

COMPLAINT_LIFECYCLE = Lifecycle(
    name="complaint",
    model=Complaint,
    moves=COMPLAINT_TRANSITIONS,
    event_model=ComplaintEvent,
    event_parent="complaint",
    store_of=lambda complaint: complaint.complainant_store_id,
    audit_data=lambda complaint: {"reference": complaint.reference},
    illegal_message=gettext_lazy("A complaint can't go from “%(current)s” to “%(target)s”."),
)
