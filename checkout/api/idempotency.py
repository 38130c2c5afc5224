"""`Idempotency-Key` for placing orders: the same key with the same body gets the same answer,
and never a second order.

Unlike the stock batch's (best effort, in the cache), this one is kept in the database
(orders.OrderRequest), because a doubled order charges a customer twice:

1. `claim()` inserts the key in its own short transaction. The unique constraint makes one of
   two simultaneous requests the owner; the other finds the key and gets the stored answer
   (replayed), or "still in progress" (409, retry later), or a 422 for another body.
2. The owner places the order (place_order commits in steps around the payment, holding no
   lock during the provider's call, so it can't share a transaction with the key) and
   `complete()` stores the answer.
3. A claim left unanswered past LEASE belongs to a request that died between 1 and 2. A retry
   takes it over, but first looks for the order that request may have written
   (`earlier_order`): an order still awaiting payment means "in progress" (the abandoned
   checkout sweeper settles it); a placed one is the answer; a cancelled one ordered nothing,
   so the retry places the order.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from network_marketplace.audit import actor_label
from network_marketplace.db import insert_unless_taken
from network_marketplace.idempotency import principal_of
from orders.models import Order, OrderRequest

MAX_KEY_LENGTH = 255
TTL = timedelta(hours=24)
# A claim without an answer after this long belongs to a request that died: take it over.
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Claim:
    """`request` is ours to answer (`owned`; `taken_over` from a request that died), or
    another request's: its stored answer when it has one (`replay`), else it still runs;
    `mismatch` when the body differs."""

    request: OrderRequest
    owned: bool
    taken_over: bool = False
    mismatch: bool = False

    @property
    def replay(self) -> bool:
        return not self.owned and not self.mismatch and self.request.status_code is not None


def claim(*, principal, key: str, body_fingerprint: str) -> Claim:
    who = principal_of(principal)
    now = timezone.now()
    created = OrderRequest(
        principal=who, key=key, fingerprint=body_fingerprint, attempt_started_at=now
    )
    if insert_unless_taken(created):  # one statement, in autocommit: the key is ours
        return Claim(created, owned=True)
    with transaction.atomic():
        existing = OrderRequest.objects.select_for_update().get(principal=who, key=key)
        if existing.created_at < now - TTL:  # expired, not purged yet: the key is free again
            existing.delete()
            created = OrderRequest.objects.create(
                principal=who, key=key, fingerprint=body_fingerprint, attempt_started_at=now
            )
            return Claim(created, owned=True)
        if existing.fingerprint != body_fingerprint:
            return Claim(existing, owned=False, mismatch=True)
        if existing.status_code is None and existing.attempt_started_at < now - LEASE:
            existing.attempt_started_at = now
            existing.save(update_fields=["attempt_started_at"])
            return Claim(existing, owned=True, taken_over=True)
        return Claim(existing, owned=False)


def earlier_order(request: OrderRequest, *, principal, email: str, lines) -> Order | None:
    """The order an earlier, dead attempt of `request` wrote, if any: started by the same
    caller since the key was first claimed, for the same e-mail and the same lines (SKU,
    quantity, method, pickup store). `lines` are the validated lines of the request."""
    wanted = Counter(
        (line["variant"].sku, line["quantity"], line["method"], getattr(line["store"], "pk", None))
        for line in lines
    )
    candidates = (
        Order.objects.filter(
            created_at__gte=request.created_at,
            email=email,
            events__to_status=Order.Status.PENDING_PAYMENT,
            events__actor_label=actor_label(principal),
        )
        .distinct()
        .prefetch_related("lines")
        .order_by("created_at", "id")
    )
    for order in candidates:
        found = Counter(
            (line.sku, line.quantity, line.method, line.chosen_store_id)
            for line in order.lines.all()
        )
        if found == wanted:
            return order
    return None


def complete(request: OrderRequest, *, status_code: int, body: dict, order: Order | None) -> None:
    """Store the answer (the first one stands, should two attempts ever both answer)."""
    OrderRequest.objects.filter(pk=request.pk, status_code__isnull=True).update(
        status_code=status_code,
        response=json.dumps(body, cls=DjangoJSONEncoder),
        order=order,
        completed_at=timezone.now(),
    )


def stored_answer(request: OrderRequest):
    return json.loads(request.response)


def give_up(request: OrderRequest) -> None:
    """The attempt failed unexpectedly (a server error): end its lease now, so that a retry
    takes the key over at once (after accounting for any order it wrote)."""
    OrderRequest.objects.filter(pk=request.pk, status_code__isnull=True).update(
        attempt_started_at=request.attempt_started_at - LEASE * 2
    )


def purge_expired(*, now=None, batch: int = 5000) -> int:
    """Forget the keys older than TTL (a beat job): up to `batch` a run; returns how many."""
    now = now or timezone.now()
    expired = OrderRequest.objects.filter(created_at__lt=now - TTL).order_by("created_at")
    ids = list(expired.values_list("pk", flat=True)[:batch])
    if not ids:
        return 0
    deleted, _by_model = OrderRequest.objects.filter(pk__in=ids).delete()
    return deleted
