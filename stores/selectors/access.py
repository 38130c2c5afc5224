"""Who may see and do what in a store: API keys, the tenancy rule, memberships, pricing rights."""

from __future__ import annotations

import functools
import hmac
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

from network_marketplace.db import model_from_row, select_columns

from ..models import ApiKey, Store, StoreMembership
from ..services import API_KEY_SCHEME, hash_api_key_secret


@functools.cache
def _api_key_sql() -> str:
    """The key of a prefix with its store: written by hand, since every API request asks it and
    Django spent more time building the query than PostgreSQL running it."""
    return (
        f"SELECT {select_columns(ApiKey, 'api_key')}, {select_columns(Store, 'store')}"  # noqa: S608 - names from the models' meta
        " FROM stores_apikey AS api_key"
        " LEFT JOIN stores_store AS store ON store.id = api_key.store_id"
        " WHERE api_key.prefix = %s"
    )


def active_api_key_for_secret(secret: str) -> ApiKey | None:
    """The active key whose secret this is, or None (unknown, malformed or revoked)."""
    scheme, _, rest = secret.partition("_")
    prefix, _, _token = rest.partition("_")
    if scheme != API_KEY_SCHEME or not prefix or not _token:
        return None
    using = router.db_for_read(ApiKey)
    with connections[using].cursor() as cursor:
        cursor.execute(_api_key_sql(), [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(ApiKey._meta.concrete_fields)
    api_key = model_from_row(ApiKey, row[:width], using=using)
    if not api_key.is_active:
        return None
    api_key.store = model_from_row(Store, row[width:], using=using) if api_key.store_id else None
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
