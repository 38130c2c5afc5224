"""The visitor's cookie choice, kept in one first-party cookie set only once she has chosen.

Value: `<notice version>|<granted categories joined by "+", or "none">|<visitor id>`. The visitor
id (random, 32 hex digits) names her rows in the consent ledger; nothing else identifies her.
A cookie written under another notice version counts as no choice: the banner asks again.
The cookie is essential (it remembers a refusal too) and readable by the page's scripts.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import ConsentPurpose

COOKIE_NAME = "nm_consent"

# The categories a visitor may allow, each with the ledger's purpose; essential cookies (the
# session, the forms' protection, the language, this choice) need no consent and are no choice.
CATEGORIES = {
    "maps": ConsentPurpose.COOKIES_MAPS,
}
CATEGORY_LABELS = {
    "maps": _("Maps"),
}
VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class CookieChoice:
    version: str
    granted: frozenset[str]
    visitor_id: str

    @property
    def is_current(self) -> bool:
        return self.version == settings.COOKIE_NOTICE_VERSION

    def allows(self, category: str) -> bool:
        return self.is_current and category in self.granted

    def value(self) -> str:
        granted = "+".join(sorted(self.granted)) or "none"
        return f"{self.version}|{granted}|{self.visitor_id}"


def new_visitor_id() -> str:
    return uuid.uuid4().hex


def read_choice(request: HttpRequest) -> CookieChoice | None:
    """The visitor's choice as her cookie says, whatever its version; None without a readable
    one (a tampered value is no choice)."""
    parts = (request.COOKIES.get(COOKIE_NAME) or "").split("|")
    if len(parts) != 3 or not parts[0] or not VISITOR_ID.match(parts[2]):
        return None
    granted = frozenset(parts[1].split("+")) - {"none"}
    if not granted <= CATEGORIES.keys():
        return None
    return CookieChoice(version=parts[0], granted=granted, visitor_id=parts[2])


def current_choice(request: HttpRequest) -> CookieChoice | None:
    """Her choice under the current cookie notice, or None: the banner is to be shown."""
    choice = read_choice(request)
    return choice if choice is not None and choice.is_current else None


def write_choice(response: HttpResponse, choice: CookieChoice) -> None:
    response.set_cookie(
        COOKIE_NAME,
        choice.value(),
        max_age=settings.COOKIE_CONSENT_MAX_AGE_DAYS * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
    )
