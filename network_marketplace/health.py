"""Health of the platform's dependencies, for /healthz and for operators.

Each check answers in a bounded time (a dead dependency must not hang the probe) and reports
`ok` or `down` with the reason. In the embedded profile the broker and the worker are the web
process itself, so they are reported as `in-process`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import datetime

from celery import current_app as celery_app
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections
from django.utils import timezone

from .db_routers import replica_configured, replica_state

HEARTBEAT_CACHE_KEY = "health:worker-heartbeat"
# "fallback": the read replica lags or is down and its reads go to the primary; slower reports
# are no reason to take a web process out of the load balancer.
HEALTHY_STATES = {"ok", "in-process", "waiting", "fallback"}


@dataclass(frozen=True)
class Check:
    status: str
    latency_ms: int
    detail: str = ""

    @property
    def healthy(self) -> bool:
        return self.status in HEALTHY_STATES


def _timed(probe) -> Check:
    started = time.monotonic()
    try:
        status, detail = probe()
    except Exception as exc:
        status, detail = "down", f"{type(exc).__name__}: {exc}".strip()[:300]
    return Check(
        status=status, latency_ms=round((time.monotonic() - started) * 1000), detail=detail
    )


def check_database() -> Check:
    def probe():
        connection = connections["default"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok", connection.vendor

    check = _timed(probe)
    if not check.healthy:
        # A broken connection must not be reused by the next request of this thread.
        connections["default"].close_if_unusable_or_obsolete()
    return check


def check_replica() -> Check:
    """The read replica, probed now: "ok" when heavy reads go to it, "fallback" (with why)
    when they go to the primary because it lags beyond the limit or is unreachable."""

    def probe():
        state = replica_state(refresh=True)
        if state.usable:
            return "ok", f"heavy reads go to the replica; {state.detail}"
        return "fallback", f"heavy reads go to the primary: replica {state.status}, {state.detail}"

    return _timed(probe)


def check_cache() -> Check:
    def probe():
        key = "health:probe"
        value = str(time.monotonic())
        cache.set(key, value, timeout=30)
        if cache.get(key) != value:
            return "down", "cache did not return the value just written"
        return "ok", caches["default"].__class__.__name__

    return _timed(probe)


def check_broker() -> Check:
    if settings.EMBEDDED:
        return Check(status="in-process", latency_ms=0, detail="tasks run in the web process")

    def probe():
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return "ok", connection.transport_cls

    return _timed(probe)


def check_worker() -> Check:
    if settings.EMBEDDED:
        return Check(status="in-process", latency_ms=0, detail="tasks run in the web process")

    def probe():
        replies = celery_app.control.ping(timeout=1.0, limit=1)
        if not replies:
            return "down", "no Celery worker answered a ping within 1 s"
        return "ok", ", ".join(sorted(name for reply in replies for name in reply))

    return _timed(probe)


def check_heartbeat() -> Check:
    """The periodic heartbeat job (every 60 s, on the periodic queue) ran recently: beat
    schedules, the periodic worker runs, and its queue is not late. Older than
    HEARTBEAT_MAX_AGE_SECONDS is "down" (the periodic jobs, acceptance timeouts among them, are
    not running on time); never seen yet (a fresh start) is "waiting", not a failure."""
    if settings.EMBEDDED:
        return Check(status="in-process", latency_ms=0, detail="beat runs in the web process")

    def probe():
        value = cache.get(HEARTBEAT_CACHE_KEY)
        if not value:
            return "waiting", "no heartbeat yet since the cache was emptied"
        age = (timezone.now() - datetime.fromisoformat(value)).total_seconds()
        limit = settings.HEARTBEAT_MAX_AGE_SECONDS
        detail = f"last run {round(age)} s ago (limit {limit} s); {_periodic_queue_length()}"
        return ("ok" if age <= limit else "down"), detail

    return _timed(probe)


def _periodic_queue_length() -> str:
    try:
        with celery_app.connection_for_write() as connection:
            size = connection.default_channel.client.llen(settings.CELERY_PERIODIC_QUEUE)
    except Exception:
        return "periodic queue length unknown"
    return f"{size} task(s) waiting on the periodic queue"


def outbox_backlog() -> dict:
    """What waits in the outbox: messages due now, how late the oldest is, and the dead ones
    HQ must look at. Reported, not judged: a backlog says workers are slow, not that this web
    process cannot serve (a 503 would only take it out of the load balancer)."""
    from django.db.models import Count, Min, Q

    from .models import OutboxMessage

    now = timezone.now()
    try:
        totals = OutboxMessage.objects.aggregate(
            due=Count("pk", filter=Q(pk__in=OutboxMessage.objects.due(now).values("pk"))),
            oldest_due=Min(
                "next_attempt_at",
                filter=Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED]),
            ),
            dead=Count("pk", filter=Q(status=OutboxMessage.Status.DEAD)),
        )
    except Exception as exc:
        return {"detail": f"{type(exc).__name__}: {exc}"[:300]}
    oldest = totals["oldest_due"]
    late = max(0, round((now - oldest).total_seconds())) if oldest and oldest <= now else 0
    return {"due": totals["due"], "oldest_due_seconds": late, "dead": totals["dead"]}


def platform_health() -> tuple[bool, dict]:
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "broker": check_broker(),
        "worker": check_worker(),
        "heartbeat": check_heartbeat(),
    }
    if replica_configured():
        checks["replica"] = check_replica()
    healthy = all(check.healthy for check in checks.values())
    report = {
        "status": "ok" if healthy else "down",
        "checked_at": timezone.now().isoformat(),
        "checks": {name: asdict(check) for name, check in checks.items()},
        "outbox": outbox_backlog() if checks["database"].healthy else {},
    }
    return healthy, report
