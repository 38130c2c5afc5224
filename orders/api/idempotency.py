"""`Idempotency-Key` for placing orders: the same key with the same body gets the same answer,
and never a second order.

Unlike the stock batch's (best effort, in the cache), this one is kept in the database
(orders.OrderRequest), because a doubled order costs a customer money:

1. `claim()` inserts the key in its own short transaction. The unique constraint makes one of
   two simultaneous requests the owner; the other finds the key and gets either the stored
   answer (replayed) or "still in progress" (409, retry later).
2. The caller places the order and calls `complete()` inside one transaction with it: either
   both the order and the stored answer commit, or neither (a request that died mid-way leaves
   an unanswered claim, which a retry takes over once it is older than LEASE).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Order, OrderRequest

MAX_KEY_LENGTH = 255
TTL = timedelta(hours=24)
# A claim without an answer after this long belongs to a request that died: take it over.
LEASE = timedelta(minutes=2)


def fingerprint(data) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def principal_of(principal) -> str:
    """Keys are per caller: another caller can't read or collide with yours."""
    api_key = getattr(principal, "api_key", None)
    return f"k{api_key.pk}" if api_key is not None else f"u{principal.pk}"


@dataclass(frozen=True)
class Claim:
    """`request` is ours to answer (`owned`), or another request's: its stored answer when it
    has one (`replay`), else it is still running; `mismatch` when the body differs."""

    request: OrderRequest
    owned: bool
    mismatch: bool = False

    @property
    def replay(self) -> bool:
        return not self.owned and not self.mismatch and self.request.status_code is not None


def claim(*, principal, key: str, body_fingerprint: str) -> Claim:
    who = principal_of(principal)
    now = timezone.now()
    with transaction.atomic():
        OrderRequest.objects.filter(principal=who, key=key, created_at__lt=now - TTL).delete()
    try:
        with transaction.atomic():
            return Claim(
                OrderRequest.objects.create(principal=who, key=key, fingerprint=body_fingerprint),
                owned=True,
            )
    except IntegrityError:
        pass
    with transaction.atomic():
        existing = OrderRequest.objects.select_for_update().get(principal=who, key=key)
        if existing.fingerprint != body_fingerprint:
            return Claim(existing, owned=False, mismatch=True)
        if existing.status_code is None and existing.created_at < now - LEASE:
            existing.created_at = now
            existing.save(update_fields=["created_at"])
            return Claim(existing, owned=True)
        return Claim(existing, owned=False)


class AlreadyAnswered(Exception):
    """Another request took the key over and answered first: roll back, replay its answer."""

    def __init__(self, request: OrderRequest):
        super().__init__(request.key)
        self.request = request


def complete(request: OrderRequest, *, status_code: int, body: dict, order: Order | None) -> None:
    """Store the answer. Call it inside the transaction that placed the order: if another
    request answered this key meanwhile (it took over a claim it thought dead), this raises
    AlreadyAnswered, so that the order rolls back and only one answer ever stands."""
    locked = OrderRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status_code is not None:
        raise AlreadyAnswered(locked)
    locked.status_code = status_code
    locked.response = body
    locked.order = order
    locked.completed_at = timezone.now()
    locked.save(update_fields=["status_code", "response", "order", "completed_at"])


def release(request: OrderRequest) -> None:
    """Give the key back (nothing happened: e.g. the server failed before placing)."""
    OrderRequest.objects.filter(pk=request.pk, status_code__isnull=True).delete()
