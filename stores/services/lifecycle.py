"""Opening, suspending and closing stores, through the store lifecycle (stores.states)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from network_marketplace.audit import record_audit_event
from network_marketplace.transitions import transition

from ..models import Store
from ..states import STORE_LIFECYCLE, TRADER_FIELDS, StoreIncomplete, missing_trader_fields

__all__ = [
    "TRADER_FIELDS",
    "StoreIncomplete",
    "change_store_status",
    "erase_trader_identity",
    "missing_trader_fields",
    "set_home_delivery_suspension",
]


def change_store_status(*, store: Store, status: str, actor: Any, reason: str = "") -> Store:
    """Move a store to `status` if its lifecycle allows it (StoreIncomplete when it would sell
    without a complete trader identity); idempotent for the current status. The audit row
    `store.<status>` records who, when, from, to and the reason."""
    return transition(
        STORE_LIFECYCLE, store, status, actor=actor, reason=reason, audit_data={"reason": reason}
    ).row


# Erased by erase_trader_identity: the trader's identity and contacts (DSA art. 30(1)(a), (d)).
ERASABLE_TRADER_FIELDS = (*TRADER_FIELDS, "vat_number")


def erase_trader_identity(*, store: Store, actor: Any) -> Store:
    """Blank a closed store's trader identity once the law no longer lets HQ keep it (DSA art.
    30(3)); invoices keep their own copy. Only a closed store (ValueError else); idempotent."""
    if store.status != Store.Status.CLOSED:
        raise ValueError("Only a closed store's trader identity is erased.")
    changed = [name for name in ERASABLE_TRADER_FIELDS if getattr(store, name)]
    if changed:
        for name in changed:
            setattr(store, name, "")
        store.save(update_fields=[*changed, "updated_at"])
        record_audit_event(
            actor=actor,
            action="store.trader_identity_erased",
            target=store,
            store_id=store.pk,
            data={"fields": changed},
        )
    return store


def set_home_delivery_suspension(
    *, store: Store, suspended: bool, actor: Any, reference: str = ""
) -> Store:
    """Take the store out of home-delivery routing (`suspended`) or put it back: the routing
    candidates read the flag (fulfillment.routing_candidates), nothing else changes (its click &
    collect, reserve & collect and page stay). Called by compliance's measure of that kind, which
    carries the statement of reasons. Idempotent; the audit row
    `store.home_delivery_suspended` / `store.home_delivery_restored` says who and why."""
    with transaction.atomic():
        changed = Store.objects.filter(pk=store.pk, home_delivery_suspended=not suspended).update(
            home_delivery_suspended=suspended, updated_at=timezone.now()
        )
        store.home_delivery_suspended = suspended
        if changed:
            record_audit_event(
                actor=actor,
                action="store.home_delivery_suspended"
                if suspended
                else "store.home_delivery_restored",
                target=store,
                store_id=store.pk,
                data={"reference": reference},
            )
    return store
