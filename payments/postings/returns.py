"""A refund of what was sold takes back, from the sale's splits, the seller's net, HQ's
commission and its VAT and the catchment share, in proportion, store by store: booked in journal
VT (`sale-reversal:refund:<refund>:fulfilment:<id>`) with the transfer reversals it causes, in
the refund's transaction."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone

from fulfillment.models import Return
from network_marketplace.audit import Actor, record_audit_event
from network_marketplace.outbox import enqueue

from .. import ledger
from ..commission import half_up, reverse_in_proportion
from ..ledger import credit, post_entry
from ..models import (
    Refund,
    SaleSplit,
    SplitReversal,
    Transfer,
    TransferReversal,
)
from .sales import flipped, sale_postings, split_totals
from .transfers import TRANSFER_REVERSAL_KIND


def reverse_return_sales(
    *, return_request: Return, refund: Refund | None, actor: Actor
) -> list[SplitReversal]:
    """A return's refund takes back, from the splits of the returned units, what each line's
    inspection refunds (and the delivery fee's splits when it is refunded), store by store:
    the seller's net, HQ's commission and its VAT, the catchment share, in proportion; the
    matching transfers are reversed at the provider. Call it in the refund's transaction."""
    if refund is None:
        return []
    amounts: dict[int, int] = {}
    split_of_line = {
        split.fulfilment_line_id: split
        for split in SaleSplit.objects.filter(
            fulfilment_line__in=[line.fulfilment_line_id for line in return_request.lines.all()]
        )
    }
    for line in return_request.lines.order_by("pk"):
        split = split_of_line.get(line.fulfilment_line_id)
        if split is not None and line.refund_cents > 0:
            amounts[split.pk] = amounts.get(split.pk, 0) + line.refund_cents
    if return_request.shipping_refund_cents:
        deliveries = list(
            SaleSplit.objects.filter(order=return_request.order, kind=SaleSplit.Kind.DELIVERY)
            .annotate(reversed_gross=Sum("reversals__gross_cents"))
            .order_by("pk")
        )
        remaining = [split.gross_cents - (split.reversed_gross or 0) for split in deliveries]
        shares = reverse_in_proportion(return_request.shipping_refund_cents, remaining)
        for split, share in zip(deliveries, shares, strict=True):
            if share:
                amounts[split.pk] = amounts.get(split.pk, 0) + share
    return reverse_sales(refund=refund, amounts=amounts, actor=actor)


def reverse_sales(*, refund: Refund, amounts: dict[int, int], actor: Actor) -> list[SplitReversal]:
    """Take back `amounts` ({sale split id: cents of its gross}) for `refund`, at most what the
    refund gives back and what is left of each split. One VT entry per fulfilment
    (`sale-reversal:refund:<refund>:fulfilment:<id>`) and one transfer reversal per transfer.
    Idempotent per (split, refund)."""
    budget = refund.amount_cents
    reversals: dict[int, list[SplitReversal]] = defaultdict(list)
    splits = SaleSplit.objects.select_for_update(of=("self",)).filter(pk__in=list(amounts))
    for split in splits.select_related("seller_store", "fulfilment", "order").order_by("pk"):
        if SplitReversal.objects.filter(split=split, refund=refund).exists():
            continue
        taken = split.reversals.aggregate(
            gross=Sum("gross_cents"),
            net=Sum("net_cents"),
            commission=Sum("commission_cents"),
            vat=Sum("commission_vat_cents"),
            catchment=Sum("catchment_cents"),
            sale_vat=Sum("sale_vat_cents"),
        )
        taken = {name: value or 0 for name, value in taken.items()}
        left_gross = split.gross_cents - taken["gross"]
        amount = min(amounts[split.pk], left_gross, budget)
        if amount <= 0:
            continue
        budget -= amount
        reversals[split.fulfilment_id].append(
            SplitReversal.objects.create(
                split=split,
                refund=refund,
                gross_cents=amount,
                **_reversal_parts(split, taken, amount, left_gross),
            )
        )
    for made in reversals.values():
        _book_reversal(refund, made)
        _queue_transfer_reversals(refund, made)
    made = [reversal for group in reversals.values() for reversal in group]
    if made:
        record_audit_event(
            actor=actor,
            action="payments.sale_reversed",
            target=refund.order,
            store_id=refund.order.attributed_store_id,
            data={"refund": refund.pk, "gross_cents": sum(r.gross_cents for r in made)},
        )
    return made


def _reversal_parts(split: SaleSplit, taken: dict, amount: int, left_gross: int) -> dict:
    if split.sold_by_hq:
        goods, sale_vat = reverse_in_proportion(
            amount,
            [
                split.net_cents - split.sale_vat_cents - (taken["net"] - taken["sale_vat"]),
                split.sale_vat_cents - taken["sale_vat"],
            ],
        )
        left_catchment = split.catchment_cents - taken["catchment"]
        catchment = (
            left_catchment
            if amount == left_gross
            else min(left_catchment, half_up(Decimal(left_catchment) * amount / left_gross))
        )
        return {
            "net_cents": goods + sale_vat,
            "sale_vat_cents": sale_vat,
            "catchment_cents": catchment,
        }
    net, kept, catchment, vat = reverse_in_proportion(
        amount,
        [
            split.net_cents - taken["net"],
            split.commission_cents
            - split.catchment_cents
            - (taken["commission"] - taken["catchment"]),
            split.catchment_cents - taken["catchment"],
            split.commission_vat_cents - taken["vat"],
        ],
    )
    return {
        "net_cents": net,
        "commission_cents": kept + catchment,
        "catchment_cents": catchment,
        "commission_vat_cents": vat,
    }


def _book_reversal(refund: Refund, reversals: list[SplitReversal]) -> None:
    split = reversals[0].split
    fulfilment, totals = split.fulfilment, split_totals(reversals)
    post_entry(
        journal="VT",
        reference=f"sale-reversal:refund:{refund.pk}:fulfilment:{fulfilment.pk}",
        order=split.order,
        store=split.seller_store,
        label=f"Sale reversed {split.order.number} · {split.seller_store.slug}",
        postings=[
            credit(ledger.CUSTOMER_PREPAYMENTS, totals["gross_cents"]),
            *(
                flipped(p)
                for p in sale_postings(split.seller_store, split.attributed_store_id, totals)
            ),
        ],
    )


def _queue_transfer_reversals(refund: Refund, reversals: list[SplitReversal]) -> None:
    split = reversals[0].split
    totals = split_totals(reversals)
    wanted = [(Transfer.Kind.CATCHMENT, totals["catchment_cents"])]
    if not split.sold_by_hq:
        wanted.append((Transfer.Kind.SALE, totals["net_cents"]))
    for kind, amount in wanted:
        transfer = (
            Transfer.objects.select_for_update()
            .filter(fulfilment_id=split.fulfilment_id, kind=kind)
            .first()
        )
        amount = min(amount, transfer.amount_cents - transfer.reversed_cents) if transfer else 0
        if transfer is None or amount <= 0:
            continue
        key = f"transfer-reversal:refund:{refund.pk}:transfer:{transfer.pk}"
        reversal, created = TransferReversal.objects.get_or_create(
            idempotency_key=key,
            defaults={"transfer": transfer, "refund": refund, "amount_cents": amount},
        )
        if created:
            Transfer.objects.filter(pk=transfer.pk).update(
                reversed_cents=F("reversed_cents") + amount, updated_at=timezone.now()
            )
        enqueue(kind=TRANSFER_REVERSAL_KIND, payload={"reversal": reversal.pk}, dedupe_key=key)
