"""Counting failed attempts in the cache, for forms whose secret must not be found by trying.

An order number is printed on receipts and parcels: the e-mail address that opens its tracking
or its returns must not be guessable. A counter per order lives for a window; past the limit the
form refuses until it runs out. When the cache is down nobody is locked out.
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

    def key_for_order(self, number: str) -> str:
        """The counter of an order number. The order's id and creation time keep two databases
        sharing one cache apart; an unknown number is counted by the number itself."""
        from orders.models import Order

        order = Order.objects.filter(number__iexact=number).values("pk", "created_at").first()
        ident = f"{order['pk']}:{order['created_at'].timestamp()}" if order else number.upper()
        return f"{self.scope}:" + hashlib.sha256(ident.encode()).hexdigest()

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
