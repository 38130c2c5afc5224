"""Reads of DSA cases: HQ's notice queue, a store's statements, a case's audit trail, and the
records the transparency report (art. 15, 24) counts, by period."""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, Case, ExpressionWrapper, Q, QuerySet, Value, When

from network_marketplace.models import AuditEvent
from stores.models import Store

from ..models import Complaint, Measure, Notice, StatementOfReasons


def notice_queue() -> QuerySet[Notice]:
    """Open notices, trusted flaggers' first (art. 22), then the oldest first."""
    return (
        Notice.objects.filter(status__in=[Notice.Status.RECEIVED, Notice.Status.IN_REVIEW])
        .annotate(
            from_trusted_flagger=ExpressionWrapper(
                Q(trusted_flagger__isnull=False), output_field=BooleanField()
            )
        )
        .order_by("-from_trusted_flagger", "received_at")
    )


def notices_trusted_first(queryset: QuerySet[Notice]) -> QuerySet[Notice]:
    """Any notices, ordered as the queue is: trusted flaggers' first, then oldest first."""
    return queryset.annotate(
        trusted_rank=Case(When(trusted_flagger__isnull=False, then=Value(0)), default=Value(1))
    ).order_by("trusted_rank", "received_at")


def statements_for_store(store: Store) -> QuerySet[StatementOfReasons]:
    """The statements of reasons a store sees in its back-office, newest first."""
    return (
        StatementOfReasons.objects.filter(affected_stores=store)
        .select_related("measure")
        .order_by("-created_at", "-id")
    )


def case_trail(*, notice: Notice | None = None, measure: Measure | None = None) -> list[AuditEvent]:
    """Every audit row of one case (a notice and all it led to: measures, offer switched,
    complaints, lifting), oldest first."""
    if notice is not None:
        key = f"notice:{notice.pk}"
        measures = list(notice.measures.values_list("pk", flat=True))
    elif measure is not None:
        key = f"notice:{measure.notice_id}" if measure.notice_id else f"measure:{measure.pk}"
        measures = [measure.pk]
    else:
        return []
    # The lower apps' rows of a measure's effect (offer switched, store suspended, payouts
    # held) name the measure as their reference.
    references = [f"compliance.measure:{pk}" for pk in measures]
    rows = AuditEvent.objects.filter(
        Q(data__case=key) | Q(data__reference__in=references) | Q(data__reason__in=references)
    )
    return list(rows.order_by("created_at", "id"))


# The records the transparency report counts (C2 builds the report on these).


def notices_received(start: datetime, end: datetime) -> QuerySet[Notice]:
    return Notice.objects.filter(received_at__gte=start, received_at__lt=end)


def measures_applied(start: datetime, end: datetime) -> QuerySet[Measure]:
    """Measures that took effect in [start, end): `source` tells notice from own initiative."""
    return Measure.objects.filter(started_at__gte=start, started_at__lt=end)


def complaints_received(start: datetime, end: datetime) -> QuerySet[Complaint]:
    return Complaint.objects.filter(submitted_at__gte=start, submitted_at__lt=end)


def complaints_upheld(start: datetime, end: datetime) -> QuerySet[Complaint]:
    """Complaints decided in [start, end) that reversed the decision."""
    return Complaint.objects.filter(
        status=Complaint.Status.UPHELD, decided_at__gte=start, decided_at__lt=end
    )
