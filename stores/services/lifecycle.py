"""Opening, suspending and closing stores, through the store lifecycle (stores.states)."""

from __future__ import annotations

from typing import Any

from network_marketplace.transitions import transition

from ..models import Store
from ..states import STORE_LIFECYCLE, TRADER_FIELDS, StoreIncomplete, missing_trader_fields

__all__ = ["TRADER_FIELDS", "StoreIncomplete", "change_store_status", "missing_trader_fields"]


def change_store_status(*, store: Store, status: str, actor: Any, reason: str = "") -> Store:
    """Move a store to `status` if its lifecycle allows it (StoreIncomplete when it would sell
    without a complete trader identity); idempotent for the current status. The audit row
    `store.<status>` records who, when, from, to and the reason."""
    return transition(
        STORE_LIFECYCLE, store, status, actor=actor, reason=reason, audit_data={"reason": reason}
    ).row
