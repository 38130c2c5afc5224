"""The subscriptions' one door to charging a store: `charge_store` with the hub's charge lines.

The hub charges a store in one place, `services.charging.charge_store` (part M2: the store's
share booked through payments, netted from its next payout, and HQ's invoice in its gapless
series, idempotent per reference). Subscriptions call it through this module only, so that its
exact line type stays one adapter away from the billing rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from network_marketplace.audit import Actor
from payments.models import Invoice
from payments.postings import book_marketing_charge
from stores.models import Store


@dataclass(frozen=True)
class ChargeLine:
    label: str
    amount_excl_vat_cents: int
    vat_rate_bp: int


def charge_store(
    *, store: Store, reference: str, label: str, lines: list[ChargeLine], actor: Actor
) -> Invoice | None:
    """Charge `store` for `lines` under `reference` (booking it again books nothing new).

    Interim, until the hub's charging service is merged: books each line through
    `payments.postings.book_marketing_charge` under `<reference>.<position>`, as it does, and
    issues no invoice.
    """
    for position, line in enumerate(lines, start=1):
        book_marketing_charge(
            store=store,
            reference=f"{reference}.{position}",
            label=line.label,
            amount_excl_vat_cents=line.amount_excl_vat_cents,
            vat_rate_bp=line.vat_rate_bp,
            actor=actor,
        )
    return None
