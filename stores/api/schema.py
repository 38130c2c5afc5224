from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "stores.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a store key acts as its store, an HQ key as HQ.",
        }


class SecondFactorSessionScheme(SessionScheme):
    """The site's session (cookie `sessionid`), as drf-spectacular documents Django's; this
    subclass only adds the second-factor rule (stores.authentication)."""

    target_class = "stores.authentication.SessionAuthentication"
