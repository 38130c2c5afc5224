"""The store's steps on a fulfilment: accept or reject, pick, make ready, hand over, ship.

Every step goes through `_move`: it re-reads the fulfilment with SELECT FOR UPDATE, returns it
unchanged when it is already in the target state (a retried request or job is harmless), checks
the move against fulfillment/states.py, saves, and writes a FulfilmentEvent and an audit row.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.webhooks import emit_event
from orders.models import OrderPolicy, fulfilment_holder
from stores.models import Reservation
from stores.services import consume_reservation, release_holder

from .models import Fulfilment, FulfilmentEvent
from .states import COMPLETED_STATUSES, check_fulfilment_transition

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


def accept_fulfilment(*, fulfilment: Fulfilment, actor) -> Fulfilment:
    with transaction.atomic():
        fulfilment, _moved = _move(fulfilment, S.ACCEPTED, actor=actor, accepted_at=timezone.now())
    return fulfilment


def reject_fulfilment(*, fulfilment: Fulfilment, actor, reason: str) -> Fulfilment:
    """The store can't serve it. The caller (orders) routes the lines to the next candidate."""
    if not reason.strip():
        raise DomainError(_("Say why the fulfilment is rejected."))
    with transaction.atomic():
        fulfilment, _moved = _move(
            fulfilment, S.REJECTED, actor=actor, reason=reason, rejection_reason=reason,
            closed_at=timezone.now(),
        )  # fmt: skip
    return fulfilment


def mark_picked(*, fulfilment: Fulfilment, actor) -> Fulfilment:
    with transaction.atomic():
        fulfilment, _moved = _move(fulfilment, S.PICKED, actor=actor)
    return fulfilment


@dataclass(frozen=True)
class ReadyForPickup:
    fulfilment: Fulfilment
    pickup_code: str | None  # None when it was already ready (no new code is issued)


def mark_ready_for_pickup(*, fulfilment: Fulfilment, actor) -> ReadyForPickup:
    """Ready on the shelf: a fresh pickup code is made; only its digest is kept."""
    policy = OrderPolicy.current()
    with transaction.atomic():
        code = new_pickup_code()
        now = timezone.now()
        fulfilment, moved = _move(
            fulfilment, S.READY_FOR_PICKUP, actor=actor, ready_at=now,
            collect_before=now + timedelta(days=policy.collect_within_days),
            pickup_code_digest=pickup_code_digest(fulfilment.pk, code), pickup_code_failures=0,
        )  # fmt: skip
    return ReadyForPickup(fulfilment=fulfilment, pickup_code=code if moved else None)


def reissue_pickup_code(*, fulfilment: Fulfilment, actor) -> ReadyForPickup:
    """A new code for a ready fulfilment (lost code, or voided by wrong attempts)."""
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
            locked, _moved = _move(
                locked, S.COLLECTED, actor=actor, closed_at=timezone.now(), pickup_code_digest=""
            )
    # The failed attempt is committed before the error is raised: it must count.
    if wrong is not None:
        raise wrong
    return locked


def ship_fulfilment(
    *, fulfilment: Fulfilment, carrier: str, tracking_number: str, actor
) -> Fulfilment:
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise DomainError(_("A carrier and a tracking number are required to ship."))
    with transaction.atomic():
        fulfilment, _moved = _move(
            fulfilment, S.SHIPPED, actor=actor, carrier=carrier,
            tracking_number=tracking_number, closed_at=timezone.now(),
        )  # fmt: skip
    return fulfilment


def record_reserve_outcome(*, fulfilment: Fulfilment, purchased: bool, actor) -> Fulfilment:
    """Reserve & collect ends in the store: the customer bought the item there, or not."""
    target = S.PURCHASED_IN_STORE if purchased else S.NOT_PURCHASED
    with transaction.atomic():
        fulfilment, _moved = _move(fulfilment, target, actor=actor, closed_at=timezone.now())
    return fulfilment


def cancel_fulfilment(*, fulfilment: Fulfilment, actor, reason: str) -> Fulfilment:
    with transaction.atomic():
        fulfilment, _moved = _move(
            fulfilment, S.CANCELLED, actor=actor, reason=reason, closed_at=timezone.now()
        )
    return fulfilment


def time_out_fulfilment(*, fulfilment: Fulfilment, now=None) -> tuple[Fulfilment, bool]:
    """The store did not accept before the deadline. Safe to run twice or concurrently: the
    second run finds it already timed out (or accepted meanwhile) and does nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.status != S.AWAITING_ACCEPTANCE or (
            locked.accept_deadline and locked.accept_deadline > now
        ):
            return locked, False
        return _move(
            locked, S.TIMED_OUT, actor="system:acceptance-timeout",
            reason=_("Not accepted before the deadline."), closed_at=now,
        )  # fmt: skip


def mark_uncollected(*, fulfilment: Fulfilment, now=None) -> tuple[Fulfilment, bool]:
    """A ready order nobody came for by `collect_before`. Idempotent like time_out_fulfilment."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.status != S.READY_FOR_PICKUP or (
            locked.collect_before and locked.collect_before > now
        ):
            return locked, False
        return _move(
            locked, S.UNCOLLECTED, actor="system:collection-deadline",
            reason=_("Not collected in time."), closed_at=now,
        )  # fmt: skip
