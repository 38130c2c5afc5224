"""One error shape for the whole API: {"code", "detail", "fields"}."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from network_marketplace.errors import DomainError

API_PREFIX = "/api/"


def error_body(code: str, detail: str) -> dict:
    return {"code": code, "detail": detail, "fields": {}}


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(request: HttpRequest, http_status: int, code: str, detail: str) -> JsonResponse:
    """The one error shape for what Django itself answers under /api/ (no route, a body over
    the limit, a crash): the same body a view's error has."""
    return JsonResponse(error_body(code, detail), status=http_status)


def _not_found_detail() -> str:
    # Never the model's name ("No Store matches the given query."): the caller's words.
    return _("Not found.")


def _first_code(codes) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, list) and codes:
        return _first_code(codes[0])
    if isinstance(codes, dict) and codes:
        return _first_code(next(iter(codes.values())))
    return "error"


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message, "fields": {}}
        if exc.facts:
            body["facts"] = {key: str(value) for key, value in exc.facts.items()}
        return Response(body, status=exc.http_status)

    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return Response(
            error_body("request_too_large", _("The request body is too large.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response(
            error_body("not_found", _not_found_detail()), status=status.HTTP_404_NOT_FOUND
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "code": "invalid",
            "detail": _("The request has invalid fields."),
            "fields": fields,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        response.data = {
            "code": _first_code(exc.get_codes()),
            "detail": str(exc.detail),
            "fields": {},
        }
    return response
