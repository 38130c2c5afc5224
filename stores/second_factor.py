"""A second factor for every account that can move money or stock (issue 17).

HQ staff and store members (owners, managers and staff: all of them count or price stock) must
have an authenticator app set up (allauth's MFA) before they reach the back-office (/store/)
or HQ's admin (/admin/): until then every such page sends them to the set-up page, and back
once it is done. With an authenticator, allauth's sign-in asks for its code; HQ's admin signs in
through the same page (config/urls.py), so there is no way around it. The API holds a session to
the same rule (stores.authentication.SessionAuthentication); API keys are not sessions and are
not asked. Customers are not asked.
`REQUIRE_SECOND_FACTOR` turns the rule off (the embedded demo, and tests of other features).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import StoreMembership

GUARDED_PREFIXES = ("/store/", "/admin/")
NEXT_SESSION_KEY = "second_factor_next"


def needs_second_factor(user: object) -> bool:
    """HQ staff and anyone who works for a store."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        getattr(user, "is_staff", False) or StoreMembership.objects.filter(user=user).exists()
    )


def has_second_factor(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def lacks_required_second_factor(user: object) -> bool:
    """The rule of this module: the account must set up a second factor before it may reach
    money or stock (the back-office, the admin, and the API with its session)."""
    return (
        settings.REQUIRE_SECOND_FACTOR and needs_second_factor(user) and not has_second_factor(user)
    )


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(GUARDED_PREFIXES) and lacks_required_second_factor(
            request.user
        ):
            request.session[NEXT_SESSION_KEY] = request.get_full_path()
            messages.info(
                request,
                _(
                    "Your account can move money or stock: set up a second factor (an "
                    "authenticator app) to continue."
                ),
            )
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
