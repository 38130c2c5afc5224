"""A JSON parser for stock batches, which may be far larger than an ordinary request.

DRF (since 3.16) parses JSON from `request.body`, which Django caps at
DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default): a 200,000-row batch (about 15 MB) would get
Django's bare 400. Raising that setting would raise it for every form of the site, so this
parser, used by the batch endpoint only, reads the stream itself with its own ceiling.
"""

from __future__ import annotations

import codecs

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser

from network_marketplace.api.parsers import loads_bounded

MAX_BATCH_BYTES = 64 * 1024 * 1024


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is larger than 64 MB: send the rows in several batches.")
    default_code = "request_too_large"


class LargeJSONParser(BaseParser):
    media_type = "application/json"
    max_bytes = MAX_BATCH_BYTES

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            declared = 0
        if declared > self.max_bytes:
            raise RequestTooLarge
        raw = stream.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise RequestTooLarge
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
        except (ValueError, LookupError):
            raise exceptions.ParseError(_("The body is not valid UTF-8.")) from None
        return loads_bounded(text)
