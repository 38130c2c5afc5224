"""Reads of part C2's public pages: published transparency reports, the last published
average of monthly active recipients, the products whose buyers were not all reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import IllegalProductBuyer, IllegalProductCase, TransparencyReport
from ..services.transparency_report import average_monthly_active_recipients


@dataclass(frozen=True)
class AverageRecipients:
    period_end: date  # the first day of the last month averaged
    average: int


def published_reports() -> list[TransparencyReport]:
    return list(TransparencyReport.objects.filter(published_at__isnull=False).order_by("-year"))


def latest_average_recipients(*, today: date) -> AverageRecipients | None:
    """The figure published every 6 months: the average over the half-year that ended last
    (January-June or July-December), None while a month of it is not recorded."""
    end = date(today.year, 6, 1) if today.month > 6 else date(today.year - 1, 12, 1)
    average = average_monthly_active_recipients(end)
    return AverageRecipients(period_end=end, average=average) if average is not None else None


def illegal_product_notices() -> list[IllegalProductCase]:
    """The illegal products with at least one buyer who could not be told (no contact)."""
    return list(
        IllegalProductCase.objects.filter(buyers__outcome=IllegalProductBuyer.Outcome.NO_CONTACT)
        .distinct()
        .order_by("-confirmed_at")
    )
