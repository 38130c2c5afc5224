"""Writes on the network's stores, by topic: API keys, stock and prices, feeds from POS/ERP."""

from .api_keys import (
    API_KEY_SCHEME,
    IssuedApiKey,
    hash_api_key_secret,
    issue_api_key,
    note_api_key_use,
    revoke_api_key,
)
from .feeds import FeedResult, RowError, StockFeedRejected, apply_stock_feed, read_feed_file
from .lifecycle import StoreIncomplete, change_store_status, missing_trader_fields
from .stock import (
    InsufficientStock,
    PriceOutOfBounds,
    adjust_on_hand,
    effective_safety_stock,
    refresh_safety_stock,
    set_on_hand,
    set_store_price,
    update_offer,
)

__all__ = [
    "API_KEY_SCHEME",
    "FeedResult",
    "InsufficientStock",
    "IssuedApiKey",
    "PriceOutOfBounds",
    "RowError",
    "StockFeedRejected",
    "StoreIncomplete",
    "adjust_on_hand",
    "apply_stock_feed",
    "change_store_status",
    "effective_safety_stock",
    "hash_api_key_secret",
    "issue_api_key",
    "missing_trader_fields",
    "note_api_key_use",
    "read_feed_file",
    "refresh_safety_stock",
    "revoke_api_key",
    "set_on_hand",
    "set_store_price",
    "update_offer",
]
