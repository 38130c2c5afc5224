"""The health of webhook endpoints: one that keeps failing backs off (no attempt until a pause
that doubles with each failure, so a dead receiver costs the workers nothing), then is paused
and its store and HQ are told, once. Resuming it (webhooks.update_endpoint) starts afresh."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .audit import record_audit_event
from .models import User, WebhookEndpoint
from .notifications import send_templated_email

BACKOFF_AFTER_FAILURES = 5
BACKOFF_MAX_SECONDS = 3600


def backoff_remaining(endpoint: WebhookEndpoint, now: datetime) -> float:
    """Seconds before this endpoint may be tried again (0: now)."""
    failures = endpoint.consecutive_failures
    if failures < BACKOFF_AFTER_FAILURES or endpoint.last_failure_at is None:
        return 0.0
    pause = min(BACKOFF_MAX_SECONDS, 30 * 2 ** (failures - BACKOFF_AFTER_FAILURES))
    return max(0.0, pause - (now - endpoint.last_failure_at).total_seconds())


def record_endpoint_failure(endpoint: WebhookEndpoint) -> None:
    """One more failure in a row; past the limit the endpoint is paused (its remaining
    deliveries then end at once) and its owner and HQ are told, once."""
    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now
    )
    limit = settings.WEBHOOK_PAUSE_AFTER_FAILURES
    with transaction.atomic():
        paused = WebhookEndpoint.objects.filter(
            pk=endpoint.pk, active=True, consecutive_failures__gte=limit
        ).update(
            active=False,
            paused_reason=f"{limit} deliveries failed in a row",
        )
        if paused:
            endpoint.refresh_from_db()
            record_audit_event(
                actor="webhooks",
                action="webhook_endpoint.paused",
                target=endpoint,
                store_id=endpoint.store_id,
                data={"failures": endpoint.consecutive_failures},
            )
            _tell_endpoint_paused(endpoint)


def _last_error(endpoint: WebhookEndpoint) -> str:
    last = endpoint.deliveries.exclude(error="", status_code=None).order_by("-pk").first()
    if last is None:
        return ""
    return (last.error or f"HTTP {last.status_code}")[:300]


def _tell_endpoint_paused(endpoint: WebhookEndpoint) -> None:
    store = endpoint.store
    recipients = sorted(
        {
            *([store.email] if store is not None and store.email else []),
            *User.objects.filter(is_staff=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True),
        }
    )
    if not recipients:
        return
    send_templated_email(
        to=recipients,
        template="webhook_endpoint_paused",
        context={
            "url": endpoint.url,
            "store_name": store.name if store is not None else "",
            "failures": endpoint.consecutive_failures,
            "last_error": _last_error(endpoint),
        },
        dedupe_key=f"webhook-endpoint-paused:{endpoint.pk}:{endpoint.last_failure_at}",
    )
