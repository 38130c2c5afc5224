"""The outbox: written with the business change, delivered after commit, never lost, never
doubled, retried with backoff, dead after its attempts, and re-deliverable from the admin."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from network_marketplace.embedded_beat import EmbeddedBeat
from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import (
    DeliveryReport,
    PermanentFailure,
    claim_due_messages,
    deliver_due_messages,
    enqueue,
    process_message,
    register_handler,
    retry_delay,
    retry_messages,
)
from network_marketplace.tasks import deliver_outbox


class Recorder:
    """What the test handlers did, from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls: list[tuple[str, str]] = []  # (dedupe key, thread name)
        self.failures_left: dict[str, int] = {}
        self.delay = 0.0

    def __call__(self, message: OutboxMessage) -> None:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.calls.append((message.dedupe_key, threading.current_thread().name))
            left = self.failures_left.get(message.dedupe_key, 0)
            if left:
                self.failures_left[message.dedupe_key] = left - 1
                raise ConnectionError("receiver unreachable")

    def count(self, dedupe_key: str) -> int:
        return sum(1 for key, _thread in self.calls if key == dedupe_key)


recorder = Recorder()
register_handler("test.record", recorder)


def _always_fails(message: OutboxMessage) -> None:
    raise TimeoutError("no answer within 5 s")


def _gives_up(message: OutboxMessage) -> None:
    raise PermanentFailure("the template is missing")


register_handler("test.fails", _always_fails)
register_handler("test.gives-up", _gives_up)


@pytest.fixture(autouse=True)
def fresh_recorder():
    recorder.__init__()
    return recorder


@pytest.fixture
def outbox_settings(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_LEASE_SECONDS = 300
    settings.OUTBOX_BATCH_SIZE = 5
    return settings


def test_message_enqueued_in_a_transaction_that_rolls_back_is_never_sent(transactional_db):
    # Given a business transaction that enqueues a message, then fails
    def place_order():
        with transaction.atomic():
            enqueue(kind="test.record", payload={"order": 1}, dedupe_key="order-confirmed:1")
            raise RuntimeError("payment declined")

    with pytest.raises(RuntimeError):
        place_order()

    # When the worker runs
    deliver_due_messages()

    # Then there was nothing to deliver
    assert not OutboxMessage.objects.exists()
    assert recorder.calls == []


def test_committed_message_is_sent_once_after_commit(transactional_db):
    # Given a business transaction that enqueues a message
    with transaction.atomic():
        message = enqueue(kind="test.record", payload={"order": 2}, dedupe_key="order:2")
        # Then nothing is sent before the commit
        assert recorder.calls == []

    # When it commits, the nudge delivers it (tasks run in-process here)
    assert recorder.count("order:2") == 1

    # When the periodic sweep and a second worker run afterwards
    deliver_outbox.apply()
    deliver_due_messages()

    # Then it was sent exactly once
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert recorder.count("order:2") == 1


def test_same_dedupe_key_enqueued_twice_is_one_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(kind="test.record", payload={"n": 1}, dedupe_key="order:3")
        second = enqueue(kind="test.record", payload={"n": 2}, dedupe_key="order:3")

    assert first.pk == second.pk
    assert OutboxMessage.objects.filter(dedupe_key="order:3").count() == 1
    assert OutboxMessage.objects.get(dedupe_key="order:3").payload == {"n": 1}
    assert recorder.count("order:3") == 1


def test_enqueueing_a_kind_without_handler_is_refused(db):
    with pytest.raises(ValueError, match="No outbox handler"):
        enqueue(kind="sms", payload={}, dedupe_key="sms:1")


def _run_worker(name: str, barrier: threading.Barrier, errors: list) -> None:
    try:
        barrier.wait(timeout=10)
        deliver_due_messages(batch_size=5)
    except Exception as exc:  # pragma: no cover - reported by the test
        errors.append(exc)
    finally:
        connection.close()


def test_two_workers_delivering_at_once_send_each_message_exactly_once(transactional_db):
    # Given 60 committed messages, and a handler slow enough for the workers to overlap
    OutboxMessage.objects.bulk_create(
        OutboxMessage(kind="test.record", payload={"n": n}, dedupe_key=f"msg:{n}")
        for n in range(60)
    )
    recorder.delay = 0.005

    # When two workers, each on its own PostgreSQL connection, deliver at the same time
    barrier = threading.Barrier(2)
    errors: list = []
    workers = [
        threading.Thread(target=_run_worker, args=(name, barrier, errors), name=name)
        for name in ("worker-a", "worker-b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    # Then every message was handled once, and both workers took a share (SKIP LOCKED)
    assert errors == []
    per_message = Counter(key for key, _thread in recorder.calls)
    assert len(per_message) == 60
    assert set(per_message.values()) == {1}
    per_worker = Counter(thread for _key, thread in recorder.calls)
    assert per_worker["worker-a"] > 0
    assert per_worker["worker-b"] > 0
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 60


def test_failing_handler_is_retried_with_growing_backoff_then_dead(db, outbox_settings):
    # Given a message whose handler always fails (4 attempts allowed)
    message = enqueue(kind="test.fails", payload={}, dedupe_key="hook:1")
    now = timezone.now()
    delays = []

    for attempt in range(1, 4):
        # When the worker delivers it
        deliver_due_messages(now=now)
        message.refresh_from_db()

        # Then it is scheduled again after 30 s, 60 s, 120 s (each with up to 50 % jitter)
        assert message.status == OutboxMessage.Status.FAILED
        assert message.attempts == attempt
        assert message.last_error == "TimeoutError: no answer within 5 s"
        delay = (message.next_attempt_at - now).total_seconds()
        base = 30 * 2 ** (attempt - 1)
        assert base * 0.5 <= delay <= base
        delays.append(delay)

        # And it is not retried before its time
        assert deliver_due_messages(now=message.next_attempt_at - timedelta(seconds=1)).handled == 0
        now = message.next_attempt_at + timedelta(seconds=1)

    # When the last attempt fails too, the message is dead: no more retries
    deliver_due_messages(now=now)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD
    assert message.attempts == 4
    assert deliver_due_messages(now=now + timedelta(days=1)).handled == 0
    assert delays[0] < delays[2]


def test_backoff_is_exponential_capped_and_jittered(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600

    seconds = [retry_delay(n).total_seconds() for n in range(1, 12) for _ in range(20)]

    assert min(seconds[:20]) >= 15
    assert max(seconds[:20]) <= 30
    assert max(seconds) <= 3600
    assert min(seconds[-20:]) >= 1800  # capped at an hour, still jittered
    assert len(set(seconds[:20])) > 1


def test_handler_that_gives_up_sends_the_message_dead_at_once(db):
    message = enqueue(kind="test.gives-up", payload={}, dedupe_key="mail:1")

    deliver_due_messages()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD
    assert message.attempts == 1
    assert message.last_error == "the template is missing"


def test_message_claimed_by_a_worker_that_died_is_due_again_after_its_lease(db, outbox_settings):
    # Given a worker that claimed a message and died before running its handler
    message = enqueue(kind="test.record", payload={}, dedupe_key="order:9")
    t0 = timezone.now()
    claim = claim_due_messages(now=t0)
    assert [m.pk for m in claim.messages] == [message.pk]
    message.refresh_from_db()
    assert message.locked_until == t0 + timedelta(seconds=300)

    # When another worker runs while the lease holds, it leaves the message alone
    assert deliver_due_messages(now=t0 + timedelta(minutes=1)).handled == 0

    # When the lease has run out, the next run delivers it
    report = deliver_due_messages(now=t0 + timedelta(seconds=301))
    assert report.sent == 1

    # Then it was delivered once, and the dead worker's claim counted as an attempt
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert recorder.count("order:9") == 1
    assert deliver_due_messages(now=t0 + timedelta(hours=1)).handled == 0


def test_late_worker_cannot_overwrite_the_result_of_the_worker_that_took_over(db, outbox_settings):
    # Given a worker whose lease ran out while it was stuck, and a second worker that re-claimed
    message = enqueue(kind="test.fails", payload={}, dedupe_key="hook:2")
    t0 = timezone.now()
    stuck = claim_due_messages(now=t0)
    took_over = claim_due_messages(now=t0 + timedelta(seconds=301))
    assert [m.pk for m in took_over.messages] == [message.pk]

    # When the stuck worker finally records its failure
    report = DeliveryReport()
    process_message(stuck.messages[0], token=stuck.token, report=report)

    # Then its result is dropped: the message stays leased by the second worker
    assert report.lost_lease == 1
    message.refresh_from_db()
    assert message.claim_token == took_over.token
    assert message.status == OutboxMessage.Status.PENDING


def test_message_whose_nudge_was_lost_is_delivered_by_the_periodic_sweep(
    transactional_db, monkeypatch, settings
):
    # Given a broker that is down when the transaction commits: the nudge is lost
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(deliver_outbox, "apply_async", broker_down)
    with transaction.atomic():
        message = enqueue(kind="test.record", payload={}, dedupe_key="order:10")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    monkeypatch.undo()

    # When the beat's outbox sweep runs (here the embedded profile's beat thread)
    sweep = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert sweep["task"] == "network_marketplace.tasks.sweep_outbox"
    assert timedelta(seconds=30) <= sweep["schedule"] <= timedelta(seconds=60)
    beat = EmbeddedBeat(beat_schedule={"outbox-sweep": sweep}, tick_seconds=0.05)
    beat.start()
    try:
        for _ in range(100):
            message.refresh_from_db()
            if message.status == OutboxMessage.Status.SENT:
                break
            time.sleep(0.05)
    finally:
        beat.stop()
        beat.join(timeout=10)

    # Then the message was delivered, once
    assert message.status == OutboxMessage.Status.SENT
    assert recorder.count("order:10") == 1


def test_delivery_task_is_acknowledged_late_and_requeued_if_its_worker_is_lost():
    assert deliver_outbox.acks_late is True
    assert deliver_outbox.reject_on_worker_lost is True


def test_hq_sees_dead_messages_in_the_admin_and_retries_them(
    client, hq_admin, outbox_settings, django_assert_max_num_queries
):
    # Given a dead message (its handler failed 4 times) and a sent one
    dead = enqueue(kind="test.record", payload={}, dedupe_key="order:11")
    sent = enqueue(kind="test.record", payload={}, dedupe_key="order:12")
    OutboxMessage.objects.filter(pk=dead.pk).update(
        status=OutboxMessage.Status.DEAD, attempts=4, last_error="ConnectionError: refused"
    )
    deliver_due_messages()
    assert recorder.count("order:12") == 1
    client.force_login(hq_admin)

    # When HQ lists the dead messages
    # The admin's app list asks each one-row settings admin whether a row exists (has_add_
    # permission); three more since issue 15 (settlement rules, store profiles, scorecards).
    with django_assert_max_num_queries(15):
        page = client.get("/admin/network_marketplace/outboxmessage/?status__exact=dead")

    # Then the dead one is there, the sent one is not
    assert page.status_code == 200
    assert "order:11" in page.text
    assert "order:12" not in page.text

    # When HQ retries both with the admin action
    client.post(
        "/admin/network_marketplace/outboxmessage/",
        {"action": "retry", "_selected_action": [dead.pk, sent.pk]},
    )

    # Then the dead one is due again with fresh attempts, and the sent one is left alone
    dead.refresh_from_db()
    assert dead.status == OutboxMessage.Status.PENDING
    assert dead.attempts == 0
    assert deliver_due_messages().sent == 1
    assert recorder.count("order:11") == 1
    assert recorder.count("order:12") == 1


def test_a_message_being_delivered_is_not_reset_by_a_retry(db, hq_admin, outbox_settings):
    # Given a failed message that a worker has just claimed again
    message = enqueue(kind="test.fails", payload={}, dedupe_key="hook:3")
    deliver_due_messages()
    message.refresh_from_db()
    claim = claim_due_messages(now=message.next_attempt_at)
    assert claim.messages

    # When HQ retries it meanwhile
    retried = retry_messages(message_ids=[message.pk], actor=hq_admin)

    # Then the worker's lease is left alone
    assert retried == 0
    message.refresh_from_db()
    assert message.claim_token == claim.token
