"""Reads on stores' complaints: a store's own, HQ's overdue ones, and the annual report HQ
publishes (P2B art. 11(4): number, type, average handling time, outcome)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from stores.models import Store

from ..models import StoreComplaint


def complaints_of(store: Store) -> QuerySet[StoreComplaint]:
    """The store's complaints, newest first: the only ones its back-office shows."""
    return StoreComplaint.objects.filter(store=store).order_by("-created_at", "-id")


def complaint_of(store: Store, pk: int) -> StoreComplaint | None:
    """One of the store's complaints with its thread, or None (another store's: not found)."""
    return complaints_of(store).prefetch_related("messages").filter(pk=pk).first()


def overdue_complaints() -> QuerySet[StoreComplaint]:
    return StoreComplaint.objects.exclude(status=StoreComplaint.Status.CLOSED).filter(
        due_at__lt=timezone.now()
    )


@dataclass
class ComplaintReport:
    """One calendar year of stores' complaints."""

    year: int
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    still_open: int = 0
    average_handling_days: float | None = None

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, item, value) rows, as the CSV and the page show them."""
        rows = [("total", "complaints", str(self.total))]
        rows += [("type", kind, str(count)) for kind, count in self.by_kind.items()]
        rows += [("outcome", outcome, str(count)) for outcome, count in self.by_outcome.items()]
        rows.append(("outcome", "open", str(self.still_open)))
        average = "" if self.average_handling_days is None else f"{self.average_handling_days:.1f}"
        rows.append(("handling", "average_days", average))
        return rows


def complaint_report(year: int) -> ComplaintReport:
    """The complaints opened in `year`: counts by type and outcome, those still open, and the
    average time from opening to closing (days) of the closed ones."""
    report = ComplaintReport(
        year=year,
        by_kind=dict.fromkeys(StoreComplaint.Kind.values, 0),
        by_outcome={value: 0 for value in StoreComplaint.Outcome.values if value},
    )
    handling = timedelta()
    closed = 0
    for kind, outcome, created_at, closed_at in StoreComplaint.objects.filter(
        created_at__year=year
    ).values_list("kind", "outcome", "created_at", "closed_at"):
        report.total += 1
        report.by_kind[kind] = report.by_kind.get(kind, 0) + 1
        if closed_at is None:
            report.still_open += 1
            continue
        report.by_outcome[outcome] = report.by_outcome.get(outcome, 0) + 1
        handling += closed_at - created_at
        closed += 1
    if closed:
        report.average_handling_days = handling.total_seconds() / closed / 86400
    return report


def complaint_report_csv(year: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["year", "section", "item", "value"])
    for section, item, value in complaint_report(year).rows():
        writer.writerow([year, section, item, value])
    return buffer.getvalue()
