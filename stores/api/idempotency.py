"""`Idempotency-Key` for the stock batch endpoint, kept in the cache (Redis) for a day.

The stock feed is already idempotent by position (a replayed row is ignored), so this only lets
a client that retries get the first answer back (`applied` counts rather than `ignored_stale`).
It is best effort: two requests with the same key at the same time both run (the second one then
applies nothing), and when the cache is down the key is ignored.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: dict


def cache_key(*, principal, scope: str, key: str) -> str:
    """Keys are per caller: another key holder can't read or collide with yours."""
    api_key = getattr(principal, "api_key", None)
    who = f"k{api_key.pk}" if api_key is not None else f"u{principal.pk}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"idempotency:{scope}:{who}:{digest}"


def lookup(name: str) -> StoredResponse | None:
    try:
        stored = cache.get(name)
    except Exception:  # the cache is down: behave as if the key were new
        logger.warning("idempotency cache unavailable", exc_info=True)
        return None
    return StoredResponse(**stored) if stored else None


def remember(name: str, response: StoredResponse) -> None:
    try:
        cache.set(
            name,
            {"fingerprint": response.fingerprint, "status": response.status, "body": response.body},
            TTL_SECONDS,
        )
    except Exception:
        logger.warning("idempotency cache unavailable", exc_info=True)
