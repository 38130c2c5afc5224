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
from django.db.models import CharField, F, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.money import format_cents
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import transition
from network_marketplace.webhooks import emit_event
from orders.models import FulfilmentMethod, Order, OrderPolicy, fulfilment_holder
from orders.states import ORDER_LIFECYCLE
from stores.models import Reservation, StockMovement, Store
from stores.services import adjust_on_hand, consume_reservation, release_holder

from . import emails
from .models import Fulfilment, FulfilmentEvent, FulfilmentLine, Return, ReturnEvent, ReturnLine
from .selectors import return_warehouse, returnable_lines
from .states import (
    COMPLETED_STATUSES,
    COUNTED_RETURN_STATUSES,
    FULFILMENT_LIFECYCLE,
    LOST_STATUSES,
    OPEN_STATUSES,
    check_fulfilment_transition,
    check_return_transition,
    check_store_performs,
)

logger = logging.getLogger(__name__)
S = Fulfilment.Status
PICKUP_CODE_DIGITS = 6

# The webhook event each move emits, for POS/ERP systems that follow orders.
EVENT_OF_STATUS = {
    S.ACCEPTED: "fulfillment.accepted",
    S.REJECTED: "fulfillment.rejected",
    S.TIMED_OUT: "fulfillment.timed_out",
    S.PICKED: "fulfillment.picked",
    S.IN_TRANSIT: "fulfillment.transfer_shipped",
    S.RECEIVED: "fulfillment.transfer_received",
    S.READY_FOR_PICKUP: "fulfillment.ready",
    S.COLLECTED: "fulfillment.handed_over",
    S.SHIPPED: "fulfillment.shipped",
    S.DELIVERED: "fulfillment.delivered",
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
    fulfilment: Fulfilment,
    target: str,
    *,
    actor,
    reason: str = "",
    at_store: Store | None = None,
    **changes,
) -> tuple[Fulfilment, bool]:
    """Apply one transition; returns (fulfilment, moved). Call inside a transaction.
    `at_store` is the store acting (None: HQ or a job): a transfer's moves are each one
    side's (states.check_store_performs)."""
    locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
    if locked.status == target:
        return locked, False
    check_fulfilment_transition(locked, target)
    check_store_performs(locked, at_store.pk if at_store else None, target)
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
    if target in COMPLETED_STATUSES:
        _record_sale(locked, actor)
    _emit_step(locked, EVENT_OF_STATUS[target])
    return locked, True


def _emit_step(fulfilment: Fulfilment, event_type: str) -> None:
    """The step's webhook to the serving store's endpoints (and HQ's); a transfer's pickup
    store follows it too."""
    data = fulfilment_event_data(fulfilment)
    emit_event(
        event_type=event_type,
        store_id=fulfilment.store_id,
        event_id=f"{event_type}:{fulfilment.pk}",
        data=data,
    )
    if fulfilment.pickup_store_id is not None:
        emit_event(
            event_type=event_type,
            store_id=fulfilment.pickup_store_id,
            event_id=f"{event_type}:{fulfilment.pk}:pickup-store",
            data=data,
        )


# Ends that give the held stock back to the store.
GIVES_STOCK_BACK = {S.REJECTED, S.TIMED_OUT, S.CANCELLED, S.UNCOLLECTED, S.NOT_PURCHASED}


def _settle_stock(fulfilment: Fulfilment, target: str, actor) -> None:
    """The held units leave the store when the goods do (a sale movement each), and go back
    to available stock when the fulfilment ends without a sale. A transfer's units leave the
    source store when sent ("transfer_out") and come into the pickup store's stock, held for
    the order, when received (fulfillment/transfers.py)."""
    from .transfers import settle_transfer_stock

    holder = fulfilment_holder(fulfilment.pk)
    if settle_transfer_stock(fulfilment, target, actor):
        return
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


def _record_sale(fulfilment: Fulfilment, actor) -> None:
    """The goods left: the sale is split and booked, the store's share transferred."""
    from payments.postings import record_sale

    record_sale(fulfilment=fulfilment, actor=actor)


def fulfilment_event_data(fulfilment: Fulfilment) -> dict:
    """What a webhook says of a fulfilment: enough for a POS or ERP to follow it."""
    return {
        "fulfilment": fulfilment.pk,
        "order": fulfilment.order.number or fulfilment.order_id,
        "store": fulfilment.store.slug,
        "pickup_store": fulfilment.pickup_store.slug if fulfilment.pickup_store_id else None,
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
    from orders.services import cancel_order_lines

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


def accept_fulfilment(
    *, fulfilment: Fulfilment, actor, at_store: Store | None = None
) -> Fulfilment:
    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment, S.ACCEPTED, actor=actor, at_store=at_store, accepted_at=timezone.now()
        )
        if moved:
            hold_until = (
                _reserve_collect_hold_until(fulfilment)
                if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT
                else None
            )
            emails.send_accepted(fulfilment, hold_until=hold_until)
            _after_step(fulfilment, actor=actor)
    return fulfilment


def reject_fulfilment(
    *, fulfilment: Fulfilment, actor, reason: str, at_store: Store | None = None
) -> Fulfilment:
    """The store can't serve it: in the same transaction, its lines go to the next candidate
    (home delivery) or are cancelled and refunded (collect, or no candidate left)."""
    if not reason.strip():
        raise DomainError(_("Say why the fulfilment is rejected."))
    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment,
            S.REJECTED,
            actor=actor,
            reason=reason,
            rejection_reason=reason,
            closed_at=timezone.now(),
            at_store=at_store,
        )
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


def mark_picked(*, fulfilment: Fulfilment, actor, at_store: Store | None = None) -> Fulfilment:
    with transaction.atomic():
        fulfilment, moved = _move(fulfilment, S.PICKED, actor=actor, at_store=at_store)
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


@dataclass(frozen=True)
class ReadyForPickup:
    fulfilment: Fulfilment
    pickup_code: str | None  # None when it was already ready (no new code is issued)


def mark_ready_for_pickup(
    *, fulfilment: Fulfilment, actor, at_store: Store | None = None
) -> ReadyForPickup:
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
            fulfilment,
            S.READY_FOR_PICKUP,
            actor=actor,
            at_store=at_store,
            ready_at=now,
            collect_before=collect_before,
            pickup_code_digest=pickup_code_digest(fulfilment.pk, code),
            pickup_code_failures=0,
        )
        if moved:
            emails.send_ready_for_pickup(fulfilment, code=code)
            _after_step(fulfilment, actor=actor)
    return ReadyForPickup(fulfilment=fulfilment, pickup_code=code if moved else None)


def reissue_pickup_code(
    *, fulfilment: Fulfilment, actor, at_store: Store | None = None
) -> ReadyForPickup:
    """A new code for a ready fulfilment (lost code, or voided by wrong attempts), e-mailed."""
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.status != S.READY_FOR_PICKUP:
            check_fulfilment_transition(locked, S.READY_FOR_PICKUP)
        check_store_performs(locked, at_store.pk if at_store else None, S.READY_FOR_PICKUP)
        code = new_pickup_code()
        locked.pickup_code_digest = pickup_code_digest(locked.pk, code)
        locked.pickup_code_failures = 0
        locked.save(update_fields=["pickup_code_digest", "pickup_code_failures", "updated_at"])
        record_audit_event(
            actor=actor,
            action="fulfilment.pickup_code_reissued",
            target=locked,
            store_id=locked.store_id,
        )
        emails.send_ready_for_pickup(locked, code=code)
    return ReadyForPickup(fulfilment=locked, pickup_code=code)


def hand_over(
    *, fulfilment: Fulfilment, code: str, actor, at_store: Store | None = None
) -> Fulfilment:
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
        check_store_performs(locked, at_store.pk if at_store else None, S.COLLECTED)
        if locked.pickup_code_failures >= policy.pickup_code_attempts:
            raise PickupCodeVoid(_("Too many wrong codes: send the customer a new pickup code."))
        expected = locked.pickup_code_digest
        if not expected or not hmac.compare_digest(expected, pickup_code_digest(locked.pk, code)):
            locked.pickup_code_failures += 1
            locked.save(update_fields=["pickup_code_failures", "updated_at"])
            remaining = max(policy.pickup_code_attempts - locked.pickup_code_failures, 0)
            record_audit_event(
                actor=actor,
                action="fulfilment.wrong_pickup_code",
                target=locked,
                store_id=locked.store_id,
                data={"remaining": remaining},
            )
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
            fulfilment,
            S.SHIPPED,
            actor=actor,
            carrier=carrier,
            tracking_number=tracking_number,
            closed_at=timezone.now(),
        )
        if moved:
            emails.send_shipped(fulfilment)
            _after_step(fulfilment, actor=actor)
    return fulfilment


def record_reserve_outcome(
    *, fulfilment: Fulfilment, purchased: bool, actor, at_store: Store | None = None
) -> Fulfilment:
    """Reserve & collect ends in the store: the customer bought the item there, or not (the
    line is then counted as cancelled; nothing was paid online, nothing is refunded)."""
    target = S.PURCHASED_IN_STORE if purchased else S.NOT_PURCHASED
    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment, target, actor=actor, at_store=at_store, closed_at=timezone.now()
        )
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


def _lock_for_job(fulfilment: Fulfilment, *, skip_locked: bool) -> Fulfilment | None:
    """The fulfilment's row, locked for a beat job; None when `skip_locked` and another
    transaction holds it (a store acting on it right now): the next run takes it."""
    return (
        Fulfilment.objects.select_for_update(skip_locked=skip_locked)
        .filter(pk=fulfilment.pk)
        .first()
    )


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
        locked = _lock_for_job(fulfilment, skip_locked=skip_locked)
        if locked is None:
            return fulfilment, False
        if locked.status != S.AWAITING_ACCEPTANCE or (
            locked.accept_deadline and locked.accept_deadline > now
        ):
            return locked, False
        locked, moved = _move(
            locked,
            S.TIMED_OUT,
            actor=actor,
            reason=_("Not accepted before the deadline."),
            closed_at=now,
        )
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
        locked = _lock_for_job(fulfilment, skip_locked=skip_locked)
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
        locked = _lock_for_job(fulfilment, skip_locked=skip_locked)
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


def mark_delivered(*, fulfilment: Fulfilment, actor, delivered_at=None) -> Fulfilment:
    """The carrier delivered a shipped parcel (reported by the carrier, the store's ERP or HQ's
    integration). `delivered_at` is when it happened (default now): not in the future, not
    before shipping. The 14-day withdrawal period starts then."""
    now = timezone.now()
    delivered_at = delivered_at or now
    if delivered_at > now + timedelta(minutes=5):
        raise DomainError(_("A delivery can't be in the future."), delivered_at=_("In the future."))
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.closed_at and locked.status == S.SHIPPED and delivered_at < locked.closed_at:
            raise DomainError(
                _("A parcel can't be delivered before it was shipped."),
                delivered_at=_("Before the shipping time."),
            )
        fulfilment, moved = _move(locked, S.DELIVERED, actor=actor, delivered_at=delivered_at)
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


# Returns ----------------------------------------------------------------------------------
#
# A customer (or a store's desk for a walk-in customer) starts a return of what was received;
# any store that accepts returns (or the warehouse, by post) receives it, inspects each line,
# puts resalable units back into its own stock, and refunds the customer through payments. The
# sale reversed is the seller store's, kept on each ReturnLine. Steps follow RETURN_TRANSITIONS.

R = Return.Status


class ReturnInvalid(DomainError):
    """The return can't be made as asked."""

    code = "return_invalid"
    http_status = 400


class NotThisStoresReturn(DomainError):
    """This return is handled by another location."""

    code = "not_this_stores_return"
    http_status = 409


@dataclass(frozen=True)
class ReturnRequestLine:
    fulfilment_line: FulfilmentLine
    quantity: int


@dataclass(frozen=True)
class LineInspection:
    line: ReturnLine
    condition: str
    restock: bool
    refund_cents: int


def _move_return(
    return_request: Return, target: str, *, actor, store=None, reason: str = "", **changes
) -> tuple[Return, bool]:
    """Apply one transition of a return; returns (return, moved). Call inside a transaction."""
    locked = Return.objects.select_for_update().get(pk=return_request.pk)
    if locked.status == target:
        return locked, False
    check_return_transition(locked.status, target)
    previous = locked.status
    locked.status = target
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *changes])
    ReturnEvent.objects.create(
        return_request=locked,
        from_status=previous,
        to_status=target,
        store=store,
        actor_label=actor_label(actor),
        reason=reason,
    )
    record_audit_event(
        actor=actor,
        action=f"return.{target}",
        target=locked,
        store_id=store.pk if store else locked.store_id,
        data={"from": previous, "to": target, "order": locked.order_id, "reason": reason},
    )
    return locked, True


def return_event_data(return_request: Return) -> dict:
    """What a webhook says of a return: the receiving location, and each line with the seller
    store whose sale it reverses and the amount refunded for it."""
    return {
        "return": return_request.number,
        "order": return_request.order.number,
        "status": return_request.status,
        "method": return_request.method,
        "receiving_store": return_request.store.slug,
        "refunded_cents": return_request.refunded_cents,
        "shipping_refund_cents": return_request.shipping_refund_cents,
        "lines": [
            {
                "sku": line.order_line.sku,
                "quantity": line.quantity,
                "seller_store": line.seller_store.slug,
                "condition": line.condition,
                "restocked_quantity": line.restocked_quantity,
                "refund_cents": line.refund_cents,
            }
            for line in return_request.lines.select_related("order_line", "seller_store")
        ],
    }


def _emit_return_event(return_request: Return, event_type: str) -> None:
    """To the receiving location and to every seller store of the return (and HQ, once)."""
    data = return_event_data(return_request)
    sellers = {line.seller_store_id for line in return_request.lines.all()}
    store_ids = [return_request.store_id, *sorted(sellers - {return_request.store_id})]
    for store_id in store_ids:
        emit_event(
            event_type=event_type,
            store_id=store_id,
            event_id=f"{event_type}:{return_request.pk}",
            data=data,
        )


def _return_email_context(return_request: Return) -> dict:
    store = return_request.store
    return {
        "number": return_request.number,
        "order_number": return_request.order.number,
        "first_name": return_request.order.first_name,
        "method": return_request.method,
        "store_name": store.name,
        "store_address": f"{store.address_line}, {store.postal_code} {store.city}",
        "lines": [
            {
                "name": line.order_line.product_name,
                "sku": line.order_line.sku,
                "quantity": line.quantity,
                "refund_cents": line.refund_cents,
            }
            for line in return_request.lines.select_related("order_line")
        ],
        "refund_cents": return_request.refund_total_cents,
    }


def _check_receiving_store(store: Store) -> None:
    if store is None or store.status != Store.Status.ACTIVE or not store.accepts_returns:
        raise ReturnInvalid(
            _("This store does not take returns: choose another one."),
            store=_("This store does not take returns."),
        )


def request_return(
    *,
    order: Order,
    lines: list[ReturnRequestLine],
    reason: str,
    method: str,
    actor,
    store: Store | None = None,
    comment: str = "",
    now=None,
    instructions: bool = True,
) -> Return:
    """Start a return of received units of `order`, to be brought to `store` (any active store
    that accepts returns) or sent by post to the warehouse. The customer gets the instructions
    by e-mail (not when `instructions` is False: the items are already at the desk).

    Each quantity must be at most what was received of its line, within the withdrawal period,
    minus what is already being returned: the order row is locked, so two concurrent requests
    can't return the same units twice. Lines are priced at what was paid for them; the
    inspection may lower that.
    """
    errors = {}
    if reason not in Return.Reason.values:
        errors["reason"] = _("Choose a reason.")
    if method not in Return.Method.values:
        errors["method"] = _("Choose how you return the items.")
    elif method == Return.Method.POST:
        store = return_warehouse()
        if store is None:
            errors["method"] = _(
                "Returns by post are not possible at the moment: bring it to a store."
            )
    elif store is None:
        errors["store"] = _("Choose the store you will bring it to.")
    # One line per fulfilment line: the same one named twice adds up.
    quantities: dict[int, int] = {}
    by_id = {}
    for line in lines:
        quantities[line.fulfilment_line.pk] = quantities.get(line.fulfilment_line.pk, 0) + (
            line.quantity
        )
        by_id[line.fulfilment_line.pk] = line.fulfilment_line
    lines = [
        ReturnRequestLine(by_id[pk], quantity) for pk, quantity in quantities.items() if quantity
    ]
    if not lines:
        errors["lines"] = _("Choose at least one item to return.")
    if any(line.quantity < 0 for line in lines):
        errors["lines"] = _("A quantity can't be negative.")
    if errors:
        raise ReturnInvalid(_("The return is incomplete."), **errors)
    _check_receiving_store(store)
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        returnable = {line.fulfilment_line.pk: line for line in returnable_lines(order, now=now)}
        for line in lines:
            allowed = returnable.get(line.fulfilment_line.pk)
            if allowed is None:
                raise ReturnInvalid(
                    _("This item is not part of the order."), lines=_("Unknown item.")
                )
            if line.quantity > allowed.returnable_quantity:
                message = allowed.refusal or _(
                    "Only %(count)s of %(sku)s can still be returned."
                ) % {"count": allowed.returnable_quantity, "sku": allowed.order_line.sku}
                raise ReturnInvalid(
                    message,
                    lines=message,
                    sku=allowed.order_line.sku,
                    returnable=allowed.returnable_quantity,
                )
        return_request = Return.objects.create(
            order=order,
            method=method,
            store=store,
            reason=reason,
            comment=comment.strip()[:500],
            created_by=actor if isinstance(actor, User) else getattr(actor, "audit_user", None),
            created_by_label=actor_label(actor),
        )
        for line in sorted(lines, key=lambda each: each.fulfilment_line.pk):
            fulfilment_line = returnable[line.fulfilment_line.pk].fulfilment_line
            ReturnLine.objects.create(
                return_request=return_request,
                order_line=fulfilment_line.order_line,
                fulfilment_line=fulfilment_line,
                seller_store=fulfilment_line.fulfilment.store,
                quantity=line.quantity,
                refund_cents=fulfilment_line.order_line.unit_price_cents * line.quantity,
            )
        ReturnEvent.objects.create(
            return_request=return_request,
            to_status=R.REQUESTED,
            store=store,
            actor_label=actor_label(actor),
            reason=return_request.get_reason_display(),
        )
        record_audit_event(
            actor=actor,
            action="return.requested",
            target=return_request,
            store_id=store.pk,
            data={
                "order": order.pk,
                "method": method,
                "lines": [[line.fulfilment_line.pk, line.quantity] for line in lines],
            },
        )
        _emit_return_event(return_request, "return.created")
        if instructions:
            send_templated_email(
                to=order.email,
                template="return_requested",
                language=order.language,
                dedupe_key=f"return-requested:{return_request.pk}",
                context=_return_email_context(return_request),
                inline_qr={"return_qr": "number"},
            )
    return return_request


def take_back_at_desk(
    *,
    order: Order,
    lines: list[ReturnRequestLine],
    reason: str,
    store: Store,
    actor,
    comment: str = "",
) -> Return:
    """A walk-in customer hands items of an online order over at `store`'s desk without having
    started a return: the return is made and received there, in one transaction, under the same
    rules (period, quantities). The customer gets the "received" e-mail only."""
    with transaction.atomic():
        made = request_return(
            order=order,
            lines=lines,
            reason=reason,
            method=Return.Method.IN_STORE,
            store=store,
            actor=actor,
            comment=comment,
            instructions=False,
        )
        return receive_return(return_request=made, store=store, actor=actor)


def receive_return(*, return_request: Return, store: Store, actor) -> Return:
    """`store` has the goods in hand. A customer may bring a return to another store than the
    one chosen: the store that receives it handles it from now on."""
    _check_receiving_store(store)
    with transaction.atomic():
        return_request, moved = _move_return(
            return_request,
            R.RECEIVED,
            actor=actor,
            store=store,
            store_id=store.pk,
            received_at=timezone.now(),
        )
        if not moved and return_request.store_id != store.pk:
            raise NotThisStoresReturn(_("This return was received by another store."))
        if moved:
            _emit_return_event(return_request, "return.received")
            send_templated_email(
                to=return_request.order.email,
                template="return_received",
                language=return_request.order.language,
                dedupe_key=f"return-received:{return_request.pk}",
                context=_return_email_context(return_request),
            )
    return return_request


def _check_handled_by(return_request: Return, store: Store) -> None:
    if return_request.store_id != store.pk:
        raise NotThisStoresReturn(
            _("This return is handled by %(store)s.") % {"store": return_request.store.name}
        )


def _shipping_refund_cents(return_request: Return) -> int:
    """The delivery fee, when this return brings the order's last units back and no earlier
    return refunded it."""
    order = return_request.order
    if not order.shipping_cents:
        return 0
    counted = Return.objects.filter(order=order, status__in=COUNTED_RETURN_STATUSES)
    if counted.exclude(pk=return_request.pk).filter(shipping_refund_cents__gt=0).exists():
        return 0
    returned = (
        ReturnLine.objects.filter(return_request__in=counted).aggregate(units=Sum("quantity"))[
            "units"
        ]
        or 0
    )
    bought = sum(line.quantity - line.cancelled_quantity for line in order.lines.all())
    return order.shipping_cents if returned >= bought else 0


def inspect_return(
    *,
    return_request: Return,
    store: Store,
    inspections: list[LineInspection],
    actor,
    source: str = StockMovement.Source.BACKOFFICE,
) -> Return:
    """The receiving store checks each line: resalable units it chooses to restock go back into
    its own stock (a `return` movement each), damaged ones don't; the refund of each line is at
    most what was paid for it (lower it for a partial refund). Every line must be inspected."""
    with transaction.atomic():
        locked = (
            Return.objects.select_for_update()
            .select_related("store", "order")
            .get(pk=return_request.pk)
        )
        if locked.status == R.INSPECTED:
            return locked
        check_return_transition(locked.status, R.INSPECTED)
        _check_handled_by(locked, store)
        lines = {line.pk: line for line in locked.lines.select_related("order_line__variant")}
        given = {inspection.line.pk: inspection for inspection in inspections}
        errors = {}
        if set(given) != set(lines):
            errors["lines"] = _("Inspect every line of the return.")
        for line_id, inspection in given.items():
            line = lines.get(line_id)
            if line is None:
                continue
            if inspection.condition not in {
                ReturnLine.Condition.RESALABLE,
                ReturnLine.Condition.DAMAGED,
            }:
                errors[f"line_{line_id}"] = _("Say whether it is resalable or damaged.")
            elif inspection.restock and inspection.condition != ReturnLine.Condition.RESALABLE:
                errors[f"line_{line_id}"] = _("A damaged item can't go back into stock.")
            elif not 0 <= inspection.refund_cents <= line.max_refund_cents:
                errors[f"line_{line_id}"] = _(
                    "The refund of %(sku)s must be between 0 and %(max)s."
                ) % {"sku": line.order_line.sku, "max": format_cents(line.max_refund_cents)}
        if errors:
            raise ReturnInvalid(next(iter(errors.values())), **errors)
        for line_id in sorted(lines):
            line, inspection = lines[line_id], given[line_id]
            line.condition = inspection.condition
            line.refund_cents = inspection.refund_cents
            line.restocked_quantity = line.quantity if inspection.restock else 0
            line.save(update_fields=["condition", "refund_cents", "restocked_quantity"])
        # Stock rows are locked in (store, variant) order, like every other writer of stock.
        for line in sorted(lines.values(), key=lambda each: each.order_line.variant_id):
            if line.restocked_quantity:
                adjust_on_hand(
                    store=store,
                    variant=line.order_line.variant,
                    delta=line.restocked_quantity,
                    reason=StockMovement.Reason.RETURN,
                    source=source,
                    actor=actor,
                    reference=locked.number,
                )
        locked, _moved = _move_return(
            locked,
            R.INSPECTED,
            actor=actor,
            store=store,
            inspected_at=timezone.now(),
            shipping_refund_cents=_shipping_refund_cents(locked),
        )
    return locked


def refund_return(*, return_request: Return, store: Store, actor) -> Return:
    """Give the customer back what the inspection decided, through the order's payment (the
    payments app sends the refund e-mail). Idempotent: the provider call carries the key
    `return:<id>`, and a refunded return is returned unchanged. When nothing was paid online
    (or nothing is due), no payment refund is made and the customer is told by e-mail."""
    from payments.postings import reverse_return_sales
    from payments.services import refund_payment

    with transaction.atomic():
        locked = (
            Return.objects.select_for_update()
            .select_related("store", "order")
            .get(pk=return_request.pk)
        )
        if locked.status == R.REFUNDED:
            return locked
        check_return_transition(locked.status, R.REFUNDED)
        _check_handled_by(locked, store)
        amount = locked.refund_total_cents
        refund = None
        if amount > 0:
            refund = refund_payment(
                order=locked.order,
                amount_cents=amount,
                reason=_("Return %(number)s") % {"number": locked.number},
                idempotency_key=f"return:{locked.pk}",
                actor=actor,
            )
            reverse_return_sales(return_request=locked, refund=refund, actor=actor)
        refunded = refund.amount_cents if refund is not None else 0
        locked, _moved = _move_return(
            locked,
            R.REFUNDED,
            actor=actor,
            store=store,
            refunded_at=timezone.now(),
            refunded_cents=refunded,
        )
        _emit_return_event(locked, "return.refunded")
        if refund is None:
            send_templated_email(
                to=locked.order.email,
                template="return_closed",
                language=locked.order.language,
                dedupe_key=f"return-closed:{locked.pk}",
                context={
                    **_return_email_context(locked),
                    "refund_cents": amount,
                    "paid_online": locked.order.online_payment_cents > 0,
                },
            )
    return locked


def cancel_return(*, return_request: Return, actor, reason: str = "") -> Return:
    """The customer (or the store, or HQ) calls off a return before the goods are received:
    its units may be returned again."""
    with transaction.atomic():
        return_request, _moved = _move_return(
            return_request, R.CANCELLED, actor=actor, reason=reason, cancelled_at=timezone.now()
        )
    return return_request


# A return announced online but never brought back stops counting after this many days.
RETURN_BRING_BACK_DAYS = 30


def expire_unreturned_returns(*, now=None) -> int:
    """Returns still awaited RETURN_BRING_BACK_DAYS after they were started are cancelled, so
    that their units no longer count as being returned and the desks' lists stay true; the
    customer is told (and may start a new return while the withdrawal period runs). Each return
    in its own short transaction, skipping one a desk is receiving; safe to repeat."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=RETURN_BRING_BACK_DAYS)
    expired = 0
    due = Return.objects.filter(status=R.REQUESTED, created_at__lt=cutoff).order_by("created_at")
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            locked = (
                Return.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=R.REQUESTED)
                .select_related("order")
                .first()
            )
            if locked is None:
                continue
            locked = cancel_return(
                return_request=locked,
                actor="system:return-expiry",
                reason=_("Not brought back within %(days)s days.")
                % {"days": RETURN_BRING_BACK_DAYS},
            )
            send_templated_email(
                to=locked.order.email,
                template="return_expired",
                language=locked.order.language,
                dedupe_key=f"return-expired:{locked.pk}",
                context={**_return_email_context(locked), "days": RETURN_BRING_BACK_DAYS},
            )
        expired += 1
    return expired


def void_unpaid_fulfilments(*, order: Order, actor: object, reason: str) -> int:
    """The checkout gave up an order still awaiting payment: each of its fulfilments ends
    CANCELLED (through the transition helper, with `closed_at`) and its checkout holds go back.
    No line is cancelled, nothing refunded, nobody e-mailed: the order was never placed.
    Returns how many fulfilments moved. Call it in the checkout's transaction."""
    moved = 0
    with transaction.atomic():
        for fulfilment in Fulfilment.objects.filter(order=order).order_by("pk"):
            release_holder(holder=fulfilment_holder(fulfilment.pk), actor=actor)
            result = transition(
                FULFILMENT_LIFECYCLE,
                fulfilment,
                Fulfilment.Status.CANCELLED,
                actor=actor,
                reason=reason,
                changes={"closed_at": timezone.now()},
            )
            moved += result.moved
    return moved


# The order's status follows its fulfilments (here in the orders engineer's branch so that it
# runs; the fulfillment engineer's order_status module is the one kept at merge).
# The roll-up only moves forward.
_RANK = {Order.Status.PLACED: 0, Order.Status.IN_PROGRESS: 1}


def rolled_up_status(order: Order) -> str:
    """The status an order's lines and fulfilments call for: CANCELLED when every unit of every
    line is cancelled; COMPLETED when no fulfilment is open and at least one ended in a sale;
    IN_PROGRESS once a store accepted; else PLACED."""
    lines = list(order.lines.values_list("quantity", "cancelled_quantity"))
    if lines and all(cancelled >= quantity for quantity, cancelled in lines):
        return Order.Status.CANCELLED
    fulfilments = list(Fulfilment.objects.filter(order=order).values_list("status", "accepted_at"))
    statuses = {status for status, _accepted in fulfilments}
    if statuses and not statuses & OPEN_STATUSES and statuses & COMPLETED_STATUSES:
        return Order.Status.COMPLETED
    if any(accepted for _status, accepted in fulfilments):
        return Order.Status.IN_PROGRESS
    return Order.Status.PLACED


def roll_up_order_status(*, order: Order, actor: object, reason: str = "") -> Order:
    """Move the order to the status its fulfilments call for (`rolled_up_status`) through
    ORDER_LIFECYCLE (its event, audit row and webhook). Every fulfilment step calls it last, in
    its transaction; lock order: the fulfilment's row first, then the order's. Idempotent; an
    order awaiting payment or already ended is left alone."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in _RANK:
            return locked
        target = rolled_up_status(locked)
        if target == locked.status or _RANK.get(target, 2) <= _RANK[locked.status]:
            return locked
        return transition(ORDER_LIFECYCLE, locked, target, actor=actor, reason=reason).row
