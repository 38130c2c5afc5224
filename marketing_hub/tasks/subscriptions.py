"""Beat and worker tasks of the marketing hub: subscriptions. Thin and safe to run twice: each
calls one idempotent service (`acks_late` + `reject_on_worker_lost`: a worker killed mid-run
gives the task back to the broker, and the rerun bills only what was not billed)."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.conf import settings

from ..services import billing, deliverables, subscriptions

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def bill_subscriptions(period: str | None = None) -> int:
    """On the 1st (and hourly after, to catch up): bill each live subscription for the month
    once. `period`: "YYYY-MM-DD" of a day in the month to bill (default: this month)."""
    report = billing.run_billing(
        period=date.fromisoformat(period) if period else None,
        workers=settings.MARKETING_BILLING_WORKERS,
    )
    # After billing: a subscription ending this month is billed up to its end day first.
    subscriptions.end_due_subscriptions()
    if report.billed or report.failed:
        logger.info(
            "subscriptions %s: %d billed, %d failed",
            report.period,
            len(report.billed),
            len(report.failed),
        )
    return len(report.billed)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def refresh_deliverables() -> int:
    """Every few hours: regenerate the packs' deliverables whose source data changed (the
    store's listing, its stock and prices, the month's posts)."""
    return len(deliverables.refresh_deliverables())
