"""The store's steps on a fulfilment: accept or reject, pick, make ready, hand over, ship.

Every step goes through `_move`: it re-reads the fulfilment with SELECT FOR UPDATE, returns it
unchanged when it is already in the target state (a retried request or job is harmless), checks
the move against fulfillment/states.py, saves, and writes a FulfilmentEvent and an audit row.
Then `_after_step`, in the same transaction: a refused or timed-out fulfilment's lines go to the
next candidate (fulfillment/rerouting.py) or are cancelled and refunded, an end without a sale
cancels its lines, and the order's status rolls up (orders.services.roll_up_order_status).
The customer's e-mails (fulfillment/emails.py) are queued in the step's transaction too.

Lock order: the fulfilment's row, then the order's (taken by `_move`), then stock rows.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, Min, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.webhooks import emit_event
from orders.models import FulfilmentMethod, Order, OrderPolicy, fulfilment_holder
from stores.models import Reservation
from stores.services import consume_reservation, release_holder

from . import emails
from .models import Fulfilment, FulfilmentEvent
from .states import COMPLETED_STATUSES, LOST_STATUSES, OPEN_STATUSES, check_fulfilment_transition

logger = logging.getLogger(__name__)
S = Fulfilment.Status
PICKUP_CODE_DIGITS = 6

# The webhook event each move emits, for POS/ERP systems that follow orders.
EVENT_OF_STATUS = {
    S.ACCEPTED: "fulfillment.accepted",
    S.REJECTED: "fulfillment.rejected",
    S.TIMED_OUT: "fulfillment.timed_out",
    S.PICKED: "fulfillment.picked",
    S.READY_FOR_PICKUP: "fulfillment.ready",
    S.COLLECTED: "fulfillment.handed_over",
    S.SHIPPED: "fulfillment.shipped",
    S.PURCHASED_IN_STORE: "fulfillment.purchased_in_store",
    S.NOT_PURCHASED: "fulfillment.not_purchased",
    S.UNCOLLECTED: "fulfillment.uncollected",
    S.CANCELLED: "fulfillment.cancelled",
}


class WrongPickupCode(DomainError):
    """The pickup code does not match."""

    code = "wrong_pickup_code"
    http_status = 400


class PickupCodeVoid(DomainError):
    """Too many wrong codes: this pickup code no longer works; a new one must be sent."""

    code = "pickup_code_void"
    http_status = 409


def _move(
    fulfilment: Fulfilment, target: str, *, actor, reason: str = "", **changes
) -> tuple[Fulfilment, bool]:
    """Apply one transition; returns (fulfilment, moved). Call inside a transaction."""
    locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
    if locked.status == target:
        return locked, False
    check_fulfilment_transition(locked, target)
    # The order's row next, before any stock row: two fulfilments of one order moving at once
    # (a re-route may hold stock where the other gives it back) take their locks in one order.
    Order.objects.select_for_update().filter(pk=locked.order_id).values_list("pk").first()
    previous = locked.status
    locked.status = target
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *changes])
    FulfilmentEvent.objects.create(
        fulfilment=locked,
        from_status=previous,
        to_status=target,
        actor_label=actor_label(actor),
        reason=reason,
    )
    record_audit_event(
        actor=actor,
        action=f"fulfilment.{target}",
        target=locked,
        store_id=locked.store_id,
        data={"from": previous, "to": target, "order": locked.order_id, "reason": reason},
    )
    _settle_stock(locked, target, actor)
    emit_event(
        event_type=EVENT_OF_STATUS[target],
        store_id=locked.store_id,
        event_id=f"{EVENT_OF_STATUS[target]}:{locked.pk}",
        data=fulfilment_event_data(locked),
    )
    return locked, True


# Ends that give the held stock back to the store.
GIVES_STOCK_BACK = {S.REJECTED, S.TIMED_OUT, S.CANCELLED, S.UNCOLLECTED, S.NOT_PURCHASED}


def _settle_stock(fulfilment: Fulfilment, target: str, actor) -> None:
    """The held units leave the store when the goods do (a sale movement each), and go back
    to available stock when the fulfilment ends without a sale."""
    holder = fulfilment_holder(fulfilment.pk)
    if target in COMPLETED_STATUSES:
        holds = (
            Reservation.objects.active().filter(holder=holder).order_by("store_id", "variant_id")
        )
        for hold in holds:
            consume_reservation(
                reservation=hold, actor=actor, reference=fulfilment.order.number or ""
            )
    elif target in GIVES_STOCK_BACK:
        release_holder(holder=holder, actor=actor)


def fulfilment_event_data(fulfilment: Fulfilment) -> dict:
    """What a webhook says of a fulfilment: enough for a POS or ERP to follow it."""
    return {
        "fulfilment": fulfilment.pk,
        "order": fulfilment.order.number or fulfilment.order_id,
        "store": fulfilment.store.slug,
        "method": fulfilment.method,
        "status": fulfilment.status,
        "carrier": fulfilment.carrier,
        "tracking_number": fulfilment.tracking_number,
        "lines": [
            {"sku": line.order_line.sku, "quantity": line.quantity}
            for line in fulfilment.lines.select_related("order_line")
        ],
    }


def pickup_code_digest(fulfilment_id: int, code: str) -> str:
    message = f"pickup:{fulfilment_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"


# What follows each step, in its transaction ----------------------------------------------------


def _after_step(fulfilment: Fulfilment, *, actor, why: str | None = None) -> None:
    """The order-level consequences of a move: a lost fulfilment's lines go to the next
    candidate (or are cancelled); an end without a sale cancels its lines (refund, e-mail);
    then the order's status follows. Runs once per move, in the move's transaction."""
    from orders.services import cancel_order_lines, roll_up_order_status

    from .rerouting import reroute_lost_fulfilment

    if fulfilment.status in LOST_STATUSES:
        reroute_lost_fulfilment(fulfilment=fulfilment, actor=actor)
    elif fulfilment.status in ENDS_WITHOUT_SALE:
        cancel_order_lines(
            order=fulfilment.order,
            quantities={line.order_line_id: line.quantity for line in fulfilment.lines.all()},
            why=why or ENDS_WITHOUT_SALE[fulfilment.status],
            key=f"fulfilment:{fulfilment.pk}:{fulfilment.status}",
            actor=actor,
            # The customer was in the store and chose not to buy: nothing to tell them.
            notify=fulfilment.status != S.NOT_PURCHASED,
        )
    roll_up_order_status(order=fulfilment.order, actor=actor)


# Ends without a sale (other than a refusal or a timeout) -> why the lines are cancelled.
ENDS_WITHOUT_SALE = {
    S.CANCELLED: "cancelled",
    S.UNCOLLECTED: "uncollected",
    S.NOT_PURCHASED: "not_purchased",
}


def _reserve_collect_hold_until(fulfilment: Fulfilment):
    """When the stock held for a reserve & collect fulfilment stops being held."""
    return (
        Reservation.objects.filter(
            holder=fulfilment_holder(fulfilment.pk), kind=Reservation.Kind.RESERVE_COLLECT
        )
        .exclude(status__in=[Reservation.Status.RELEASED, Reservation.Status.CONSUMED])
        .aggregate(until=Min("expires_at"))["until"]
    )


# The steps ---------------------------------------------------------------------------------------


def accept_fulfilment(*, fulfilment: Fulfilment, actor) -> Fulfilment:
    with transaction.atomic():
        fulfilment, moved = _move(fulfilment, S.ACCEPTED, actor=actor, accepted_at=timezone.now())
        if moved:
            hold_until = (
                _reserve_collect_hold_until(fulfilment)
                if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT
                else None
            )
            emails.send_accepted(fulfilment, hold_until=hold_until)
            _after_step(fulfilment, actor=actor)
    return fulfilment


def reject_fulfilment(*, fulfilment: Fulfilment, actor, reason: str) -> Fulfilment:
    """The store can't serve it: in the same transaction, its lines go to the next candidate
    (home delivery) or are cancelled and refunded (collect, or no candidate left)."""
    if not reason.strip():
        raise DomainError(_("Say why the fulfilment is rejected."))
    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment, S.REJECTED, actor=actor, reason=reason, rejection_reason=reason,
            closed_at=timezone.now(),
        )  # fmt: skip
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


def mark_picked(*, fulfilment: Fulfilment, actor) -> Fulfilment:
    with transaction.atomic():
        fulfilment, moved = _move(fulfilment, S.PICKED, actor=actor)
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


@dataclass(frozen=True)
class ReadyForPickup:
    fulfilment: Fulfilment
    pickup_code: str | None  # None when it was already ready (no new code is issued)


def mark_ready_for_pickup(*, fulfilment: Fulfilment, actor) -> ReadyForPickup:
    """Ready on the shelf: a fresh pickup code is made and e-mailed to the customer (text and
    QR code); only its digest is kept. Click & collect waits OrderPolicy.collect_within_days;
    reserve & collect waits until its hold on the stock ends."""
    policy = OrderPolicy.current()
    with transaction.atomic():
        code = new_pickup_code()
        now = timezone.now()
        collect_before = now + timedelta(days=policy.collect_within_days)
        if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT:
            collect_before = _reserve_collect_hold_until(fulfilment) or collect_before
        fulfilment, moved = _move(
            fulfilment, S.READY_FOR_PICKUP, actor=actor, ready_at=now,
            collect_before=collect_before,
            pickup_code_digest=pickup_code_digest(fulfilment.pk, code), pickup_code_failures=0,
        )  # fmt: skip
        if moved:
            emails.send_ready_for_pickup(fulfilment, code=code)
            _after_step(fulfilment, actor=actor)
    return ReadyForPickup(fulfilment=fulfilment, pickup_code=code if moved else None)


def reissue_pickup_code(*, fulfilment: Fulfilment, actor) -> ReadyForPickup:
    """A new code for a ready fulfilment (lost code, or voided by wrong attempts), e-mailed."""
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.status != S.READY_FOR_PICKUP:
            check_fulfilment_transition(locked, S.READY_FOR_PICKUP)
        code = new_pickup_code()
        locked.pickup_code_digest = pickup_code_digest(locked.pk, code)
        locked.pickup_code_failures = 0
        locked.save(update_fields=["pickup_code_digest", "pickup_code_failures", "updated_at"])
        record_audit_event(
            actor=actor, action="fulfilment.pickup_code_reissued", target=locked,
            store_id=locked.store_id,
        )  # fmt: skip
        emails.send_ready_for_pickup(locked, code=code)
    return ReadyForPickup(fulfilment=locked, pickup_code=code)


def hand_over(*, fulfilment: Fulfilment, code: str, actor) -> Fulfilment:
    """Give a click & collect order to the customer who shows the right code.

    Wrong codes are counted; after OrderPolicy.pickup_code_attempts the code is void, so a
    6-digit code can't be found by trying (a new one must be sent to the customer).
    """
    policy = OrderPolicy.current()
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.status == S.COLLECTED:
            return locked
        check_fulfilment_transition(locked, S.COLLECTED)
        if locked.pickup_code_failures >= policy.pickup_code_attempts:
            raise PickupCodeVoid(_("Too many wrong codes: send the customer a new pickup code."))
        expected = locked.pickup_code_digest
        if not expected or not hmac.compare_digest(expected, pickup_code_digest(locked.pk, code)):
            locked.pickup_code_failures += 1
            locked.save(update_fields=["pickup_code_failures", "updated_at"])
            remaining = max(policy.pickup_code_attempts - locked.pickup_code_failures, 0)
            record_audit_event(
                actor=actor, action="fulfilment.wrong_pickup_code", target=locked,
                store_id=locked.store_id, data={"remaining": remaining},
            )  # fmt: skip
            wrong = WrongPickupCode(
                _("Wrong pickup code. %(remaining)s attempt(s) left.") % {"remaining": remaining},
                remaining=remaining,
            )
        else:
            wrong = None
            locked, moved = _move(
                locked, S.COLLECTED, actor=actor, closed_at=timezone.now(), pickup_code_digest=""
            )
            if moved:
                _after_step(locked, actor=actor)
    # The failed attempt is committed before the error is raised: it must count.
    if wrong is not None:
        raise wrong
    return locked


def ship_fulfilment(
    *, fulfilment: Fulfilment, carrier: str, tracking_number: str, actor
) -> Fulfilment:
    """The parcel left with the carrier: the customer gets the tracking number (and the
    carrier's tracking page for the carriers we know, fulfillment/carriers.py)."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise DomainError(_("A carrier and a tracking number are required to ship."))
    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment, S.SHIPPED, actor=actor, carrier=carrier,
            tracking_number=tracking_number, closed_at=timezone.now(),
        )  # fmt: skip
        if moved:
            emails.send_shipped(fulfilment)
            _after_step(fulfilment, actor=actor)
    return fulfilment


def record_reserve_outcome(*, fulfilment: Fulfilment, purchased: bool, actor) -> Fulfilment:
    """Reserve & collect ends in the store: the customer bought the item there, or not (the
    line is then counted as cancelled; nothing was paid online, nothing is refunded)."""
    target = S.PURCHASED_IN_STORE if purchased else S.NOT_PURCHASED
    with transaction.atomic():
        fulfilment, moved = _move(fulfilment, target, actor=actor, closed_at=timezone.now())
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


def cancel_fulfilment(*, fulfilment: Fulfilment, actor, reason: str) -> Fulfilment:
    """Cancel a fulfilment that has not left the store: its stock goes back, its lines are
    cancelled, refunded and told to the customer."""
    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment, S.CANCELLED, actor=actor, reason=reason, closed_at=timezone.now()
        )
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


def time_out_fulfilment(
    *, fulfilment: Fulfilment, now=None, skip_locked: bool = False
) -> tuple[Fulfilment, bool]:
    """The store did not accept before the deadline: the fulfilment times out and its lines go
    to the next candidate (or are cancelled), all in one transaction. Safe to run twice or
    concurrently: the second run finds it already timed out (or accepted meanwhile) and does
    nothing. With `skip_locked` a fulfilment another transaction holds (the store accepting it
    right now) is left for the next run: returns (fulfilment, False)."""
    now = now or timezone.now()
    actor = "system:acceptance-timeout"
    with transaction.atomic():
        locked = (
            Fulfilment.objects.select_for_update(skip_locked=skip_locked)
            .filter(pk=fulfilment.pk)
            .first()
        )
        if locked is None:
            return fulfilment, False
        if locked.status != S.AWAITING_ACCEPTANCE or (
            locked.accept_deadline and locked.accept_deadline > now
        ):
            return locked, False
        locked, moved = _move(
            locked, S.TIMED_OUT, actor=actor,
            reason=_("Not accepted before the deadline."), closed_at=now,
        )  # fmt: skip
        if moved:
            _after_step(locked, actor=actor)
        return locked, moved


def mark_uncollected(
    *, fulfilment: Fulfilment, now=None, skip_locked: bool = False
) -> tuple[Fulfilment, bool]:
    """A ready order nobody came for by `collect_before`: cancelled, its stock given back,
    refunded, and the customer told. Idempotent like time_out_fulfilment."""
    now = now or timezone.now()
    actor = "system:collection-deadline"
    with transaction.atomic():
        locked = (
            Fulfilment.objects.select_for_update(skip_locked=skip_locked)
            .filter(pk=fulfilment.pk)
            .first()
        )
        if locked is None:
            return fulfilment, False
        if locked.status != S.READY_FOR_PICKUP or (
            locked.collect_before and locked.collect_before > now
        ):
            return locked, False
        locked, moved = _move(
            locked, S.UNCOLLECTED, actor=actor, reason=_("Not collected in time."), closed_at=now
        )
        if moved:
            why = (
                "reservation_expired" if locked.method == FulfilmentMethod.RESERVE_COLLECT else None
            )
            _after_step(locked, actor=actor, why=why)
        return locked, moved


def expire_reservation(
    *, fulfilment: Fulfilment, now=None, skip_locked: bool = False
) -> tuple[Fulfilment, bool]:
    """A reserve & collect fulfilment whose hold on the stock has ended (`expires_at` passed):
    it ends too, and its stock goes back. Ready in the store: not collected in time; not ready
    yet: cancelled. The customer is told the reservation expired. Idempotent."""
    now = now or timezone.now()
    actor = "system:reservation-expiry"
    with transaction.atomic():
        locked = (
            Fulfilment.objects.select_for_update(skip_locked=skip_locked)
            .filter(pk=fulfilment.pk)
            .first()
        )
        if locked is None:
            return fulfilment, False
        until = _reserve_collect_hold_until(locked)
        if (
            locked.method != FulfilmentMethod.RESERVE_COLLECT
            or locked.status not in OPEN_STATUSES
            or until is None
            or until > now
        ):
            return locked, False
        target = S.UNCOLLECTED if locked.status == S.READY_FOR_PICKUP else S.CANCELLED
        locked, moved = _move(
            locked, target, actor=actor, reason=_("The reservation expired."), closed_at=now
        )
        if moved:
            _after_step(locked, actor=actor, why="reservation_expired")
        return locked, moved


# The periodic jobs: each fulfilment in its own short transaction --------------------------------


def _each(ids, step, now) -> int:
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


def time_out_overdue_fulfilments(*, now=None, limit: int = 500) -> int:
    """The timeout job: every fulfilment still awaiting acceptance past its deadline times out
    and is routed again. Returns how many timed out."""
    now = now or timezone.now()
    ids = (
        Fulfilment.objects.filter(status=S.AWAITING_ACCEPTANCE, accept_deadline__lte=now)
        .order_by("accept_deadline", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return _each(list(ids), time_out_fulfilment, now)


def expire_uncollected_fulfilments(*, now=None, limit: int = 500) -> int:
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


def _reserve_collect_holds(now):
    """The open reserve & collect fulfilments, with when their hold ends."""
    holds = Reservation.objects.filter(
        kind=Reservation.Kind.RESERVE_COLLECT,
        holder=Concat(Value("fulfilment:"), Cast(OuterRef("pk"), CharField())),
    ).exclude(status__in=[Reservation.Status.RELEASED, Reservation.Status.CONSUMED])
    return Fulfilment.objects.filter(
        method=FulfilmentMethod.RESERVE_COLLECT, status__in=OPEN_STATUSES
    ).annotate(hold_until=Subquery(holds.order_by("expires_at").values("expires_at")[:1]))


def expire_reservations(*, now=None, limit: int = 500) -> int:
    """The reserve & collect job: a reservation ends with its hold on the stock."""
    now = now or timezone.now()
    ids = (
        _reserve_collect_holds(now)
        .filter(hold_until__lte=now)
        .order_by("hold_until", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return _each(list(ids), expire_reservation, now)


def remind_expiring_reservations(*, now=None, limit: int = 500) -> int:
    """Tell the customer whose reserved item waits in the store that the hold ends within
    settings.RESERVE_COLLECT_REMINDER_HOURS; once per reservation, and only if it was ready
    before that window opened (else the ready e-mail, just sent, says it all)."""
    now = now or timezone.now()
    window = timedelta(hours=settings.RESERVE_COLLECT_REMINDER_HOURS)
    due = Fulfilment.objects.filter(
        method=FulfilmentMethod.RESERVE_COLLECT, status=S.READY_FOR_PICKUP,
        expiry_reminder_sent_at__isnull=True, collect_before__gt=now,
        collect_before__lte=now + window, ready_at__lt=F("collect_before") - window,
    ).order_by("collect_before", "pk")[:limit]  # fmt: skip
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
