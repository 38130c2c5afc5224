"""Writes on the network's stores: memberships and integrators' API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from network_marketplace.audit import record_audit_event

from ..models import ApiKey, Store

API_KEY_SCHEME = "nmk"
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedApiKey:
    api_key: ApiKey
    secret: str  # the full key: shown once to its owner, never stored


def hash_api_key_secret(secret: str) -> str:
    # Keys are 256-bit random values, so a fast digest is enough: no dictionary to attack.
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_key(*, store: Store | None, name: str, actor: Any) -> IssuedApiKey:
    """Create a key for `store` (or for HQ when `store` is None) and return its secret once."""
    prefix = secrets.token_hex(6)
    secret = f"{API_KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            store=store,
            name=name,
            prefix=prefix,
            secret_hash=hash_api_key_secret(secret),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_audit_event(
            actor=actor,
            action="api_key.issued",
            target=api_key,
            store_id=store.pk if store else None,
            data={"name": name, "prefix": prefix},
        )
    return IssuedApiKey(api_key=api_key, secret=secret)


def revoke_api_key(*, api_key: ApiKey, actor: Any) -> ApiKey:
    """Revoke a key for good: requests made with it are refused from now on. Idempotent."""
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if api_key.revoked_at is not None:
            return api_key
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        record_audit_event(
            actor=actor,
            action="api_key.revoked",
            target=api_key,
            store_id=api_key.store_id,
            data={"prefix": api_key.prefix},
        )
    return api_key


def note_api_key_use(*, api_key: ApiKey) -> None:
    """Remember when a key was last used, writing at most once a minute per key."""
    now = timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
