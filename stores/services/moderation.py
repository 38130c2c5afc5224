"""HQ's switches on a store's offer, set by compliance measures (DSA art. 17): block its sales
(nothing available: off the storefront, near-me, the API and checkout) or demote it (listed after
the other offers). The caller (compliance) keeps why and for how long; this module only flips
the switch, locking the offer's row, and leaves an audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from network_marketplace.audit import record_audit_event

from ..models import StockLevel


def set_offer_moderation(
    *,
    offer: StockLevel,
    actor: Any,
    sales_blocked: bool | None = None,
    demoted: bool | None = None,
    reference: str = "",
) -> StockLevel:
    """Set the offer's `sales_blocked` and/or `demoted` switch (None: unchanged). Idempotent:
    a switch already in place writes nothing. Returns the offer as it is now."""
    with transaction.atomic():
        row = StockLevel.objects.select_for_update().get(pk=offer.pk)
        changes = {
            name: value
            for name, value in (("sales_blocked", sales_blocked), ("demoted", demoted))
            if value is not None and getattr(row, name) != value
        }
        if not changes:
            return row
        for name, value in changes.items():
            setattr(row, name, value)
        row.save(update_fields=[*changes, "updated_at"])
        row.refresh_from_db(fields=["available", "in_stock"])
        record_audit_event(
            actor=actor,
            action="offer.moderated",
            target=row,
            store_id=row.store_id,
            data={"variant": row.variant_id, "reference": reference, **changes},
        )
    return row
