"""`Idempotency-Key` for the API's write endpoints: the same key with the same body gets the
same answer and the work is done once; another body with the key is a 422.

What makes two requests "the same" is `fingerprint` (also used by the orders API, which keeps
its own table because it must also find the order a dead attempt wrote). For the others:

1. `claim()` inserts the key in its own short transaction: the unique constraint makes one of
   two simultaneous requests the owner. The other waits a little (up to `wait`) for the owner's
   answer and replays it; past that it gets "still in progress" (409, retry later); with another
   body, a 422 at once.
2. The owner does the work and `complete()` stores the answer; `give_up()` after a crash ends
   its lease, so a retry takes the key over at once.
3. A claim left unanswered past LEASE belongs to a request that died: a retry takes it over.
   That is safe for the endpoints using this module because their work is idempotent in itself
   (a stock batch is idempotent by position): the key only saves the client a second answer.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IdempotencyKey

MAX_KEY_LENGTH = 255
TTL = timedelta(hours=24)
LEASE = timedelta(minutes=5)
POLL_SECONDS = 0.1


def fingerprint(data: Any) -> str:
    """A SHA-256 of `data` as canonical JSON (sorted keys, no spaces; dates as text)."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def principal_of(principal: Any) -> str:
    """Keys are per caller: another caller can't read or collide with yours."""
    api_key = getattr(principal, "api_key", None)
    return f"k{api_key.pk}" if api_key is not None else f"u{principal.pk}"


@dataclass(frozen=True)
class KeyClaim:
    """`row` is ours to answer (`owned`), or another request's: its stored answer when it has
    one (`replay`), else it still runs; `mismatch` when the body differs."""

    row: IdempotencyKey
    owned: bool
    mismatch: bool = False

    @property
    def replay(self) -> bool:
        return not self.owned and not self.mismatch and self.row.status_code is not None

    @property
    def answer(self) -> Any:
        return json.loads(self.row.response)


def claim(
    *, scope: str, principal: Any, key: str, body_fingerprint: str, wait: float = 0
) -> KeyClaim:
    """Claim `key` for this request, or say whose it is. Must run outside a transaction (the
    claim commits at once, so that a simultaneous request sees it)."""
    who = principal_of(principal)
    deadline = time.monotonic() + wait
    while True:
        result = _claim_once(scope, who, key, body_fingerprint, timezone.now())
        if result.owned or result.mismatch or result.replay or time.monotonic() >= deadline:
            return result
        time.sleep(POLL_SECONDS)


def _claim_once(scope: str, who: str, key: str, body_fingerprint: str, now: datetime) -> KeyClaim:
    fields = {"scope": scope, "principal": who, "key": key}
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                **fields, fingerprint=body_fingerprint, attempt_started_at=now
            )
            return KeyClaim(row, owned=True)
    except IntegrityError:
        pass
    with transaction.atomic():
        existing = IdempotencyKey.objects.select_for_update().get(**fields)
        if existing.created_at < now - TTL:  # expired, not purged yet: the key is free again
            existing.delete()
            row = IdempotencyKey.objects.create(
                **fields, fingerprint=body_fingerprint, attempt_started_at=now
            )
            return KeyClaim(row, owned=True)
        if existing.fingerprint != body_fingerprint:
            return KeyClaim(existing, owned=False, mismatch=True)
        if existing.status_code is None and existing.attempt_started_at < now - LEASE:
            existing.attempt_started_at = now
            existing.save(update_fields=["attempt_started_at"])
            return KeyClaim(existing, owned=True)
        return KeyClaim(existing, owned=False)


def complete(row: IdempotencyKey, *, status_code: int, body: Any) -> None:
    """Store the answer (the first one stands, should two attempts ever both answer)."""
    IdempotencyKey.objects.filter(pk=row.pk, status_code__isnull=True).update(
        status_code=status_code,
        response=json.dumps(body, cls=DjangoJSONEncoder),
        completed_at=timezone.now(),
    )


def give_up(row: IdempotencyKey) -> None:
    """The attempt failed unexpectedly: end its lease now, so a retry takes the key over."""
    IdempotencyKey.objects.filter(pk=row.pk, status_code__isnull=True).update(
        attempt_started_at=row.attempt_started_at - LEASE * 2
    )


def purge_expired(*, now: datetime | None = None, batch: int = 5000) -> int:
    """Forget the keys older than TTL (a beat job): up to `batch` a run; returns how many."""
    now = now or timezone.now()
    ids = list(
        IdempotencyKey.objects.filter(created_at__lt=now - TTL)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    if not ids:
        return 0
    deleted, _by_model = IdempotencyKey.objects.filter(pk__in=ids).delete()
    return deleted
