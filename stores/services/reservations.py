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

Audit: reserve & collect and order holds leave an audit row at each step; checkout holds don't
(one per cart line and renewal would drown the trail): their row keeps who, when and how it ended.
Sales leave a stock movement (reason "sale") as every change of on-hand does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError, IllegalTransition

from ..locks import lock_stock_levels
from ..models import Reservation, StockLevel, StockMovement, Store
from ..states import check_reservation_transition
from .stock import InsufficientStock, _write_movement

Kind = Reservation.Kind
Status = Reservation.Status


class ReservationExpired(DomainError):
    """The hold on this item has expired."""

    code = "reservation_expired"
    http_status = 409


class _Ended(NamedTuple):
    id: int
    store_id: int
    variant_id: int
    quantity: int


# --- taking stock -------------------------------------------------------------------------------


def reserve_stock(
    *,
    store: Store,
    variant: Variant,
    quantity: int,
    holder: str,
    kind: str,
    ttl: timedelta | None,
    actor,
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
    actor,
) -> list[Reservation]:
    """Hold every line of a basket, all or nothing: one reservation per line, in the order of
    `lines`. Stock rows are taken in (store, variant) order, whatever the order of the lines, so
    two baskets with the same items in another order never deadlock.

    Raises InsufficientStock for the first line (in that order) that does not fit.
    """
    if not lines:
        return []
    now = timezone.now()
    expires_at = _expiry(kind=kind, ttl=ttl, now=now)
    _check_holder(holder)
    for _store, _variant, quantity in lines:
        _check_quantity(quantity)
    hold = {"holder": holder, "kind": kind, "expires_at": expires_at, "label": actor_label(actor)}
    if len(lines) == 1 and kind == Kind.CHECKOUT and not connection.in_atomic_block:
        # The hot path (one checkout hold, no caller's transaction): one statement in autocommit,
        # so the stock row is locked only while PostgreSQL runs it and commits, not during a
        # round trip back to Python.
        store, variant, quantity = lines[0]
        held = _hold(store=store, variant=variant, quantity=quantity, now=now, **hold)
        if held is not None:
            return [held]
    made: dict[int, Reservation] = {}
    with transaction.atomic():
        for index in sorted(range(len(lines)), key=lambda i: (lines[i][0].pk, lines[i][1].pk)):
            store, variant, quantity = lines[index]
            made[index] = _take(store=store, variant=variant, quantity=quantity, now=now, **hold)
        if kind != Kind.CHECKOUT:
            for reservation in made.values():
                _audit(reservation, "stock.reserved", actor, quantity=reservation.quantity)
    return [made[index] for index in range(len(lines))]


def _take(*, store: Store, variant: Variant, quantity: int, now: datetime, **hold) -> Reservation:
    """Hold `quantity` units of the row if they are available at `now`, else raise
    InsufficientStock; the caller's transaction is open.

    The first try sees `reserved` with any due holds still in it. If it fails, the due holds
    are released under the row's lock and the hold tried again; it is tried again even when no
    due hold is left, for the sweeper (or another buyer) may have released them since the first
    try: their release is then committed, so the new try sees it. A refusal is therefore exact:
    at the last try, the holds that count at `now` left fewer than `quantity` units.
    """
    made = _hold(store=store, variant=variant, quantity=quantity, now=now, **hold)
    if made is not None:
        return made
    due = Reservation.objects.due_at(now).filter(store=store, variant=variant)
    if due.exists():
        # Expired holds still count in `reserved`: release them now, not at the next sweep.
        lock_stock_levels([(store.pk, variant.pk)])
        _expire_due(store_id=store.pk, variant_id=variant.pk, now=now)
    made = _hold(store=store, variant=variant, quantity=quantity, now=now, **hold)
    if made is None:
        raise _no_longer_available(store=store, variant=variant, requested=quantity)
    return made


def _hold(*, store, variant, quantity, holder, kind, expires_at, label, now) -> Reservation | None:
    """The conditional UPDATE of the stock row and the new reservation, in one statement: both
    or neither. Returns the reservation, or None when the units are not available."""
    if connection.vendor != "postgresql":
        return _hold_portable(
            store=store,
            variant=variant,
            quantity=quantity,
            holder=holder,
            kind=kind,
            expires_at=expires_at,
            label=label,
            now=now,
        )
    fields = [field.attname for field in Reservation._meta.concrete_fields]
    sql = (
        f"WITH taken AS (UPDATE {StockLevel._meta.db_table}"  # noqa: S608
        " SET reserved = reserved + %(quantity)s, updated_at = %(now)s::timestamptz"
        " WHERE store_id = %(store)s AND variant_id = %(variant)s"
        " AND on_hand - reserved - safety_stock >= %(quantity)s"
        " RETURNING store_id, variant_id)"
        f" INSERT INTO {Reservation._meta.db_table} (store_id, variant_id, quantity, holder, kind,"
        " status, expires_at, actor_label, created_at, updated_at)"
        " SELECT store_id, variant_id, %(quantity)s, %(holder)s, %(kind)s, %(status)s,"
        " %(expires_at)s::timestamptz, %(label)s, %(now)s::timestamptz, %(now)s::timestamptz"
        f" FROM taken RETURNING {', '.join(fields)}"
    )
    params = {
        "store": store.pk,
        "variant": variant.pk,
        "quantity": quantity,
        "holder": holder,
        "kind": str(kind),
        "status": str(Status.ACTIVE),
        "expires_at": expires_at,
        "label": label,
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    reservation = Reservation.from_db(connection.alias, fields, row)
    reservation.store, reservation.variant = store, variant
    return reservation


def _hold_portable(*, store, variant, quantity, holder, kind, expires_at, label, now):
    """The same hold for the embedded database (SQLite, one writer at a time): the conditional
    UPDATE, then the reservation, in one transaction."""
    with transaction.atomic():
        taken = StockLevel.objects.filter(
            store=store,
            variant=variant,
            on_hand__gte=F("reserved") + F("safety_stock") + quantity,
        ).update(reserved=F("reserved") + quantity, updated_at=now)
        if not taken:
            return None
        return Reservation.objects.create(
            store=store,
            variant=variant,
            quantity=quantity,
            holder=holder,
            kind=kind,
            status=Status.ACTIVE,
            expires_at=expires_at,
            actor_label=label,
        )


def _no_longer_available(*, store: Store, variant: Variant, requested: int) -> InsufficientStock:
    level = StockLevel.objects.filter(store=store, variant=variant).only("available").first()
    available = level.available if level is not None else 0
    names = {"item": str(variant), "store": store.name}
    if available > 0:
        message = _(
            "%(item)s is no longer available in this quantity at %(store)s: "
            "%(available)s left, %(requested)s asked for."
        ) % {**names, "available": available, "requested": requested}
    else:
        message = _("%(item)s is no longer available at %(store)s.") % names
    return InsufficientStock(
        message,
        sku=variant.sku,
        store_id=store.pk,
        variant_id=variant.pk,
        requested=requested,
        available=available,
    )


# --- holds that change or end -------------------------------------------------------------------


def extend_reservation(*, reservation: Reservation, ttl: timedelta, actor) -> Reservation:
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
            raise _ended_error(current, Status.ACTIVE, now)
        if current.kind != Kind.CHECKOUT:
            _audit(current, "stock.reservation_extended", actor, expires_at=current.expires_at)
    return current


def convert_reservation(
    *,
    reservation: Reservation,
    holder: str,
    actor,
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
    actor,
    kind: str = Kind.ORDER,
    ttl: timedelta | None = None,
) -> list[Reservation]:
    """Convert a basket's holds at once, all or nothing (see `convert_reservation`); the new
    reservations come back in the order given. `reserved` does not change: the units move from
    the old active rows to the new ones in one transaction."""
    if kind == Kind.CHECKOUT:
        raise ValueError("A hold converts into an order's or a reserve & collect hold.")
    _check_holder(holder)
    now = timezone.now()
    expires_at = _expiry(kind=kind, ttl=ttl, now=now)
    unique = list({each.pk: each for each in reservations}.values())
    label = actor_label(actor)
    with transaction.atomic():
        lock_stock_levels((each.store_id, each.variant_id) for each in unique)
        # The quantities come from the rows this UPDATE moved, not from the caller's objects.
        ended = {
            row.id: row
            for row in _end(
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
            raise _ended_error(current, Status.CONVERTED, now)
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
            _audit(new, "stock.reservation_converted", actor, converted_from=old.id)
    return [made[each.pk] for each in reservations]


def consume_reservation(
    *,
    reservation: Reservation,
    actor,
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
        if not _still_counts(current, now):
            raise _ended_error(current, Status.CONSUMED, now)
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
        if not _end([current.pk], status=Status.CONSUMED, now=now, unexpired=True):
            raise _ended_error(current, Status.CONSUMED, now)
        quantity = current.quantity
        StockLevel.objects.filter(pk=level.pk).update(
            on_hand=F("on_hand") - quantity, reserved=F("reserved") - quantity, updated_at=now
        )
        level.on_hand -= quantity
        _write_movement(
            level=level,
            delta=-quantity,
            reason=reason,
            source=source,
            reference=reference or current.holder,
            actor=actor,
        )
        current.status, current.updated_at = Status.CONSUMED, now
        _audit(current, "stock.reservation_consumed", actor, reference=reference)
    return current


def receive_transferred_stock(
    *,
    store: Store,
    variant: Variant,
    quantity: int,
    holder: str,
    kind: str,
    ttl: timedelta | None,
    actor,
    reference: str = "",
) -> Reservation:
    """Units sent by another store for `holder` arrive at `store`: on hand goes up by
    `quantity` (a "transfer_in" movement) and they are held for `holder` at once (reserved up
    by as much), so `available` does not change and nobody else can buy them. Creates the
    stock row when the store never had the variant. Not idempotent: the caller's step (the
    fulfilment's move to "received") happens once."""
    _check_holder(holder)
    _check_quantity(quantity)
    now = timezone.now()
    expires_at = _expiry(kind=kind, ttl=ttl, now=now)
    with transaction.atomic():
        StockLevel.objects.get_or_create(store=store, variant=variant)
        pair = (store.pk, variant.pk)
        level = lock_stock_levels([pair])[pair]
        StockLevel.objects.filter(pk=level.pk).update(
            on_hand=F("on_hand") + quantity, reserved=F("reserved") + quantity, updated_at=now
        )
        level.on_hand += quantity
        _write_movement(
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
        _audit(reservation, "stock.transfer_received", actor, quantity=quantity)
    return reservation


def release_reservation(*, reservation: Reservation, actor) -> Reservation:
    """Give the held units back (cart emptied, order cancelled, reserve & collect not bought).
    Idempotent: a released or expired hold comes back as is; a sold or converted one can't be
    released (IllegalTransition)."""
    now = timezone.now()
    with transaction.atomic():
        lock_stock_levels([(reservation.store_id, reservation.variant_id)])
        ended = _end([reservation.pk], status=Status.RELEASED, now=now)
        _give_back(ended, now=now)
        current = Reservation.objects.get(pk=reservation.pk)
        if ended:
            if current.kind != Kind.CHECKOUT:
                _audit(current, "stock.reservation_released", actor, quantity=current.quantity)
        elif current.status not in {Status.RELEASED, Status.EXPIRED}:
            check_reservation_transition(current.status, Status.RELEASED)
    return current


def release_holder(*, holder: str, actor) -> int:
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
        ended = _end([pk for pk, *_rest in holds], status=Status.RELEASED, now=now)
        _give_back(ended, now=now)
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
            released += _expire_due(store_id=store_id, variant_id=variant_id, now=now)
    return released


# --- the moves out of ACTIVE --------------------------------------------------------------------


def _expire_due(*, store_id: int, variant_id: int, now: datetime) -> int:
    """End the due holds of one stock row and give their units back; the caller holds the row's
    lock. Returns the number of holds ended by this call (0 if someone else got there first)."""
    table = Reservation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, updated_at = %s"  # noqa: S608
            " WHERE store_id = %s AND variant_id = %s AND status = %s AND expires_at <= %s"
            " RETURNING id, store_id, variant_id, quantity",
            [Status.EXPIRED, now, store_id, variant_id, Status.ACTIVE, now],
        )
        ended = [_Ended(*row) for row in cursor.fetchall()]
    _give_back(ended, now=now)
    return len(ended)


def _end(
    ids: Iterable[int], *, status: str, now: datetime, unexpired: bool = False
) -> list[_Ended]:
    """Move these reservations from ACTIVE to `status`; returns only the rows this call moved.
    With `unexpired`, a hold whose expiry has passed is left alone (it no longer counts)."""
    ids = list(ids)
    if not ids:
        return []
    table = Reservation._meta.db_table
    still_counts = " AND (expires_at IS NULL OR expires_at > %s)" if unexpired else ""
    if connection.vendor == "postgresql":
        among, id_params = "id = ANY(%s)", [ids]
    else:  # the embedded database has no arrays
        among, id_params = f"id IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, updated_at = %s"  # noqa: S608
            f" WHERE {among} AND status = %s{still_counts}"
            " RETURNING id, store_id, variant_id, quantity",
            [status, now, *id_params, Status.ACTIVE, *([now] if unexpired else [])],
        )
        return [_Ended(*row) for row in cursor.fetchall()]


def _give_back(ended: Iterable[_Ended], *, now: datetime) -> None:
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for row in ended:
        totals[(row.store_id, row.variant_id)] += row.quantity
    for (store_id, variant_id), quantity in sorted(totals.items()):
        StockLevel.objects.filter(store_id=store_id, variant_id=variant_id).update(
            reserved=F("reserved") - quantity, updated_at=now
        )


def _still_counts(reservation: Reservation, now: datetime) -> bool:
    return reservation.status == Status.ACTIVE and (
        reservation.expires_at is None or reservation.expires_at > now
    )


def _ended_error(current: Reservation, target: str, now: datetime) -> DomainError:
    """Why a hold can't move to `target`: it expired (still ACTIVE past its expiry, or EXPIRED),
    or it already ended another way."""
    expired = current.status == Status.EXPIRED or (
        current.status == Status.ACTIVE
        and current.expires_at is not None
        and current.expires_at <= now
    )
    if expired:
        return ReservationExpired(
            _("The hold on %(item)s at %(store)s has expired.")
            % {"item": str(current.variant), "store": current.store.name},
            reservation_id=current.pk,
            expired_at=current.expires_at.isoformat() if current.expires_at else None,
        )
    try:
        check_reservation_transition(current.status, target)
    except IllegalTransition as error:
        return error
    return IllegalTransition(current=current.status, target=target)


# --- checks and audit ---------------------------------------------------------------------------


def _expiry(*, kind: str, ttl: timedelta | None, now: datetime) -> datetime | None:
    if kind not in Kind.values:
        raise ValueError(f"Unknown reservation kind {kind!r}.")
    if kind == Kind.ORDER:
        if ttl is not None:
            raise ValueError("An order's hold is firm: pass ttl=None.")
        return None
    if ttl is None or ttl <= timedelta(0):
        raise ValueError("A checkout or reserve & collect hold needs a positive ttl.")
    return now + ttl


def _check_holder(holder: str) -> None:
    max_length = Reservation._meta.get_field("holder").max_length
    if not holder or len(holder) > max_length:
        raise ValueError(f"A holder is a key of 1 to {max_length} characters.")


def _check_quantity(quantity) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise DomainError(
            _("The quantity to reserve must be a whole number, one or more."), quantity=quantity
        )


def _audit(reservation: Reservation, action: str, actor, **data) -> None:
    record_audit_event(
        actor=actor,
        action=action,
        target=reservation,
        store_id=reservation.store_id,
        data={
            "holder": reservation.holder,
            "kind": reservation.kind,
            "variant": reservation.variant_id,
            **{
                key: (value.isoformat() if isinstance(value, datetime) else value)
                for key, value in data.items()
            },
        },
    )
