"""API key authentication for integrators: `Authorization: Api-Key <key>` (or `Bearer <key>`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiKey
from .selectors import active_api_key_for_secret
from .services import note_api_key_use


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
