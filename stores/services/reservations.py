"""Holds on a store's stock: checkout holds, reserve & collect holds and an order's firm holds.

The contract (design brief, "Stock truth", "Reservations", "Stock writes"):

- `StockLevel.reserved` equals the sum of the row's ACTIVE reservations, in every committed
  state: each service below changes both in the same transaction.
- Taking stock is one conditional UPDATE under READ COMMITTED,
  `reserved = reserved + n WHERE on_hand - reserved - safety_stock >= n`, with the INSERT of the
  reservation in the same statement (both or neither); PostgreSQL re-checks the condition on the
  newest row version after waiting for a concurrent writer, so the last unit goes to exactly one
  buyer. The CHECK constraint on stock quantities backs it. A lone checkout hold runs it in
  autocommit: the hot row is locked only while the server runs the statement and commits.
- A hold stops counting at `expires_at`, whether or not the sweeper has run: when a reservation
  does not fit, `reserve_lines` releases the due holds of that stock row under the row's lock and
  tries once more. The sweeper (`release_expired_reservations`) only tidies up.
- A reservation leaves ACTIVE only through `UPDATE ... WHERE status = 'active' RETURNING`, and
  `reserved` is given back for exactly the rows returned: the lazy release, the sweeper and a
  release racing for one hold end it once and give its units back once.
- Lock order (stores.locks): stock rows first, in (store, variant) order, then the reservation
  rows of those stock rows. Every service here follows it, so baskets and sweeps don't deadlock.
- Time: expiry is compared with the application server's clock (`timezone.now()`).

Reads: `StockLevel.available` (listings, routing) still counts a due hold until the sweeper, or
a reservation that needs its units, releases it: it may under-report by the holds that expired
since the last sweep (one minute), never over-report. `selectors.available_to_reserve` is exact.

The statements these services run (the conditional hold, the end of holds, the units given
back) are in stores.services.holds.

Audit: reserve & collect and order holds leave an audit row at each step; checkout holds don't
(one per cart line and renewal would drown the trail): their row keeps who, when and how it ended.
Sales leave a stock movement (reason "sale") as every change of on-hand does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.db import atomic_once
from network_marketplace.errors import DomainError

from ..locks import lock_stock_levels
from ..models import Reservation, StockLevel, StockMovement, Store
from ..states import check_reservation_transition
from .holds import (
    ReservationExpired,
    audit_hold,
    check_holder,
    check_quantity,
    end_holds,
    ended_error,
    expire_due,
    expiry,
    give_back,
    hold_units,
    no_longer_available,
    still_counts,
)
from .stock import InsufficientStock, write_movement

__all__ = [
    "ReservationExpired",
    "consume_reservation",
    "convert_reservation",
    "convert_reservations",
    "extend_reservation",
    "receive_transferred_stock",
    "release_expired_reservations",
    "release_holder",
    "release_reservation",
    "reserve_lines",
    "reserve_stock",
]

Kind = Reservation.Kind
Status = Reservation.Status


# --- taking stock -------------------------------------------------------------------------------


def reserve_stock(
    *,
    store: Store,
    variant: Variant,
    quantity: int,
    holder: str,
    kind: str,
    ttl: timedelta | None,
    actor: Any,
) -> Reservation:
    """Hold `quantity` units of `variant` in `store` for `holder` until now + `ttl` (None for an
    order's firm hold), or raise InsufficientStock ("no longer available") and change nothing.

    Inside a caller's transaction the stock row stays locked until that transaction ends: call it
    last, or on its own.
    """
    return reserve_lines(
        lines=[(store, variant, quantity)], holder=holder, kind=kind, ttl=ttl, actor=actor
    )[0]


def reserve_lines(
    *,
    lines: Sequence[tuple[Store, Variant, int]],
    holder: str,
    kind: str,
    ttl: timedelta | None,
    actor: Any,
) -> list[Reservation]:
    """Hold every line of a basket, all or nothing: one reservation per line, in the order of
    `lines`. Stock rows are taken in (store, variant) order, whatever the order of the lines, so
    two baskets with the same items in another order never deadlock.

    Raises InsufficientStock for the first line (in that order) that does not fit.
    """
    if not lines:
        return []
    now = timezone.now()
    expires_at = expiry(kind=kind, ttl=ttl, now=now)
    check_holder(holder)
    for _store, _variant, quantity in lines:
        check_quantity(quantity)
    hold = {"holder": holder, "kind": kind, "expires_at": expires_at, "label": actor_label(actor)}
    if len(lines) == 1 and kind == Kind.CHECKOUT and not connection.in_atomic_block:
        # The hot path (one checkout hold, no caller's transaction): one statement in autocommit,
        # so the stock row is locked only while PostgreSQL runs it and commits, not during a
        # round trip back to Python.
        store, variant, quantity = lines[0]
        held = hold_units(store=store, variant=variant, quantity=quantity, now=now, **hold)
        if held is not None:
            return [held]
    made: dict[int, Reservation] = {}
    # One line is held or refused whole: no savepoint inside a caller's transaction. Several
    # take one, so that a refusal leaves none of them held even when the caller goes on.
    with atomic_once() if len(lines) == 1 else transaction.atomic():
        for index in sorted(range(len(lines)), key=lambda i: (lines[i][0].pk, lines[i][1].pk)):
            store, variant, quantity = lines[index]
            made[index] = _take(store=store, variant=variant, quantity=quantity, now=now, **hold)
        if kind != Kind.CHECKOUT:
            for reservation in made.values():
                audit_hold(reservation, "stock.reserved", actor, quantity=reservation.quantity)
    return [made[index] for index in range(len(lines))]


def _take(
    *, store: Store, variant: Variant, quantity: int, now: datetime, **hold: Any
) -> Reservation:
    """Hold `quantity` units of the row if they are available at `now`, else raise
    InsufficientStock; the caller's transaction is open.

    The first try sees `reserved` with any due holds still in it. If it fails, the due holds
    are released under the row's lock and the hold tried again; it is tried again even when no
    due hold is left, for the sweeper (or another buyer) may have released them since the first
    try: their release is then committed, so the new try sees it. A refusal is therefore exact:
    at the last try, the holds that count at `now` left fewer than `quantity` units.
    """
    made = hold_units(store=store, variant=variant, quantity=quantity, now=now, **hold)
    if made is not None:
        return made
    # The slow path in a savepoint: a refusal changes nothing, not even the release below.
    with transaction.atomic():
        due = Reservation.objects.due_at(now).filter(store=store, variant=variant)
        if due.exists():
            # Expired holds still count in `reserved`: release them now, not at the next sweep.
            lock_stock_levels([(store.pk, variant.pk)])
            expire_due(store_id=store.pk, variant_id=variant.pk, now=now)
        made = hold_units(store=store, variant=variant, quantity=quantity, now=now, **hold)
        if made is None:
            raise no_longer_available(store=store, variant=variant, requested=quantity)
    return made


# --- holds that change or end -------------------------------------------------------------------


def extend_reservation(*, reservation: Reservation, ttl: timedelta, actor: Any) -> Reservation:
    """Renew a hold that still counts (a checkout page still open): it now ends at now + `ttl`,
    or later if it already did. Raises ReservationExpired once it has expired (make a new one)."""
    if ttl is None or ttl <= timedelta(0):
        raise ValueError("A renewal needs a positive ttl.")
    now = timezone.now()
    with transaction.atomic():
        lock_stock_levels([(reservation.store_id, reservation.variant_id)])
        renewed = Reservation.objects.filter(
            pk=reservation.pk, status=Status.ACTIVE, expires_at__gt=now
        ).update(
            expires_at=Greatest(F("expires_at"), Value(now + ttl, output_field=DateTimeField())),
            updated_at=now,
        )
        current = Reservation.objects.select_related("store", "variant__product").get(
            pk=reservation.pk
        )
        if not renewed:
            if current.status == Status.ACTIVE and current.expires_at is None:
                raise DomainError(_("An order's hold on stock does not expire."))
            raise ended_error(current, Status.ACTIVE, now)
        if current.kind != Kind.CHECKOUT:
            audit_hold(current, "stock.reservation_extended", actor, expires_at=current.expires_at)
    return current


def convert_reservation(
    *,
    reservation: Reservation,
    holder: str,
    actor: Any,
    kind: str = Kind.ORDER,
    ttl: timedelta | None = None,
) -> Reservation:
    """The order is placed: the hold becomes the order's (firm, no expiry, by default; a reserve
    & collect order passes its pickup `ttl`). Returns the new active reservation; the old one is
    CONVERTED and points to it. Idempotent for the same `holder`. Raises ReservationExpired if
    the hold expired first: the caller may then try `reserve_stock` for the order."""
    return convert_reservations(
        reservations=[reservation], holder=holder, actor=actor, kind=kind, ttl=ttl
    )[0]


def convert_reservations(
    *,
    reservations: Sequence[Reservation],
    holder: str,
    actor: Any,
    kind: str = Kind.ORDER,
    ttl: timedelta | None = None,
) -> list[Reservation]:
    """Convert a basket's holds at once, all or nothing (see `convert_reservation`); the new
    reservations come back in the order given. `reserved` does not change: the units move from
    the old active rows to the new ones in one transaction."""
    if kind == Kind.CHECKOUT:
        raise ValueError("A hold converts into an order's or a reserve & collect hold.")
    check_holder(holder)
    now = timezone.now()
    expires_at = expiry(kind=kind, ttl=ttl, now=now)
    unique = list({each.pk: each for each in reservations}.values())
    label = actor_label(actor)
    # One hold converts or fails whole: no savepoint inside a caller's transaction.
    with atomic_once() if len(unique) == 1 else transaction.atomic():
        lock_stock_levels((each.store_id, each.variant_id) for each in unique)
        # The quantities come from the rows this UPDATE moved, not from the caller's objects.
        ended = {
            row.id: row
            for row in end_holds(
                [each.pk for each in unique], status=Status.CONVERTED, now=now, unexpired=True
            )
        }
        made: dict[int, Reservation] = {}
        for each in unique:
            if each.pk in ended:
                continue
            current = Reservation.objects.select_related("store", "variant__product").get(
                pk=each.pk
            )
            into = getattr(current, "converted_into", None)
            if current.status == Status.CONVERTED and into is not None and into.holder == holder:
                made[each.pk] = into
                continue
            raise ended_error(current, Status.CONVERTED, now)
        rows = list(ended.values())
        created = Reservation.objects.bulk_create(
            Reservation(
                store_id=row.store_id,
                variant_id=row.variant_id,
                quantity=row.quantity,
                holder=holder,
                kind=kind,
                expires_at=expires_at,
                converted_from_id=row.id,
                actor_label=label,
            )
            for row in rows
        )
        for old, new in zip(rows, created, strict=True):
            made[old.id] = new
            audit_hold(new, "stock.reservation_converted", actor, converted_from=old.id)
    return [made[each.pk] for each in reservations]


def consume_reservation(
    *,
    reservation: Reservation,
    actor: Any,
    reference: str = "",
    source: str = StockMovement.Source.SYSTEM,
    reason: str = StockMovement.Reason.SALE,
) -> Reservation:
    """The sale happens: the held units leave the store (on hand and reserved both go down by
    the quantity; a "sale" movement is written, or `reason` "transfer_out" when they leave for
    another store). Idempotent: a consumed hold comes back as is.

    Raises ReservationExpired for a hold that expired first, InsufficientStock when an
    inventory count left fewer units on hand than the hold (nothing changes then).
    """
    now = timezone.now()
    with transaction.atomic():
        pair = (reservation.store_id, reservation.variant_id)
        level = lock_stock_levels([pair])[pair]
        current = Reservation.objects.select_related("store", "variant__product").get(
            pk=reservation.pk
        )
        if current.status == Status.CONSUMED:
            return current
        if not still_counts(current, now):
            raise ended_error(current, Status.CONSUMED, now)
        if level.on_hand < current.quantity:
            raise InsufficientStock(
                _("Only %(on_hand)s of %(item)s on hand at %(store)s for a hold of %(quantity)s.")
                % {
                    "on_hand": level.on_hand,
                    "item": str(current.variant),
                    "store": current.store.name,
                    "quantity": current.quantity,
                },
                on_hand=level.on_hand,
                requested=current.quantity,
            )
        if not end_holds([current.pk], status=Status.CONSUMED, now=now, unexpired=True):
            raise ended_error(current, Status.CONSUMED, now)
        quantity = current.quantity
        StockLevel.objects.filter(pk=level.pk).update(
            on_hand=F("on_hand") - quantity, reserved=F("reserved") - quantity, updated_at=now
        )
        level.on_hand -= quantity
        write_movement(
            level=level,
            delta=-quantity,
            reason=reason,
            source=source,
            reference=reference or current.holder,
            actor=actor,
        )
        current.refresh_from_db(fields=["status", "updated_at"])
        audit_hold(current, "stock.reservation_consumed", actor, reference=reference)
    return current


def receive_transferred_stock(
    *,
    store: Store,
    variant: Variant,
    quantity: int,
    holder: str,
    kind: str,
    ttl: timedelta | None,
    actor: Any,
    reference: str = "",
) -> Reservation:
    """Units sent by another store for `holder` arrive at `store`: on hand goes up by
    `quantity` (a "transfer_in" movement) and they are held for `holder` at once (reserved up
    by as much), so `available` does not change and nobody else can buy them. Creates the
    stock row when the store never had the variant. Not idempotent: the caller's step (the
    fulfilment's move to "received") happens once."""
    check_holder(holder)
    check_quantity(quantity)
    now = timezone.now()
    expires_at = expiry(kind=kind, ttl=ttl, now=now)
    with transaction.atomic():
        StockLevel.objects.get_or_create(store=store, variant=variant)
        pair = (store.pk, variant.pk)
        level = lock_stock_levels([pair])[pair]
        StockLevel.objects.filter(pk=level.pk).update(
            on_hand=F("on_hand") + quantity, reserved=F("reserved") + quantity, updated_at=now
        )
        level.on_hand += quantity
        write_movement(
            level=level,
            delta=quantity,
            reason=StockMovement.Reason.TRANSFER_IN,
            source=StockMovement.Source.SYSTEM,
            reference=reference or holder,
            actor=actor,
        )
        reservation = Reservation.objects.create(
            store=store,
            variant=variant,
            quantity=quantity,
            holder=holder,
            kind=kind,
            expires_at=expires_at,
            actor_label=actor_label(actor),
        )
        audit_hold(reservation, "stock.transfer_received", actor, quantity=quantity)
    return reservation


def release_reservation(*, reservation: Reservation, actor: Any) -> Reservation:
    """Give the held units back (cart emptied, order cancelled, reserve & collect not bought).
    Idempotent: a released or expired hold comes back as is; a sold or converted one can't be
    released (IllegalTransition)."""
    now = timezone.now()
    with transaction.atomic():
        lock_stock_levels([(reservation.store_id, reservation.variant_id)])
        ended = end_holds([reservation.pk], status=Status.RELEASED, now=now)
        give_back(ended, now=now)
        current = Reservation.objects.get(pk=reservation.pk)
        if ended:
            if current.kind != Kind.CHECKOUT:
                audit_hold(current, "stock.reservation_released", actor, quantity=current.quantity)
        elif current.status not in {Status.RELEASED, Status.EXPIRED}:
            check_reservation_transition(current.status, Status.RELEASED)
    return current


def release_holder(*, holder: str, actor: Any) -> int:
    """Release every active hold of `holder` (an abandoned cart, a cancelled order); returns how
    many were released. Holds made for `holder` while this runs are left alone."""
    now = timezone.now()
    with transaction.atomic():
        holds = list(
            Reservation.objects.active()
            .filter(holder=holder)
            .values_list("pk", "store_id", "variant_id", "kind")
        )
        lock_stock_levels((store_id, variant_id) for _pk, store_id, variant_id, _kind in holds)
        ended = end_holds([pk for pk, *_rest in holds], status=Status.RELEASED, now=now)
        give_back(ended, now=now)
        kinds = {pk: kind for pk, _store, _variant, kind in holds}
        for row in ended:
            if kinds[row.id] != Kind.CHECKOUT:
                record_audit_event(
                    actor=actor,
                    action="stock.reservation_released",
                    store_id=row.store_id,
                    data={"reservation": row.id, "holder": holder, "quantity": row.quantity},
                )
    return len(ended)


def release_expired_reservations(now: datetime | None = None) -> int:
    """The sweeper: release every active hold whose expiry has passed; returns how many.

    One short transaction per stock row (its lock, then its due holds), so a crash leaves
    nothing half-done and a re-run finishes the rest. Racing a lazy release, each hold ends once.
    """
    now = now or timezone.now()
    rows = (
        Reservation.objects.due_at(now)
        .values_list("store_id", "variant_id")
        .order_by("store_id", "variant_id")
        .distinct()
    )
    released = 0
    for store_id, variant_id in list(rows):
        with transaction.atomic():
            lock_stock_levels([(store_id, variant_id)])
            released += expire_due(store_id=store_id, variant_id=variant_id, now=now)
    return released
