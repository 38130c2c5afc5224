"""Who may see and do what in a store: API keys, the tenancy rule, memberships, pricing rights."""

from __future__ import annotations

import hmac
from typing import Any

from django.db.models import QuerySet

from ..models import ApiKey, Store, StoreMembership
from ..services import API_KEY_SCHEME, hash_api_key_secret


def active_api_key_for_secret(secret: str) -> ApiKey | None:
    """The active key whose secret this is, or None (unknown, malformed or revoked)."""
    scheme, _, rest = secret.partition("_")
    prefix, _, _token = rest.partition("_")
    if scheme != API_KEY_SCHEME or not prefix or not _token:
        return None
    api_key = ApiKey.objects.select_related("store").filter(prefix=prefix).first()
    if api_key is None or not api_key.is_active:
        return None
    if not hmac.compare_digest(api_key.secret_hash, hash_api_key_secret(secret)):
        return None
    return api_key


def stores_visible_to(principal: Any) -> QuerySet[Store]:
    """The one tenancy rule for stores: a store key sees its store, HQ sees all, a user their own.

    `principal` is `request.user`: a user, or the API key principal of stores.authentication.
    """
    api_key = getattr(principal, "api_key", None)
    if api_key is not None:
        return Store.objects.all() if api_key.is_hq else Store.objects.filter(pk=api_key.store_id)
    return Store.objects.for_user(principal)


def membership_for(*, user: Any, store: Store) -> StoreMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return StoreMembership.objects.filter(user=user, store=store).first()


def may_set_prices(
    principal: Any, store: Store, *, membership: StoreMembership | None = None
) -> bool:
    """Who may change a store's prices: HQ, the store's owners and managers, and the store's
    API keys (its POS/ERP). Staff members count stock but don't price. `store` must already be
    one the principal may see (stores_visible_to); `membership` saves a query when known."""
    api_key = getattr(principal, "api_key", None)
    if api_key is not None:
        return api_key.is_hq or api_key.store_id == store.pk
    if not getattr(principal, "is_authenticated", False):
        return False
    if principal.is_staff:
        return True
    membership = membership or membership_for(user=principal, store=store)
    return bool(membership and membership.can_manage)
