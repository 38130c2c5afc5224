"""The secrets of the local inventory feeds' URLs: random, shown once to the store, stored as
their SHA-256 (a leaked database leaks no feed)."""

from __future__ import annotations

import hashlib
import secrets


def feed_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_feed_secret() -> tuple[str, str]:
    """A fresh secret for a feed URL and the digest stored in its place."""
    secret = secrets.token_urlsafe(24)
    return secret, feed_digest(secret)
