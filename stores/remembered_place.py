"""The customer's place (a postal code, a town or her device's position), remembered in a signed
cookie of its own rather than in the session.

Every storefront page, the cart and the store locator read the same place. In the session, a
visitor who only typed her postal code cost a session row: a write to the database on her first
page, and one more for every visitor who sends no cookie (a crawler, a link opened elsewhere).
The cookie costs nothing to the database; it is signed, so a tampered one is ignored, and it
lives as long as a session. It is an essential cookie: the visitor asked for stores near her.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core import signing

from .selectors import CustomerLocation

COOKIE_NAME = "nm_place"
_SALT = "stores.remembered_place"


def remembered_location(request) -> CustomerLocation | None:
    """The place this visitor gave (in this request or an earlier one), or None."""
    if hasattr(request, "_place_to_remember"):
        return request._place_to_remember
    try:
        raw = request.get_signed_cookie(COOKIE_NAME, default=None, salt=_SALT)
        data = json.loads(raw) if raw else None
    except (signing.BadSignature, ValueError):
        data = None
    return CustomerLocation.from_dict(data) if data else None


def remember_location(request, location: CustomerLocation) -> None:
    """Keep `location` for this visitor's next pages (the cookie is set on the response)."""
    if remembered_location(request) != location:
        request._place_to_remember = location


class RememberPlaceMiddleware:
    """Sets the place cookie on the response of a request that gave a new place."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        location = getattr(request, "_place_to_remember", None)
        if location is not None:
            response.set_signed_cookie(
                COOKIE_NAME,
                json.dumps(location.as_dict(), separators=(",", ":")),
                salt=_SALT,
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
