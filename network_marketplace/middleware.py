from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import translation


class NetworkLanguageMiddleware:
    """Pages speak the network's language unless the visitor picked another one.

    Django's LocaleMiddleware follows the browser's Accept-Language first; a French network's
    storefront should be French for everybody until they choose English in the footer. API
    clients, which have no footer, choose with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseLongAddressMiddleware:
    """An address longer than MAX_URL_LENGTH is refused with a 414 before anything reads it: in
    the API's error shape under /api/, a short page elsewhere. gunicorn.conf.py lets request
    lines up to twice that through, so that the refusal is ours, not the web server's HTML."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        length = len(request.get_full_path())
        if length <= settings.MAX_URL_LENGTH:
            return self.get_response(request)
        detail = translation.gettext(
            "The address is %(length)s characters long; at most %(limit)s are read."
        ) % {"length": length, "limit": settings.MAX_URL_LENGTH}
        if request.path_info.startswith("/api/"):
            return _api_error(414, "uri_too_long", detail)
        return HttpResponse(detail, status=414, content_type="text/plain; charset=utf-8")


class RefuseNulMiddleware:
    """A NUL character in an address is never meaningful, and PostgreSQL refuses it in text:
    stopped at the door, before a filter or a lookup takes it to the database. A path with one
    names nothing (404); an API query parameter with one is a 400 in the API's error shape.
    The storefront's own pages clean their parameters themselves (a search for "\\0" finds
    nothing, it does not fail)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        is_api = request.path_info.startswith("/api/")
        if "\x00" in request.path_info:
            if is_api:
                return _api_error(404, "not_found", translation.gettext("Not found."))
            return HttpResponseNotFound(translation.gettext("Not found."))
        if is_api and _has_nul(request):
            detail = translation.gettext("The address contains a NUL character.")
            return _api_error(400, "bad_request", detail)
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


def _api_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail, "fields": {}}, status=status)


class AdminContentSecurityPolicyMiddleware:
    """The admin's policy differs from the site's in two directives, and only under /admin/.

    HQ's admin theme (django-unfold) runs on Alpine.js, whose standard build evaluates its
    `x-data` / `x-on` attributes with `new Function` ('unsafe-eval'), and writes a few `<style>`
    elements of its own (the theme's colours, htmx's indicator) that carry no nonce. Scripts still
    come only from this site or carry the response's nonce; no inline script or handler is
    allowed anywhere. Placed after django-csp's middleware, so that its answer is read by it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefix = f"/{settings.ADMIN_URL_PREFIX}"

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path_info.startswith(self.prefix):
            response._csp_update = {  # type: ignore[attr-defined]
                **(getattr(response, "_csp_update", None) or {}),
                **settings.ADMIN_CSP_UPDATE,
            }
            response._csp_replace = {  # type: ignore[attr-defined]
                **(getattr(response, "_csp_replace", None) or {}),
                **settings.ADMIN_CSP_REPLACE,
            }
        return response
