"""The subscriptions' one door to charging a store: the hub's `charging.charge_store`.

The hub charges a store in one place (`services.charging`: the store's share booked through
payments, netted from its next payout, and HQ's invoice in its marketing series, idempotent
per reference). Subscriptions call it through this module only.
"""

from __future__ import annotations

from .charging import ChargeLine, charge_store

__all__ = ["ChargeLine", "charge_store"]
