"""What Django answers itself when no view does (no route, a refused request, a crash): the
API's one error shape under /api/, the site's own pages (templates/4xx.html, 500.html) in the
visitor's language elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.utils.translation import gettext as _

from network_marketplace.api.errors import is_api_request, json_error


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(request, 404, "not_found", _("Not found."))
    return HttpResponseNotFound(_storefront_page(request, "404.html"))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(request, 400, "bad_request", _("The request could not be read."))
    return HttpResponseBadRequest(_standalone_page("400.html"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(request, 403, "permission_denied", _("You may not do this."))
    return HttpResponseForbidden(_storefront_page(request, "403.html"))


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return json_error(
            request, 500, "server_error", _("Something went wrong on our side; nothing was saved.")
        )
    return HttpResponseServerError(_standalone_page("500.html"))


def _storefront_page(request: HttpRequest, template: str) -> str:
    """In the storefront's layout (search, menu: a way on), unless the request was refused
    before it had a session (that layout reads the cart from it)."""
    layout = "errors/page.html" if hasattr(request, "session") else "errors/standalone.html"
    return loader.render_to_string(
        template, {"layout": layout, "network_name": settings.NETWORK_NAME}, request=request
    )


def _standalone_page(template: str) -> str:
    """Rendered without the request's context processors (they may be what failed, or the
    request itself): the page needs only the network's name."""
    return loader.get_template(template).render({"network_name": settings.NETWORK_NAME})
