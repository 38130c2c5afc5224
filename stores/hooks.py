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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

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
