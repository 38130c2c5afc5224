"""What the stores app asks of the apps above it (docs/architecture.md): compliance's trader
records, the customer's own store (accounts).

A franchise store is a trader on HQ's marketplace: before it first sells, the marketplace must
hold its trader records (DSA art. 30: evidence of identity and bank account, self-certification)
besides the identity on the store itself. Compliance keeps those records and registers, in
`compliance/apps.py`, the call that says what is missing; the store lifecycle asks it when a
store is activated (stores.states).

A signed-in customer may choose her store on her account page (accounts, above): the storefront
then starts "near me" from it and lists it first where she can collect. Accounts registers, in
`accounts/apps.py`, the call that says which store is hers.

The product page offers to send a variant to a store near the customer that lacks it: orders,
which owns transfers, registers in `orders/apps.py` the call that finds those stores, so that the
page's view gives the template all it shows (no query from a template tag).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from network_marketplace.hooks import Hook

if TYPE_CHECKING:
    from network_marketplace.models import User

    from .models import Store


class TraderRecordsMissing(Protocol):
    def __call__(self, store: Store) -> list[str]:
        """Labels of the trader records `store` still lacks (empty: none, or not a trader)."""
        ...


trader_records_missing: Hook[TraderRecordsMissing] = Hook("stores.trader_records_missing")


class CustomerStore(Protocol):
    def __call__(self, user: User) -> Store | None:
        """The selling store `user` chose as hers, or None."""
        ...


customer_store: Hook[CustomerStore] = Hook("stores.customer_store")


class TransferPickupOffer(Protocol):
    def __call__(
        self,
        *,
        variant_id: int,
        latitude: float,
        longitude: float,
        exclude_store_ids: Iterable[int] = (),
    ) -> Any:
        """The click & collect stores near the customer (not `exclude_store_ids`: those that
        have the variant) to which another location can send it, with the delay (orders'
        store-to-store transfers), or None."""
        ...


transfer_pickup_offer: Hook[TransferPickupOffer] = Hook("stores.transfer_pickup_offer")
