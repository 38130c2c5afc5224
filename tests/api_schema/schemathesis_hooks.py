"""Schemathesis hooks (`schemathesis.toml` loads this module): keep the run on this machine.

The fuzzer creates webhook endpoints and pings them. Whatever host it generates, an endpoint's URL
is sent as `http://127.0.0.1:9/...` (the discard port: nothing listens, the delivery fails at
once), so no request leaves the machine. Only a URL that already is one is rewritten: a value the
schema refuses stays as generated and must still be refused.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import schemathesis

LOCAL_NETLOC = "127.0.0.1:9"


def local_url(value: object) -> object:
    """`value` with its host replaced by this machine's discard port, if it is an http(s) URL."""
    if not isinstance(value, str):
        return value
    try:
        parts = urlsplit(value)
    except ValueError:
        return value
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return value
    return urlunsplit(("http", LOCAL_NETLOC, parts.path, parts.query, parts.fragment))


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if "/webhooks/" in case.operation.path and isinstance(case.body, dict) and "url" in case.body:
        case.body = {**case.body, "url": local_url(case.body["url"])}
