from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .health import HEARTBEAT_CACHE_KEY


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def record_worker_heartbeat() -> None:
    """Periodic: proves that beat schedules and a worker runs; /healthz shows the last run."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)


@shared_task
def echo(value: str) -> dict:
    """Answer with the value and the worker that ran it: used to check the task pipeline."""
    return {"value": value, "hostname": echo.request.hostname or "in-process"}
