"""How many API requests a client may send per minute, before a 429 in the API's error shape.

One budget per API key (a store's till, HQ's ERP, a supplier), per signed-in account, and per
address for anonymous callers. The rates are read from settings.API_THROTTLE_RATES on every
request (DRF reads its own once, at import), so an operator's setting, or a test's, applies.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    scope: str

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        # The rate can change between requests (settings), so it is parsed on each one.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class ApiClientThrottle(ClientRateThrottle):
    """An API key or a signed-in account: its own budget, wherever it calls from."""

    scope = "client"

    def get_cache_key(self, request, view) -> str | None:
        key = getattr(request, "auth", None)
        if key is not None and getattr(key, "pk", None) is not None:
            ident = f"{type(key).__name__}-{key.pk}"
        elif request.user and request.user.is_authenticated and request.user.pk is not None:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousThrottle(ClientRateThrottle):
    """Callers without a key or an account (the public catalogue, availability): per address."""

    scope = "anonymous"

    def get_cache_key(self, request, view) -> str | None:
        if getattr(request, "auth", None) is not None or (
            request.user and request.user.is_authenticated
        ):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
