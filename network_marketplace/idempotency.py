"""What makes two requests "the same" for an Idempotency-Key: one fingerprint of a request's
data for every API that takes the header (orders, stock batches)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def fingerprint(data: Any) -> str:
    """A SHA-256 of `data` as canonical JSON (sorted keys, no spaces; dates as text)."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()
