"""Reads on the network's stores, used by pages, the API and other apps."""

from __future__ import annotations

import hmac

from django.db.models import Q

from .models import ApiKey, Store, StoreMembership
from .services import API_KEY_SCHEME, hash_api_key_secret


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


def stores_visible_to(principal):
    """The one tenancy rule for stores: a store key sees its store, HQ sees all, a user their own.

    `principal` is `request.user`: a user, or the API key principal of stores.authentication.
    """
    api_key = getattr(principal, "api_key", None)
    if api_key is not None:
        return Store.objects.all() if api_key.is_hq else Store.objects.filter(pk=api_key.store_id)
    return Store.objects.for_user(principal)


def membership_for(*, user, store: Store) -> StoreMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return StoreMembership.objects.filter(user=user, store=store).first()


def selling_stores():
    """The stores customers can buy from, for the storefront."""
    return Store.objects.selling()


def search_stores(query: str, *, limit: int = 20):
    """Stores whose name, city or postal code matches `query` (the storefront's search box)."""
    query = query.strip()
    if not query:
        return Store.objects.none()
    return selling_stores().filter(
        Q(name__icontains=query) | Q(city__icontains=query) | Q(postal_code__startswith=query)
    )[:limit]
