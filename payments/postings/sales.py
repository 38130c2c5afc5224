"""The sale's split when a fulfilment's goods leave: what the seller keeps, HQ's commission and
its VAT, the catchment store's share, booked in journal VT (`sale:fulfilment:<id>`) and the
transfers they cause queued, in the transaction of the fulfilment's move. The split and its
rounding rule are payments/commission.py's; the booking conventions payments/ledger.py's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from fulfillment.models import Fulfilment, FulfilmentLine
from network_marketplace.audit import Actor, actor_label, record_audit_event
from network_marketplace.outbox import enqueue
from orders.models import Order, OrderLine
from stores.models import Store

from .. import ledger
from ..commission import (
    LineTerms,
    OrderSplitter,
    OrderTerms,
    SellerTerms,
    Split,
)
from ..ledger import credit, debit, post_entry
from ..models import CommissionPlan, SaleSplit, SplitReversal, Transfer, TransferEvent
from ..selectors import commission_rates, is_hq_own
from .captures import paid_payment, provider_fee_cents
from .transfers import TRANSFER_KIND

RESERVE_COLLECT = "reserve_collect"


def order_terms(order: Order) -> OrderTerms:
    """The order as the split needs it (its lines, delivery fee, fees booked so far)."""
    plan = CommissionPlan.current()
    return OrderTerms(
        lines=[
            LineTerms(
                key=line.pk,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                vat_cents=line.vat_cents,
                home_delivery=line.method == "home_delivery",
                online=line.method != RESERVE_COLLECT,
            )
            for line in order.lines.order_by("pk")
        ],
        shipping_cents=order.shipping_cents,
        provider_fee_cents=provider_fee_cents(order),
        fixed_fee_cents=plan.fixed_fee_cents,
    )


def _seller_terms(
    order: Order, seller: Store, category_ids: set[int | None], plan: CommissionPlan
) -> dict[int | None, SellerTerms]:
    """The terms of `seller` for each category of the pieces, in one resolver call."""
    attributed = order.attributed_store
    on = timezone.localdate(order.placed_at or order.created_at)
    share = (
        plan.catchment_share_percent
        if attributed is not None and attributed.pk != seller.pk and not is_hq_own(attributed)
        else Decimal(0)
    )
    # HQ selling pays the catchment store its share at that store's own rate.
    catchment_store = attributed if share and is_hq_own(seller) else None
    wanted = [(seller, category_id) for category_id in category_ids]
    if catchment_store is not None:
        wanted += [(catchment_store, category_id) for category_id in category_ids]
    rates = commission_rates(wanted=wanted, on=on, plan=plan)
    return {
        category_id: SellerTerms(
            sold_by_hq=is_hq_own(seller),
            rate_percent=rates[(seller.pk, category_id)],
            catchment_percent=share,
            catchment_rate_percent=rates.get((catchment_store.pk, category_id), Decimal(0))
            if catchment_store is not None
            else Decimal(0),
            commission_vat_percent=plan.commission_vat_percent,
        )
        for category_id in category_ids
    }


def record_sale(*, fulfilment: Fulfilment, actor: Actor) -> list[SaleSplit]:
    """The fulfilment's goods left (collected or shipped): split what the
    customer paid for them, book the split (VT `sale:fulfilment:<id>`) and queue the transfers
    of the seller's net and of the catchment store's share. Call it in the transaction of the
    move, which holds the order's row lock (so two fulfilments of one order split in turn).
    Idempotent: a fulfilment already split returns its splits. Nothing is split for reserve &
    collect (paid in the store's till) or an order with no online payment."""
    existing = list(SaleSplit.objects.filter(fulfilment=fulfilment))
    if existing or fulfilment.method == RESERVE_COLLECT:
        return existing
    order = fulfilment.order
    payment = paid_payment(order)
    if payment is None:
        return []
    plan = CommissionPlan.current()
    seller = fulfilment.store
    lines = list(
        fulfilment.lines.select_related("order_line__variant__product").order_by("order_line_id")
    )
    lines = [line for line in lines if line.order_line.method != RESERVE_COLLECT]
    if not lines:
        return []
    splitter = OrderSplitter(order_terms(order))
    terms = _seller_terms(
        order, seller, {line.order_line.variant.product.category_id for line in lines}, plan
    )
    taken = defaultdict(int)
    for row in (
        SaleSplit.objects.filter(order=order, kind=SaleSplit.Kind.GOODS)
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
    ):
        taken[row["order_line_id"]] = row["units"]
    common = {
        "order": order,
        "fulfilment": fulfilment,
        "seller_store": seller,
        "sold_by_hq": is_hq_own(seller),
        "attributed_store": order.attributed_store,
        "currency": order.currency,
    }
    splits, home = [], []
    for line in lines:
        category_id = line.order_line.variant.product.category_id
        before = taken[line.order_line_id]
        split = splitter.goods(
            line_key=line.order_line_id,
            before=before,
            units=line.quantity,
            seller=terms[category_id],
        )
        splits.append(
            _split_row(
                split,
                common,
                fulfilment_line=line,
                order_line=line.order_line,
                quantity=line.quantity,
                rate=terms[category_id].rate_percent,
            )
        )
        if line.order_line.method == "home_delivery":
            home.append((line.order_line_id, before, line.quantity))
    if home:
        delivery = splitter.delivery_of(served=home, seller=next(iter(terms.values())))
        if delivery.gross_cents:
            splits.append(_split_row(delivery, common, kind=SaleSplit.Kind.DELIVERY))
    splits = SaleSplit.objects.bulk_create(splits)
    _book_sale(fulfilment, splits)
    _queue_sale_transfers(fulfilment, splits, actor=actor)
    record_audit_event(
        actor=actor,
        action="payments.sale_split",
        target=fulfilment,
        store_id=seller.pk,
        data={
            "order": order.pk,
            "gross_cents": sum(s.gross_cents for s in splits),
            "net_cents": sum(s.net_cents for s in splits),
            "commission_cents": sum(s.commission_cents for s in splits),
        },
    )
    return splits


def _split_row(
    split: Split,
    common: dict[str, Any],
    *,
    kind: str = SaleSplit.Kind.GOODS,
    fulfilment_line: FulfilmentLine | None = None,
    order_line: OrderLine | None = None,
    quantity: int = 0,
    rate: Decimal = Decimal(0),
) -> SaleSplit:
    return SaleSplit(
        **common,
        kind=kind,
        fulfilment_line=fulfilment_line,
        order_line=order_line,
        quantity=quantity,
        rate_percent=rate,
        gross_cents=split.gross_cents,
        commission_cents=split.commission_cents,
        commission_vat_cents=split.commission_vat_cents,
        catchment_cents=split.catchment_cents,
        fee_cents=split.fee_cents,
        net_cents=split.net_cents,
        sale_vat_cents=split.sale_vat_cents,
    )


def split_totals(rows: Iterable[SaleSplit | SplitReversal]) -> dict[str, int]:
    """The sums of a sale's splits (or of their reversals) that its entry and transfers book."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for name in (
            "gross_cents",
            "net_cents",
            "commission_cents",
            "commission_vat_cents",
            "catchment_cents",
            "sale_vat_cents",
        ):
            totals[name] += getattr(row, name)
        if (
            getattr(row, "kind", None) == SaleSplit.Kind.DELIVERY
            or getattr(getattr(row, "split", None), "kind", None) == SaleSplit.Kind.DELIVERY
        ):
            totals["delivery_excl_vat"] += row.net_cents - row.sale_vat_cents
        else:
            totals["goods_excl_vat"] += row.net_cents - row.sale_vat_cents
    return totals


def sale_postings(
    seller: Store, attributed_id: int | None, totals: dict[str, int]
) -> list[ledger.Posting]:
    """The credits of a sale's split (a reversal books the same lines the other way)."""
    if is_hq_own(seller):
        parts = [
            credit(ledger.HQ_GOODS_SALES, totals["goods_excl_vat"]),
            credit(ledger.HQ_DELIVERY_SALES, totals["delivery_excl_vat"]),
            credit(ledger.VAT_COLLECTED, totals["sale_vat_cents"]),
        ]
        catchment_from = ledger.CATCHMENT_EXPENSE
    else:
        parts = [
            credit(ledger.STORE_PAYABLE, totals["net_cents"], store_id=seller.pk),
            credit(ledger.COMMISSION_REVENUE, totals["commission_cents"]),
            credit(ledger.VAT_COLLECTED, totals["commission_vat_cents"]),
        ]
        catchment_from = ledger.COMMISSION_REVENUE
    if totals["catchment_cents"]:
        parts += [
            debit(catchment_from, totals["catchment_cents"], label="catchment share"),
            credit(
                ledger.STORE_PAYABLE,
                totals["catchment_cents"],
                store_id=attributed_id,
                label="catchment share",
            ),
        ]
    return parts


def flipped(posting: ledger.Posting) -> ledger.Posting:
    return ledger.Posting(
        account=posting.account,
        debit_cents=posting.credit_cents,
        credit_cents=posting.debit_cents,
        store_id=posting.store_id,
        label=posting.label,
    )


def _book_sale(fulfilment: Fulfilment, splits: list[SaleSplit]) -> None:
    order, totals = fulfilment.order, split_totals(splits)
    post_entry(
        journal="VT",
        reference=f"sale:fulfilment:{fulfilment.pk}",
        order=order,
        store=fulfilment.store,
        label=f"Sale {order.number} · {fulfilment.store.slug}",
        postings=[
            debit(ledger.CUSTOMER_PREPAYMENTS, totals["gross_cents"]),
            *sale_postings(fulfilment.store, order.attributed_store_id, totals),
        ],
    )


def _queue_sale_transfers(
    fulfilment: Fulfilment, splits: list[SaleSplit], *, actor: Actor
) -> list[Transfer]:
    order, totals = fulfilment.order, split_totals(splits)
    wanted: list[tuple[int, str, int, str]] = []
    if not is_hq_own(fulfilment.store) and totals["net_cents"] > 0:
        wanted.append(
            (
                fulfilment.store_id,
                Transfer.Kind.SALE,
                totals["net_cents"],
                f"transfer:fulfilment:{fulfilment.pk}",
            )
        )
    if totals["catchment_cents"] > 0 and order.attributed_store_id is not None:
        wanted.append(
            (
                order.attributed_store_id,
                Transfer.Kind.CATCHMENT,
                totals["catchment_cents"],
                f"transfer:fulfilment:{fulfilment.pk}:catchment",
            )
        )
    transfers = []
    for store_id, kind, amount, key in wanted:
        transfer, created = Transfer.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "store_id": store_id,
                "fulfilment": fulfilment,
                "order": order,
                "kind": kind,
                "amount_cents": amount,
                "currency": order.currency,
            },
        )
        if created:
            TransferEvent.objects.create(
                transfer=transfer, to_status=transfer.status, actor_label=actor_label(actor)
            )
        enqueue(kind=TRANSFER_KIND, payload={"transfer": transfer.pk}, dedupe_key=key)
        transfers.append(transfer)
    return transfers
