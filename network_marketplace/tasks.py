from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import idempotency
from .health import HEARTBEAT_CACHE_KEY
from .models import OutboxMessage
from .outbox import clear_nudge_mark, deliver_due_messages, nudge_delivery


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def record_worker_heartbeat() -> None:
    """Periodic: proves that beat schedules and a worker runs; /healthz shows the last run."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)


@shared_task
def echo(value: str) -> dict:
    """Answer with the value and the worker that ran it: used to check the task pipeline."""
    return {"value": value, "hostname": echo.request.hostname or "in-process"}


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_outbox() -> dict:
    """Deliver the outbox's due messages: nudged after each commit, swept by beat every 30 s.

    Idempotent: it claims with SKIP LOCKED and leases, so any number may run at once or again.
    """
    clear_nudge_mark()
    report = deliver_due_messages(time_budget_seconds=settings.OUTBOX_TASK_TIME_BUDGET_SECONDS)
    if report.more:
        nudge_delivery()
    return {"sent": report.sent, "retried": report.retried, "dead": report.dead}


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def purge_idempotency_keys() -> int:
    """Every hour: forget the write endpoints' Idempotency-Keys older than a day. Idempotent."""
    return idempotency.purge_expired()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_outbox() -> bool:
    """Periodic (on the periodic queue, so it must stay short): when messages are due, nudge
    a delivery on the ordinary queue, where the long delivery work runs. Covers a lost nudge
    and retries whose delayed nudge was merged into another. Returns whether it nudged."""
    if not OutboxMessage.objects.due(timezone.now()).exists():
        return False
    nudge_delivery()
    return True
