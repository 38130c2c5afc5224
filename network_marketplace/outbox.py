"""The transactional outbox: side effects after commit, never lost, never doubled.

A business service calls `enqueue()` inside its transaction: the message row commits with the
business change or not at all. After commit a nudge asks a worker to deliver now; the beat
sweep (`deliver_outbox` every 30 s) delivers whatever a lost nudge or a dead worker left.

Delivery claims due messages with `SELECT ... FOR UPDATE SKIP LOCKED` and leases them
(`locked_until`): two workers never claim the same message, and the message of a worker that
died becomes due again when its lease runs out. The handler runs outside any transaction (an
HTTP call must not hold row locks); the result is written only if the lease is still ours.

Guarantee: each message is handled once by a live worker, and again only if that worker died
(or overran its lease) after the side effect but before recording it. Handlers must therefore
be safe to repeat in that rare case: webhooks carry a delivery id for receivers to drop repeats.
"""

from __future__ import annotations

import logging
import random
import secrets
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .audit import record_audit_event
from .db import insert_unless_taken
from .models import OutboxMessage

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]


@dataclass(frozen=True)
class HandlerSpec:
    func: Handler
    max_attempts: int | None = None


_handlers: dict[str, HandlerSpec] = {}


class PermanentFailure(Exception):
    """Raised by a handler when retrying cannot help (a missing template, a deleted endpoint):
    the message goes straight to `dead`, where HQ can retry it once the cause is fixed."""


def register_handler(kind: str, func: Handler, *, max_attempts: int | None = None) -> None:
    """Deliver messages of `kind` with `func(message)`; raise to retry, PermanentFailure to stop.

    Register at import time of a module the worker imports (an app's `apps.ready()` or tasks).
    """
    _handlers[kind] = HandlerSpec(func=func, max_attempts=max_attempts)


def enqueue(*, kind: str, payload: dict, dedupe_key: str) -> OutboxMessage:
    """Write a message to deliver after the current transaction commits.

    Call it inside the business transaction. The same `dedupe_key` twice gives the first
    message back (the second payload is ignored): an event is never enqueued twice. `payload`
    must be JSON (dates and decimals are stored as strings).
    """
    if kind not in _handlers:
        raise ValueError(f"No outbox handler registered for {kind!r}.")
    message = OutboxMessage(kind=kind, payload=payload, dedupe_key=dedupe_key)
    if not insert_unless_taken(message):  # one statement: no savepoint around a failing INSERT
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(nudge_delivery, robust=True)
    return message


# One pending nudge at a time (and one per window for delayed ones): a thousand commits, or a
# thousand retries falling due together, queue one delivery task, not a thousand. The task
# clears the mark when it starts, so work committed while it runs gets a nudge of its own.
NUDGE_PENDING_KEY = "outbox:nudge-pending"
NUDGE_PENDING_SECONDS = 120  # a nudge lost with its worker is forgotten after this
DELAYED_NUDGE_WINDOW_SECONDS = 15


def nudge_delivery(countdown: float | None = None) -> None:
    """Ask a worker to deliver now (or in `countdown` seconds), unless a nudge for then is
    already queued. Losing a nudge is harmless: the beat sweep picks the message up."""
    from .tasks import deliver_outbox

    if countdown and deliver_outbox.app.conf.task_always_eager:
        return  # In-process tasks cannot wait: the embedded beat's sweep retries on time.
    queue = deliver_outbox.app.conf.task_default_queue  # a nudge helps the queue it is on
    if countdown:
        due = int((timezone.now().timestamp() + countdown) // DELAYED_NUDGE_WINDOW_SECONDS)
        mark, ttl = f"outbox:nudge-at:{queue}:{due}", int(countdown) + NUDGE_PENDING_SECONDS
    else:
        mark, ttl = f"{NUDGE_PENDING_KEY}:{queue}", NUDGE_PENDING_SECONDS
    try:
        if not deliver_outbox.app.conf.task_always_eager and not cache.add(mark, 1, ttl):
            return  # one is already on its way
        deliver_outbox.apply_async(countdown=countdown)
    except Exception:
        logger.warning("outbox nudge not sent; the periodic sweep will deliver", exc_info=True)


def clear_nudge_mark() -> None:
    """Called by the delivery task as it starts: the next commit may nudge again."""
    from .tasks import deliver_outbox

    try:
        cache.delete(f"{NUDGE_PENDING_KEY}:{deliver_outbox.app.conf.task_default_queue}")
    except Exception:
        logger.warning("outbox nudge mark not cleared; it expires by itself", exc_info=True)


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with jitter: base * 2^(attempts-1), capped, then scaled by a random
    factor in [0.5, 1] so that messages failing together do not retry together."""
    base = float(settings.OUTBOX_RETRY_BASE_SECONDS)
    cap = float(settings.OUTBOX_RETRY_MAX_SECONDS)
    delay = min(cap, base * (2 ** max(attempts - 1, 0)))
    jitter = (rng or random).uniform(0.5, 1.0)
    return timedelta(seconds=delay * jitter)


def _max_attempts(kind: str) -> int:
    spec = _handlers.get(kind)
    if spec is not None and spec.max_attempts:
        return spec.max_attempts
    return int(settings.OUTBOX_MAX_ATTEMPTS)


@dataclass
class Claim:
    token: str
    messages: list[OutboxMessage]


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    lost_lease: int = 0
    more: bool = False
    handled_ids: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.dead + self.lost_lease


def claim_due_messages(
    *, batch_size: int | None = None, now: datetime | None = None, kinds: list[str] | None = None
) -> Claim:
    """Lease up to `batch_size` due messages to the caller, oldest due first.

    Rows locked by another claim in progress are skipped, not waited for. The lease update
    re-checks that each row is still due, so a backend without row locks (SQLite in the
    embedded profile) cannot hand one message to two callers either.
    """
    now = now or timezone.now()
    batch_size = batch_size or int(settings.OUTBOX_BATCH_SIZE)
    token = secrets.token_hex(16)
    lease = timedelta(seconds=float(settings.OUTBOX_LEASE_SECONDS))
    with transaction.atomic():
        due = OutboxMessage.objects.due(now)
        if kinds is not None:
            due = due.filter(kind__in=kinds)
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return Claim(token=token, messages=[])
        OutboxMessage.objects.due(now).filter(id__in=ids).update(
            locked_until=now + lease, claim_token=token, attempts=F("attempts") + 1
        )
    messages = list(
        OutboxMessage.objects.filter(id__in=ids, claim_token=token).order_by(
            "next_attempt_at", "id"
        )
    )
    return Claim(token=token, messages=messages)


def process_message(
    message: OutboxMessage, *, token: str, report: DeliveryReport, now: datetime | None = None
) -> None:
    """Run the handler of one claimed message and record the outcome if the lease is ours.

    `now` (tests) is the time the outcome is recorded at; by default the time the handler ended.
    """
    spec = _handlers.get(message.kind)
    error = ""
    permanent = False
    try:
        if spec is None:
            raise PermanentFailure(f"No outbox handler registered for {message.kind!r}.")
        spec.func(message)
    except PermanentFailure as exc:
        permanent, error = True, str(exc) or type(exc).__name__
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        logger.warning("outbox message %s (%s) failed: %s", message.pk, message.kind, error)
        logger.debug("%s", traceback.format_exc())

    now = now or timezone.now()
    mine = OutboxMessage.objects.filter(pk=message.pk, claim_token=token)
    if not error:
        updated = mine.update(
            status=OutboxMessage.Status.SENT,
            sent_at=now,
            locked_until=None,
            claim_token="",
            last_error="",
        )
        outcome = "sent"
    elif permanent or message.attempts >= _max_attempts(message.kind):
        updated = mine.update(
            status=OutboxMessage.Status.DEAD, locked_until=None, claim_token="", last_error=error
        )
        outcome = "dead"
    else:
        delay = retry_delay(message.attempts)
        updated = mine.update(
            status=OutboxMessage.Status.FAILED,
            next_attempt_at=now + delay,
            locked_until=None,
            claim_token="",
            last_error=error,
        )
        outcome = "retried"
        if updated:
            # Retry on time without waiting for the sweep; the sweep covers a lost nudge.
            transaction.on_commit(
                lambda: nudge_delivery(countdown=delay.total_seconds()), robust=True
            )
    if not updated:
        # Our lease ran out and another worker re-claimed the message: its result counts.
        logger.warning("outbox message %s: lease lost before recording %s", message.pk, outcome)
        report.lost_lease += 1
        return
    setattr(report, outcome, getattr(report, outcome) + 1)
    report.handled_ids.append(message.pk)


def deliver_due_messages(
    *,
    batch_size: int | None = None,
    max_batches: int | None = None,
    now: datetime | None = None,
    kinds: list[str] | None = None,
    time_budget_seconds: float | None = None,
) -> DeliveryReport:
    """Claim and deliver due messages batch after batch until none is due, `max_batches` ran
    or `time_budget_seconds` passed (then `report.more` is set: the caller nudges again).

    Safe to run in several workers at once and to run again: a message is claimed by one
    caller at a time and a sent message is never claimed again.
    """
    report = DeliveryReport()
    started = time.monotonic()
    batches = 0
    while True:
        if (max_batches is not None and batches >= max_batches) or (
            time_budget_seconds is not None and time.monotonic() - started >= time_budget_seconds
        ):
            report.more = True
            break
        claim = claim_due_messages(batch_size=batch_size, now=now, kinds=kinds)
        if not claim.messages:
            break
        batches += 1
        for message in claim.messages:
            process_message(message, token=claim.token, report=report, now=now)
    return report


def retry_messages(*, message_ids: list[int], actor: Any) -> int:
    """Give dead or failed messages a fresh set of attempts, due now (HQ's admin action).

    Sent messages are left alone: retrying them would send the side effect twice. So is a
    message a worker is delivering right now (its lease holds).
    """
    now = timezone.now()
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update()
            .filter(
                pk__in=message_ids,
                status__in=[OutboxMessage.Status.DEAD, OutboxMessage.Status.FAILED],
            )
            .exclude(locked_until__gt=now)
            .order_by("pk")
        )
        if not messages:
            return 0
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            status=OutboxMessage.Status.PENDING,
            attempts=0,
            next_attempt_at=now,
            locked_until=None,
            claim_token="",
        )
        for message in messages:
            record_audit_event(
                actor=actor,
                action="outbox.retried",
                target=message,
                data={"kind": message.kind, "previous_status": message.status},
            )
        transaction.on_commit(nudge_delivery, robust=True)
    return len(messages)
