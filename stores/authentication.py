"""How the API knows who calls: an integrator's API key (`Authorization: Api-Key <key>` or
`Bearer <key>`), or the site's session held to the site's rule on the second factor."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from .models import ApiKey
from .second_factor import lacks_required_second_factor
from .selectors import active_api_key_for_secret
from .services import note_api_key_use

# The data API; the schema and its docs (/api/schema/, /api/docs/) carry no store's data.
GUARDED_API_PREFIX = "/api/v1/"


class ApiKeyPrincipal:
    """`request.user` for a request made with an API key: acts as its store, or as HQ."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key
        self.store = api_key.store
        self.is_staff = api_key.is_hq
        self.pk = None
        self.id = None
        self.email = ""
        self.audit_user = None

    def __str__(self) -> str:
        return f"api-key:{self.api_key.prefix}"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keywords = ("api-key", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        api_key = active_api_key_for_secret(header[1])
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        note_api_key_use(api_key=api_key)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return 'Api-Key realm="api"'


class SecondFactorRequired(exceptions.PermissionDenied):
    default_code = "second_factor_required"
    default_detail = _(
        "Your account can move money or stock: set up a second factor (an authenticator app) "
        "on the site before using the API with your session, or use an API key."
    )


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's session, held to the rule the back-office keeps (stores.second_factor): an
    account that must have a second factor and has none gets 403 `second_factor_required` on
    every write and on every read but those of views marked `readable_without_second_factor`
    (the public catalogue, stores and availability, `me/`), so a session cannot reach money or
    stock that the back-office would refuse. A view is guarded unless it says otherwise."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is None or not lacks_required_second_factor(authenticated[0]):
            return authenticated
        view = (request.parser_context or {}).get("view")
        if not request.path_info.startswith(GUARDED_API_PREFIX) or (
            request.method in SAFE_METHODS
            and getattr(view, "readable_without_second_factor", False)
        ):
            return authenticated
        raise SecondFactorRequired()
