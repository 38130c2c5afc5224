"""The compliance app's lifecycles: a notice's, a measure's and a complaint's allowed moves.
Every move goes through network_marketplace.transitions.transition() (event row + audit row
`<lifecycle>.<status>`): the audit trail of a case is these rows, in order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle

from .models import (
    Complaint,
    ComplaintEvent,
    Measure,
    MeasureEvent,
    Notice,
    NoticeEvent,
    PersonalDataExport,
    PersonalDataExportEvent,
    StoreComplaint,
    StoreComplaintEvent,
    StoreDataExport,
    StoreDataExportEvent,
    StoreTermination,
    StoreTerminationEvent,
)

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

# P2B (part C3): HQ's termination of a store, a store's complaint to HQ, a store's data export.

T = StoreTermination.Status

STORE_TERMINATION_LIFECYCLE = Lifecycle(
    name="store_termination",
    model=StoreTermination,
    moves={T.SCHEDULED: {T.EFFECTIVE, T.WITHDRAWN}, T.EFFECTIVE: set(), T.WITHDRAWN: set()},
    event_model=StoreTerminationEvent,
    event_parent="termination",
    store_of=lambda termination: termination.store_id,
    illegal_message=gettext_lazy("A termination can't go from “%(current)s” to “%(target)s”."),
)

SC = StoreComplaint.Status

STORE_COMPLAINT_LIFECYCLE = Lifecycle(
    name="store_complaint",
    model=StoreComplaint,
    moves={SC.OPEN: {SC.IN_PROGRESS, SC.CLOSED}, SC.IN_PROGRESS: {SC.CLOSED}, SC.CLOSED: set()},
    event_model=StoreComplaintEvent,
    event_parent="complaint",
    store_of=lambda complaint: complaint.store_id,
    audit_data=lambda complaint: {"reference": complaint.reference, "kind": complaint.kind},
    illegal_message=gettext_lazy("A complaint can't go from “%(current)s” to “%(target)s”."),
)

E = StoreDataExport.Status

STORE_EXPORT_LIFECYCLE = Lifecycle(
    name="store_export",
    model=StoreDataExport,
    moves={
        E.PENDING: {E.RUNNING, E.FAILED},
        E.RUNNING: {E.READY, E.FAILED},
        E.READY: set(),
        E.FAILED: set(),
    },
    event_model=StoreDataExportEvent,
    event_parent="export",
    store_of=lambda export: export.store_id,
    illegal_message=gettext_lazy("An export can't go from “%(current)s” to “%(target)s”."),
)

# GDPR (issue 13, part F): a customer's data export.

PE = PersonalDataExport.Status

PERSONAL_EXPORT_LIFECYCLE = Lifecycle(
    name="personal_export",
    model=PersonalDataExport,
    moves={
        PE.PENDING: {PE.RUNNING, PE.FAILED},
        PE.RUNNING: {PE.READY, PE.FAILED},
        PE.READY: {PE.EXPIRED},
        PE.FAILED: set(),
        PE.EXPIRED: set(),
    },
    event_model=PersonalDataExportEvent,
    event_parent="export",
    illegal_message=gettext_lazy("An export can't go from “%(current)s” to “%(target)s”."),
)
