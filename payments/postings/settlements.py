"""Money between stores, booked: a return taken back by another location than the seller's,
and a store-to-store transfer that ended. The rules are payments/settlement.py's (pure); this
module reads the records, applies HQ's `SettlementPolicy` and books one OD entry per event
(`settlement:return:<id>`, `settlement:transfer:<fulfilment id>`), netted in each store's
payouts like every other line of its 467100 account. Called through the fulfillment hooks in
the transaction of the move that causes it; booking twice books once."""

from __future__ import annotations

from django.db.models import Sum

from fulfillment.models import Fulfilment, Return
from fulfillment.states import S
from network_marketplace.audit import Actor, record_audit_event
from orders.models import Order
from stores.models import Store

from .. import ledger
from ..ledger import Posting, credit, debit, post_entry
from ..models import JournalEntry, JournalLine
from ..selectors import is_hq_own
from ..settlement import (
    SettledLine,
    Settlement,
    return_settlements,
    transfer_settlements,
)
from ..settlement_models import SettlementPolicy

# HQ's account on each side of a settlement, by reason: (when HQ pays, when HQ is paid).
HQ_ACCOUNTS = {
    "buy_back": (ledger.NETWORK_STOCK, ledger.NETWORK_STOCK),
    "handling_fee": (ledger.HANDLING_FEES_PAID, ledger.HANDLING_FEES_EARNED),
    "handover_fee": (ledger.HANDLING_FEES_PAID, ledger.HANDLING_FEES_EARNED),
}
LABELS = {
    "buy_back": "Goods bought back",
    "handling_fee": "Return handling fee",
    "handover_fee": "Transfer handover fee",
}
# A transfer's end that leaves the goods (or their sale) with the pickup store.
KEPT_AT_PICKUP = {S.UNCOLLECTED, S.CANCELLED, S.NOT_PURCHASED, S.PURCHASED_IN_STORE}
ENDED = KEPT_AT_PICKUP | {S.COLLECTED}


def party(store: Store) -> int | None:
    """A franchise store is its own party; HQ's own locations are HQ (None)."""
    return None if is_hq_own(store) else store.pk


def settlement_postings(settlement: Settlement, *, label: str) -> list[Posting]:
    """The two lines of one settlement: the payer's debit, the payee's credit."""
    paid_by_hq, paid_to_hq = HQ_ACCOUNTS[settlement.reason]
    amount = settlement.amount_cents
    text = f"{LABELS[settlement.reason]} · {label}"
    return [
        debit(ledger.STORE_PAYABLE, amount, store_id=settlement.payer, label=text)
        if settlement.payer is not None
        else debit(paid_by_hq, amount, label=text),
        credit(ledger.STORE_PAYABLE, amount, store_id=settlement.payee, label=text)
        if settlement.payee is not None
        else credit(paid_to_hq, amount, label=text),
    ]


def _book(
    settlements: list[Settlement],
    *,
    reference: str,
    label: str,
    order: Order,
    store: Store,
    actor: Actor,
) -> list[Settlement]:
    if not settlements or JournalEntry.objects.filter(reference=reference).exists():
        return []
    postings = [p for s in settlements for p in settlement_postings(s, label=label)]
    post_entry(
        journal="OD",
        reference=reference,
        label=f"Settlement · {label}",
        postings=postings,
        order=order,
        store=store,
    )
    record_audit_event(
        actor=actor,
        action="payments.settled_between_stores",
        target=order,
        store_id=store.pk,
        data={
            "reference": reference,
            "settlements": [
                {
                    "reason": s.reason,
                    "payer": s.payer,
                    "payee": s.payee,
                    "amount_cents": s.amount_cents,
                }
                for s in settlements
            ],
        },
    )
    return settlements


def settle_return(*, return_request: Return, actor: Actor) -> list[Settlement]:
    """A return inspected at a location other than its goods' seller: per seller, the handling
    fee to that location and the buy-back of the units it restocked. Nothing when the seller
    took its own return back."""
    handler = return_request.store
    rules = SettlementPolicy.current().rules()
    by_seller: dict[int, list[SettledLine]] = {}
    sellers: dict[int, Store] = {}
    for line in return_request.lines.select_related(
        "order_line", "fulfilment_line__fulfilment__store"
    ).order_by("pk"):
        seller = line.fulfilment_line.fulfilment.store
        sellers[seller.pk] = seller
        restocked = by_seller.setdefault(seller.pk, [])
        if line.restocked_quantity:
            restocked.append(SettledLine(line.order_line.unit_price_cents, line.restocked_quantity))
    settlements = [
        settlement
        for seller_id in sorted(by_seller)
        for settlement in return_settlements(
            rules,
            seller=party(sellers[seller_id]),
            handler=party(handler),
            restocked=by_seller[seller_id],
        )
    ]
    return _book(
        settlements,
        reference=f"settlement:return:{return_request.pk}",
        label=return_request.number,
        order=return_request.order,
        store=handler,
        actor=actor,
    )


def settle_transfer(*, fulfilment: Fulfilment, actor: Actor) -> list[Settlement]:
    """A store-to-store transfer that ended after it reached the pickup store: the handover fee
    for a click & collect handed over, or the buy-back of what the pickup store kept or sold in
    its till. Nothing for a transfer that never arrived."""
    pickup = fulfilment.pickup_store
    if pickup is None or fulfilment.transfer_received_at is None or fulfilment.status not in ENDED:
        return []
    kept = (
        [
            SettledLine(line.order_line.unit_price_cents, line.quantity)
            for line in fulfilment.lines.select_related("order_line").order_by("pk")
        ]
        if fulfilment.status in KEPT_AT_PICKUP
        else []
    )
    settlements = transfer_settlements(
        SettlementPolicy.current().rules(),
        source=party(fulfilment.store),
        pickup=party(pickup),
        handed_over_for_source=fulfilment.status == S.COLLECTED,
        kept_at_pickup=kept,
    )
    return _book(
        settlements,
        reference=f"settlement:transfer:{fulfilment.pk}",
        label=f"{fulfilment.store.name} → {pickup.name}",
        order=fulfilment.order,
        store=pickup,
        actor=actor,
    )


def settled_cents(store: Store) -> int:
    """What `store` gained (+) or paid (-) in all by settlements: its lines on OD entries."""
    totals = JournalLine.objects.filter(
        account__code=ledger.STORE_PAYABLE,
        account__store=store,
        entry__reference__startswith="settlement:",
    ).aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    return (totals["credit"] or 0) - (totals["debit"] or 0)
