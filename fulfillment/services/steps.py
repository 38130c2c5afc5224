"""The store's steps on a fulfilment: accept or reject, pick, make ready, ship, deliver, the
reserve & collect outcome, and HQ's cancellation.

Each step is one transaction: the move (fulfillment/services/moves.py), the customer's e-mail
(fulfillment/emails.py), then what the order feels (`after_step`). A step repeated is harmless:
the move finds the fulfilment already there and nothing else happens. The handover, which checks
the pickup code, is in fulfillment/services/pickup_codes.py; a transfer's own steps (send,
receive) in fulfillment/transfers.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.errors import DomainError
from orders.models import FulfilmentMethod, OrderPolicy
from stores.models import Store

from .. import emails
from ..models import Fulfilment
from .moves import after_step, move_fulfilment
from .pickup_codes import (
    ReadyForPickup,
    new_pickup_code_salt,
    pickup_code_digest,
    pickup_code_from_salt,
)
from .stock import reserve_collect_hold_until

S = Fulfilment.Status


def accept_fulfilment(
    *, fulfilment: Fulfilment, actor: Any, at_store: Store | None = None
) -> Fulfilment:
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=S.ACCEPTED,
            actor=actor,
            at_store=at_store,
            accepted_at=timezone.now(),
        )
        if moved:
            hold_until = (
                reserve_collect_hold_until(fulfilment)
                if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT
                else None
            )
            emails.send_accepted(fulfilment, hold_until=hold_until)
            after_step(fulfilment, actor=actor)
    return fulfilment


def reject_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Any,
    reason: str,
    at_store: Store | None = None,
    missing_stock: bool = False,
) -> Fulfilment:
    """The store can't serve it: in the same transaction, its lines go to the next candidate
    (home delivery) or are cancelled and refunded (collect, or no candidate left).
    `missing_stock`: the goods were not there though its stock said so (its scorecard counts
    it against its stock accuracy)."""
    if not reason.strip():
        raise DomainError(_("Say why the fulfilment is rejected."))
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=S.REJECTED,
            actor=actor,
            reason=reason,
            rejection_reason=reason,
            rejected_for_missing_stock=missing_stock,
            closed_at=timezone.now(),
            at_store=at_store,
        )
        if moved:
            after_step(fulfilment, actor=actor)
    return fulfilment


def mark_picked(*, fulfilment: Fulfilment, actor: Any, at_store: Store | None = None) -> Fulfilment:
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment, target=S.PICKED, actor=actor, at_store=at_store
        )
        if moved:
            after_step(fulfilment, actor=actor)
    return fulfilment


def mark_ready_for_pickup(
    *, fulfilment: Fulfilment, actor: Any, at_store: Store | None = None
) -> ReadyForPickup:
    """Ready on the shelf: a fresh pickup code is made and e-mailed to the customer (text and
    QR code); only its digest and salt are kept (services/pickup_codes.py). Click & collect
    waits OrderPolicy.collect_within_days; reserve & collect until its hold on the stock ends."""
    policy = OrderPolicy.current()
    with transaction.atomic():
        salt = new_pickup_code_salt()
        code = pickup_code_from_salt(fulfilment.pk, salt)
        now = timezone.now()
        collect_before = now + timedelta(days=policy.collect_within_days)
        if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT:
            collect_before = reserve_collect_hold_until(fulfilment) or collect_before
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=S.READY_FOR_PICKUP,
            actor=actor,
            at_store=at_store,
            ready_at=now,
            collect_before=collect_before,
            pickup_code_digest=pickup_code_digest(fulfilment.pk, code),
            pickup_code_salt=salt,
            pickup_code_failures=0,
        )
        if moved:
            emails.send_ready_for_pickup(fulfilment, code=code)
            after_step(fulfilment, actor=actor)
    return ReadyForPickup(fulfilment=fulfilment, pickup_code=code if moved else None)


def ship_fulfilment(
    *, fulfilment: Fulfilment, carrier: str, tracking_number: str, actor: Any
) -> Fulfilment:
    """The parcel left with the carrier: the customer gets the tracking number (and the
    carrier's tracking page for the carriers we know, fulfillment/carriers.py)."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise DomainError(_("A carrier and a tracking number are required to ship."))
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=S.SHIPPED,
            actor=actor,
            carrier=carrier,
            tracking_number=tracking_number,
            closed_at=timezone.now(),
        )
        if moved:
            emails.send_shipped(fulfilment)
            after_step(fulfilment, actor=actor)
    return fulfilment


def mark_delivered(
    *, fulfilment: Fulfilment, actor: Any, delivered_at: datetime | None = None
) -> Fulfilment:
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
        fulfilment, moved = move_fulfilment(
            fulfilment=locked, target=S.DELIVERED, actor=actor, delivered_at=delivered_at
        )
        if moved:
            after_step(fulfilment, actor=actor)
    return fulfilment


def record_reserve_outcome(
    *, fulfilment: Fulfilment, purchased: bool, actor: Any, at_store: Store | None = None
) -> Fulfilment:
    """Reserve & collect ends in the store: the customer bought the item there, or not (the
    line is then counted as cancelled; nothing was paid online, nothing is refunded)."""
    target = S.PURCHASED_IN_STORE if purchased else S.NOT_PURCHASED
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=target,
            actor=actor,
            at_store=at_store,
            closed_at=timezone.now(),
        )
        if moved:
            after_step(fulfilment, actor=actor)
    return fulfilment


def cancel_fulfilment(*, fulfilment: Fulfilment, actor: Any, reason: str) -> Fulfilment:
    """Cancel a fulfilment that has not left the store: its stock goes back, its lines are
    cancelled, refunded and told to the customer."""
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=S.CANCELLED,
            actor=actor,
            reason=reason,
            closed_at=timezone.now(),
        )
        if moved:
            after_step(fulfilment, actor=actor)
    return fulfilment
