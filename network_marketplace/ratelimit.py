"""Counting failed attempts in the cache, for forms whose secret must not be found by trying.

A counter per identity (what the form guards: an order, an account...) lives for a window; past
the limit the form refuses until it runs out. When the cache is down nobody is locked out. The
app that owns the guarded rows says what identifies one (`orders.attempts` for order numbers).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AttemptLimit:
    """`attempts` failures per key within `window_seconds`, counted under `scope`."""

    scope: str
    attempts: int = 10
    window_seconds: int = 3600

    def key_for(self, identity: str) -> str:
        """The counter of one guarded thing. The identity is hashed: the cache never holds it."""
        return f"{self.scope}:" + hashlib.sha256(identity.encode()).hexdigest()

    def exceeded(self, key: str) -> bool:
        try:
            return int(cache.get(key) or 0) >= self.attempts
        except Exception:  # the cache is down: don't lock customers out
            logger.warning("%s: cache unavailable", self.scope, exc_info=True)
            return False

    def count_failure(self, key: str) -> None:
        try:
            cache.add(key, 0, self.window_seconds)
            cache.incr(key)
        except Exception:
            logger.warning("%s: cache unavailable", self.scope, exc_info=True)
