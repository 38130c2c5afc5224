"""Beat and worker tasks of the marketing hub: orders. Thin and safe to run twice."""

from __future__ import annotations

from celery import shared_task

from ..services import approval


@shared_task(
    name="marketing_hub.tasks.orders.remind_overdue_reviews",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def remind_overdue_reviews() -> int:
    """Every 15 minutes: orders whose HQ review is overdue, the store told and HQ reminded,
    once per order."""
    return approval.remind_overdue_reviews()
