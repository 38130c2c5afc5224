"""A flood of ordinary tasks can't starve the periodic jobs (issue 17): one pending outbox nudge
instead of one per commit, periodic jobs on a queue of their own, webhook endpoints that keep
failing back off and are then paused with their owner told."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from network_marketplace import outbox, webhook_health, webhooks
from network_marketplace.models import AuditEvent, OutboxMessage, WebhookEndpoint
from network_marketplace.outbox import deliver_due_messages
from network_marketplace.tasks import deliver_outbox
from network_marketplace.webhooks import create_endpoint, emit_event, update_endpoint
from tests.factories import UserFactory


@pytest.fixture
def queued_nudges(monkeypatch):
    """Tasks are queued, not run (as with a real broker); records each nudge sent."""
    sent = []
    previous, previous_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    # A queue of this test's own: no other test's pending nudge stands in for ours.
    celery_app.conf.task_default_queue = f"test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setattr(
        deliver_outbox, "apply_async", lambda countdown=None, **kw: sent.append(countdown)
    )
    yield sent
    celery_app.conf.task_always_eager = previous
    celery_app.conf.task_default_queue = previous_queue


def test_a_thousand_commits_queue_one_delivery_task(queued_nudges):
    for _ in range(1000):
        outbox.nudge_delivery()

    assert queued_nudges == [None]


def test_the_delivery_task_starting_lets_the_next_commit_nudge_again(queued_nudges):
    outbox.nudge_delivery()
    outbox.clear_nudge_mark()  # what deliver_outbox does first
    outbox.nudge_delivery()

    assert queued_nudges == [None, None]


def test_retries_falling_due_together_share_one_delayed_nudge(queued_nudges):
    for _ in range(500):
        outbox.nudge_delivery(countdown=40)
    outbox.nudge_delivery(countdown=400)

    assert sorted(queued_nudges) == [40, 400]


def test_every_periodic_job_runs_on_the_periodic_queue():
    """What beat sends (config/celery.py routes the settings' schedule)."""
    schedule = celery_app.conf.beat_schedule
    queues = {name: job.get("options", {}).get("queue") for name, job in schedule.items()}

    assert set(queues) == set(settings.CELERY_BEAT_SCHEDULE)
    assert set(queues.values()) == {settings.CELERY_PERIODIC_QUEUE}
    assert settings.CELERY_PERIODIC_QUEUE != settings.CELERY_TASK_DEFAULT_QUEUE
    # The outbox sweep only nudges: the long delivery work stays on the ordinary queue.
    assert settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]["task"].endswith(".sweep_outbox")


@pytest.fixture
def failing_endpoint(db, lyon_store, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 8
    lyon_store.email = "gerant@ardoise-lyon.example"
    lyon_store.save(update_fields=["email"])
    UserFactory(email="ops@hq.example", is_staff=True)
    # Nothing listens on port 9: every delivery fails fast (connection refused).
    return create_endpoint(
        store=lyon_store, url="http://127.0.0.1:9/hook", event_types=["*"], actor="test"
    ).endpoint


def flood(endpoint, count):
    for index in range(count):
        emit_event(
            event_type="order.created",
            store_id=endpoint.store_id,
            data={"n": index},
            event_id=f"flood:{index}",
        )


def make_all_due():
    OutboxMessage.objects.filter(kind=webhooks.WEBHOOK_KIND).exclude(
        status=OutboxMessage.Status.DEAD
    ).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_an_endpoint_that_keeps_failing_backs_off_then_is_paused_and_its_owner_told(
    failing_endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        flood(failing_endpoint, 30)

    attempted = []
    for _ in range(20):  # the sweep, again and again, with the backoff pauses elapsed
        make_all_due()
        WebhookEndpoint.objects.filter(pk=failing_endpoint.pk).update(
            last_failure_at=timezone.now() - timedelta(hours=2)
        )
        with django_capture_on_commit_callbacks(execute=True):
            deliver_due_messages(time_budget_seconds=30)
        failing_endpoint.refresh_from_db()
        attempted.append(failing_endpoint.consecutive_failures)
        if not failing_endpoint.active:
            break

    assert failing_endpoint.active is False
    assert failing_endpoint.consecutive_failures == settings.WEBHOOK_PAUSE_AFTER_FAILURES
    assert "8 deliveries failed in a row" in failing_endpoint.paused_reason
    assert AuditEvent.objects.filter(action="webhook_endpoint.paused").count() == 1
    told = [message for message in mail.outbox if "webhook" in message.subject.lower()]
    assert len(told) == 1
    assert set(told[0].to) == {"gerant@ardoise-lyon.example", "ops@hq.example"}
    assert "127.0.0.1:9/hook" in told[0].body
    # Its remaining deliveries end at once instead of being retried for a day.
    make_all_due()
    deliver_due_messages(time_budget_seconds=30)
    assert not OutboxMessage.objects.filter(
        kind=webhooks.WEBHOOK_KIND, status__in=["pending", "failed"]
    ).exists()


def test_an_endpoint_backing_off_is_not_called(failing_endpoint, monkeypatch):
    WebhookEndpoint.objects.filter(pk=failing_endpoint.pk).update(
        consecutive_failures=webhook_health.BACKOFF_AFTER_FAILURES, last_failure_at=timezone.now()
    )
    failing_endpoint.refresh_from_db()
    calls = []
    monkeypatch.setattr(webhooks.requests, "post", lambda *a, **k: calls.append(a))

    flood(failing_endpoint, 3)
    deliver_due_messages(time_budget_seconds=30)

    assert calls == []
    assert webhook_health.backoff_remaining(failing_endpoint, timezone.now()) > 0


def test_resuming_a_paused_endpoint_starts_it_afresh(failing_endpoint):
    WebhookEndpoint.objects.filter(pk=failing_endpoint.pk).update(
        active=False, consecutive_failures=8, paused_reason="8 deliveries failed in a row"
    )
    failing_endpoint.refresh_from_db()

    update_endpoint(endpoint=failing_endpoint, actor="test", active=True)

    failing_endpoint.refresh_from_db()
    assert failing_endpoint.active is True
    assert (failing_endpoint.consecutive_failures, failing_endpoint.paused_reason) == (0, "")
