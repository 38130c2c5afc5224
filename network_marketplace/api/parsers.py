"""JSON for every API endpoint, bounded before anything reads it: a body nested deeper than
MAX_JSON_DEPTH (or deep enough to exhaust Python's recursion) is a 400 `parse_error`, never a
crash further in, where serializers, fingerprints and services walk the data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# Our deepest legitimate body is an order's lines with their options (4 levels): 32 is generous.
MAX_JSON_DEPTH = 32


def check_depth(data: Any, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise ParseError when `data` nests lists and objects deeper than `limit`. Iterative, and
    it only descends into containers, so a 200,000-row batch costs one pass over its rows."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            raise exceptions.ParseError(
                _("The JSON is nested more than %(limit)s levels deep.") % {"limit": limit}
            )
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def loads_bounded(text: str) -> Any:
    """json.loads, with too deep a body and malformed JSON both a ParseError."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise exceptions.ParseError(
            _("The JSON is nested more than %(limit)s levels deep.") % {"limit": MAX_JSON_DEPTH}
        ) from None
    except (ValueError, LookupError) as error:
        raise exceptions.ParseError(
            _("The body is not valid JSON: %(error)s") % {"error": error}
        ) from None
    check_depth(data)
    return data


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser (the default for every endpoint), with the depth bound."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(_("The body is not valid UTF-8.")) from None
        return loads_bounded(text)
