"""A client acting as any persona: with an API key (tests/conftest.py: lyon_key, paris_key,
hq_key), signed in, or anonymous."""

from __future__ import annotations

from rest_framework.test import APIClient


def api_client(*, key: str | None = None, user=None) -> APIClient:
    """A client with an API key, or signed in as `user`, or anonymous."""
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    elif user is not None:
        client.force_login(user)
    return client
