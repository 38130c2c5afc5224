"""What the OpenAPI schema says about every operation, written once.

Each view documents its own answers: the body of a success, its domain errors. What the platform
answers around any view is added here, in the one error shape and with its codes, to every
operation it applies to: credentials missing or refused, a role that may not, an object the
caller may not see or a page past the last, a body too large, a body in a content type the
operation does not read, a NUL character in the address. An optional query parameter may be
sent empty (`?status=`), which reads as not given, as DRF and django-filter do. A request body
that nests objects or lists is documented as JSON only, because a form cannot carry it; and a
list of nested objects shows the bounds DRF checks (`minItems`, `maxItems`), which
drf-spectacular leaves out.

`postprocess_schema` is drf-spectacular's postprocessing hook (`SPECTACULAR_SETTINGS`);
`BoundedListSerializer` is a field extension, registered when this module is imported
(`NetworkMarketplaceConfig.ready`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

ERROR_COMPONENT = "Error"
JSON = "application/json"

# The answers of the platform around every view, with the codes each can carry.
COMMON_ERRORS = {
    "400": "`invalid`: the fields in error, each with its messages, under `fields`; "
    "`parse_error`: a body that is not JSON, or nests more than 32 levels; "
    "`bad_request`: a NUL character in the address or the query.",
    "401": "`not_authenticated` (no API key and no session) or `authentication_failed` "
    "(an unknown or revoked key).",
    "403": "`permission_denied`: your role may not do this (a session that writes must also "
    "send its CSRF token in `X-CSRFToken`); `second_factor_required`: a session of an HQ or "
    "store account that has not set up its second factor, where one is required.",
    "404": "`not_found`: no such object, or one you may not see (another store's is a 404 "
    "too), or a page past the last.",
    "413": "`request_too_large`: the body is over the size limit.",
    "414": "`uri_too_long`: the address (path and query) is over MAX_URL_LENGTH characters "
    "(4096 by default).",
    "415": "`unsupported_media_type`: a body in a content type this operation does not read.",
    "429": "`throttled`: more requests this minute than the API key, account or address may "
    "send (API_THROTTLE_RATES); `Retry-After` says in how many seconds to try again.",
}


def file_responses(*media_types: str, description: str = "The file.") -> dict[Any, OpenApiResponse]:
    """A 200 answered as a file in each of `media_types` (CSV, PDF, PNG...), for
    `extend_schema(responses=...)`; text types are strings, the others bytes."""
    return {
        (200, media_type): OpenApiResponse(
            OpenApiTypes.STR if media_type.startswith("text/") else OpenApiTypes.BINARY,
            description=description,
        )
        for media_type in media_types
    }


class BoundedListSerializer(OpenApiSerializerFieldExtension):
    """A list of nested objects (`many=True`) with the bounds DRF enforces on it: `allow_empty`,
    `min_length` and `max_length` become `minItems` and `maxItems`."""

    target_class = "rest_framework.serializers.ListSerializer"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if schema is None or schema.get("type") != "array":
            return schema
        field = self.target
        minimum = field.min_length or 0
        if not field.allow_empty:
            minimum = max(minimum, 1)
        if minimum and not field.read_only:
            schema["minItems"] = minimum
        if field.max_length is not None and not field.read_only:
            schema["maxItems"] = field.max_length
        return schema


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return components.get(ref.rsplit("/", 1)[1], {})
    return schema


def _nests(schema: dict, components: dict) -> bool:
    """Whether a request body has a property that is an object or a list (a form can't send)."""
    properties = _resolve(schema, components).get("properties") or {}
    for prop in properties.values():
        if "$ref" in prop or "allOf" in prop or "oneOf" in prop:
            return True
        if prop.get("type") in ("object", "array"):
            return True
    return False


def _is_authenticated(operation: dict) -> bool:
    security = operation.get("security") or []
    return bool(security) and {} not in security


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
    }


def _applies(status: str, *, operation: dict, path: str) -> bool:
    parameters = {parameter.get("name") for parameter in operation.get("parameters", [])}
    if status in ("401", "403"):
        return _is_authenticated(operation)
    if status == "404":
        return "{" in path or "page" in parameters
    if status in ("413", "415"):
        return "requestBody" in operation
    return True


def postprocess_schema(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """Add the platform's answers to every operation, allow empty optional query parameters and
    keep nested bodies JSON-only."""
    components = result.get("components", {}).get("schemas", {})
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in COMMON_ERRORS.items():
                if not _applies(status, operation=operation, path=path):
                    continue
                if status in responses:
                    known = responses[status].get("description", "")
                    if description not in known:
                        responses[status]["description"] = f"{known} {description}".strip()
                else:
                    responses[status] = _error_response(description)
            for parameter in operation.get("parameters", []):
                # DRF, django-filter and the pagination read `?status=` as no filter at all.
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            body = operation.get("requestBody", {}).get("content", {})
            if JSON in body and _nests(body[JSON].get("schema", {}), components):
                for media_type in list(body):
                    if media_type != JSON:
                        del body[media_type]
    return result
