"""Compliance's lifecycles, each moved only by `network_marketplace.transitions.transition()`.

P2B (issue 12, part C3): HQ's termination of a store, a store's complaint, a store's data export.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle

from .models import (
    StoreComplaint,
    StoreComplaintEvent,
    StoreDataExport,
    StoreDataExportEvent,
    StoreTermination,
    StoreTerminationEvent,
)

T = StoreTermination.Status

STORE_TERMINATION_LIFECYCLE = Lifecycle(
    name="store_termination",
    model=StoreTermination,
    moves={T.SCHEDULED: {T.EFFECTIVE, T.WITHDRAWN}, T.EFFECTIVE: set(), T.WITHDRAWN: set()},
    event_model=StoreTerminationEvent,
    event_parent="termination",
    store_of=lambda termination: termination.store_id,
    illegal_message=gettext_lazy(
        "A termination can't go from “%(current)s” to “%(target)s”."
    ),
)

C = StoreComplaint.Status

STORE_COMPLAINT_LIFECYCLE = Lifecycle(
    name="store_complaint",
    model=StoreComplaint,
    moves={
        C.OPEN: {C.IN_PROGRESS, C.CLOSED},
        C.IN_PROGRESS: {C.CLOSED},
        C.CLOSED: set(),
    },
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
