"""The periodic jobs on fulfilments: acceptance deadlines, collections not made, reserve &
collect holds ending, and the reminder before one ends.

Each fulfilment is taken in its own short transaction with SELECT ... FOR UPDATE (SKIP LOCKED
in the batch jobs: one a store is acting on right now is left for the next run) and re-checked,
so a job run twice, or concurrently, moves each fulfilment once. A failure on one is logged and
left for the next run; the others go on. fulfillment/tasks.py schedules them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import FulfilmentMethod
from stores.models import Reservation

from .. import emails
from ..models import Fulfilment
from ..states import OPEN_STATUSES
from .moves import after_step, move_fulfilment
from .stock import reserve_collect_hold_until

logger = logging.getLogger(__name__)
S = Fulfilment.Status

# A job's step on one fulfilment: (fulfilment, whether it moved).
JobStep = Callable[..., tuple[Fulfilment, bool]]


def _lock_for_job(fulfilment: Fulfilment, *, skip_locked: bool) -> Fulfilment | None:
    """The fulfilment's row, locked for a beat job; None when `skip_locked` and another
    transaction holds it (a store acting on it right now): the next run takes it."""
    return (
        Fulfilment.objects.select_for_update(skip_locked=skip_locked)
        .filter(pk=fulfilment.pk)
        .first()
    )


def time_out_fulfilment(
    *, fulfilment: Fulfilment, now: datetime | None = None, skip_locked: bool = False
) -> tuple[Fulfilment, bool]:
    """The store did not accept before the deadline: the fulfilment times out and its lines go
    to the next candidate (or are cancelled), all in one transaction. Safe to run twice or
    concurrently: the second run finds it already timed out (or accepted meanwhile) and does
    nothing. With `skip_locked` a fulfilment another transaction holds (the store accepting it
    right now) is left for the next run: returns (fulfilment, False)."""
    now = now or timezone.now()
    actor = "system:acceptance-timeout"
    with transaction.atomic():
        locked = _lock_for_job(fulfilment, skip_locked=skip_locked)
        if locked is None:
            return fulfilment, False
        if locked.status != S.AWAITING_ACCEPTANCE or (
            locked.accept_deadline and locked.accept_deadline > now
        ):
            return locked, False
        locked, moved = move_fulfilment(
            fulfilment=locked,
            target=S.TIMED_OUT,
            actor=actor,
            reason=_("Not accepted before the deadline."),
            closed_at=now,
        )
        if moved:
            after_step(locked, actor=actor)
        return locked, moved


def mark_uncollected(
    *, fulfilment: Fulfilment, now: datetime | None = None, skip_locked: bool = False
) -> tuple[Fulfilment, bool]:
    """A ready order nobody came for by `collect_before`: cancelled, its stock given back,
    refunded, and the customer told. Idempotent like time_out_fulfilment."""
    now = now or timezone.now()
    actor = "system:collection-deadline"
    with transaction.atomic():
        locked = _lock_for_job(fulfilment, skip_locked=skip_locked)
        if locked is None:
            return fulfilment, False
        if locked.status != S.READY_FOR_PICKUP or (
            locked.collect_before and locked.collect_before > now
        ):
            return locked, False
        locked, moved = move_fulfilment(
            fulfilment=locked,
            target=S.UNCOLLECTED,
            actor=actor,
            reason=_("Not collected in time."),
            closed_at=now,
        )
        if moved:
            why = (
                "reservation_expired" if locked.method == FulfilmentMethod.RESERVE_COLLECT else None
            )
            after_step(locked, actor=actor, why=why)
        return locked, moved


def expire_reservation(
    *, fulfilment: Fulfilment, now: datetime | None = None, skip_locked: bool = False
) -> tuple[Fulfilment, bool]:
    """A reserve & collect fulfilment whose hold on the stock has ended (`expires_at` passed):
    it ends too, and its stock goes back. Ready in the store: not collected in time; not ready
    yet: cancelled. The customer is told the reservation expired. Idempotent."""
    now = now or timezone.now()
    actor = "system:reservation-expiry"
    with transaction.atomic():
        locked = _lock_for_job(fulfilment, skip_locked=skip_locked)
        if locked is None:
            return fulfilment, False
        until = reserve_collect_hold_until(locked)
        if (
            locked.method != FulfilmentMethod.RESERVE_COLLECT
            or locked.status not in OPEN_STATUSES
            or until is None
            or until > now
        ):
            return locked, False
        target = S.UNCOLLECTED if locked.status == S.READY_FOR_PICKUP else S.CANCELLED
        locked, moved = move_fulfilment(
            fulfilment=locked,
            target=target,
            actor=actor,
            reason=_("The reservation expired."),
            closed_at=now,
        )
        if moved:
            after_step(locked, actor=actor, why="reservation_expired")
        return locked, moved


def _each(ids: Iterable[int], step: JobStep, now: datetime) -> int:
    """Run `step` on each fulfilment id, one transaction each; a failure is logged and left
    for the next run, the others go on. Returns how many moved."""
    moved = 0
    for pk in ids:
        try:
            _fulfilment, done = step(fulfilment=Fulfilment(pk=pk), now=now, skip_locked=True)
        except Exception:
            logger.exception("fulfilment %s: periodic step %s failed", pk, step.__name__)
            continue
        moved += done
    return moved


def time_out_overdue_fulfilments(*, now: datetime | None = None, limit: int = 500) -> int:
    """The timeout job: every fulfilment still awaiting acceptance past its deadline times out
    and is routed again. Returns how many timed out."""
    now = now or timezone.now()
    ids = (
        Fulfilment.objects.filter(status=S.AWAITING_ACCEPTANCE, accept_deadline__lte=now)
        .order_by("accept_deadline", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return _each(list(ids), time_out_fulfilment, now)


def expire_uncollected_fulfilments(*, now: datetime | None = None, limit: int = 500) -> int:
    """The click & collect job: ready orders not collected by `collect_before` are cancelled,
    refunded, their stock given back. Returns how many."""
    now = now or timezone.now()
    ids = (
        Fulfilment.objects.filter(
            status=S.READY_FOR_PICKUP,
            method=FulfilmentMethod.CLICK_COLLECT,
            collect_before__lte=now,
        )
        .order_by("collect_before", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return _each(list(ids), mark_uncollected, now)


def _reserve_collect_holds() -> QuerySet[Fulfilment]:
    """The open reserve & collect fulfilments, with when their hold ends."""
    holds = Reservation.objects.filter(
        kind=Reservation.Kind.RESERVE_COLLECT,
        holder=Concat(Value("fulfilment:"), Cast(OuterRef("pk"), CharField())),
    ).exclude(status__in=[Reservation.Status.RELEASED, Reservation.Status.CONSUMED])
    return Fulfilment.objects.filter(
        method=FulfilmentMethod.RESERVE_COLLECT, status__in=OPEN_STATUSES
    ).annotate(hold_until=Subquery(holds.order_by("expires_at").values("expires_at")[:1]))


def expire_reservations(*, now: datetime | None = None, limit: int = 500) -> int:
    """The reserve & collect job: a reservation ends with its hold on the stock."""
    now = now or timezone.now()
    ids = (
        _reserve_collect_holds()
        .filter(hold_until__lte=now)
        .order_by("hold_until", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return _each(list(ids), expire_reservation, now)


def remind_expiring_reservations(*, now: datetime | None = None, limit: int = 500) -> int:
    """Tell the customer whose reserved item waits in the store that the hold ends within
    settings.RESERVE_COLLECT_REMINDER_HOURS; once per reservation, and only if it was ready
    before that window opened (else the ready e-mail, just sent, says it all)."""
    now = now or timezone.now()
    window = timedelta(hours=settings.RESERVE_COLLECT_REMINDER_HOURS)
    due = Fulfilment.objects.filter(
        method=FulfilmentMethod.RESERVE_COLLECT,
        status=S.READY_FOR_PICKUP,
        expiry_reminder_sent_at__isnull=True,
        collect_before__gt=now,
        collect_before__lte=now + window,
        ready_at__lt=F("collect_before") - window,
    ).order_by("collect_before", "pk")[:limit]
    sent = 0
    for candidate in due:
        with transaction.atomic():
            locked = (
                Fulfilment.objects.select_for_update(skip_locked=True)
                .filter(
                    pk=candidate.pk, status=S.READY_FOR_PICKUP, expiry_reminder_sent_at__isnull=True
                )
                .select_related("order", "store")
                .first()
            )
            if locked is None:
                continue
            locked.expiry_reminder_sent_at = now
            locked.save(update_fields=["expiry_reminder_sent_at", "updated_at"])
            emails.send_reservation_reminder(locked)
            sent += 1
    return sent
