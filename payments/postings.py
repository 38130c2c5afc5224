"""The ledger entries of every money event, and the transfers they cause.

Each function is called (as one line) by the service where the event happens, inside that
service's transaction, so the entry commits with the business change or not at all; provider
calls (transfers, their reversals) are outbox messages written in the same transaction and sent
after commit. Entries are booked once per reference (payments/ledger.py): calling any of these
twice books once. The booking conventions are in payments/ledger.py's docstring; the split and
its rounding rule in payments/commission.py.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.outbox import enqueue, register_handler
from network_marketplace.transitions import transition

from . import ledger
from .accounts import payment_account_for
from .commission import (
    LineTerms,
    OrderSplitter,
    OrderTerms,
    SellerTerms,
    half_up,
    reverse_in_proportion,
)
from .ledger import credit, debit, post_entry
from .models import (
    CommissionPlan,
    JournalLine,
    Payment,
    Refund,
    SaleSplit,
    SplitReversal,
    Transfer,
    TransferEvent,
    TransferReversal,
)
from .providers import get_provider
from .selectors import commission_rates, is_hq_own
from .states import TRANSFER_LIFECYCLE, TRANSFER_REVERSAL_LIFECYCLE

TRANSFER_KIND = "payment.transfer"
TRANSFER_REVERSAL_KIND = "payment.transfer_reversal"
RESERVE_COLLECT = "reserve_collect"
SYSTEM = "system:payments"


# Capture and fee ------------------------------------------------------------------------------


def book_capture(*, payment: Payment, fee_cents: int = 0) -> None:
    """The customer's money reached HQ's platform account: it is held for the goods (419100)
    until they leave; the provider's fee is HQ's expense (it bears it, through commission)."""
    order = payment.order
    post_entry(
        journal="BQ",
        reference=f"capture:payment:{payment.pk}",
        order=order,
        label=f"Payment captured {order.number or order.pk}",
        postings=[
            debit(ledger.PLATFORM_BALANCE, payment.amount_cents),
            credit(ledger.CUSTOMER_PREPAYMENTS, payment.amount_cents),
        ],
    )
    book_provider_fee(payment=payment, fee_cents=fee_cents)


def book_provider_fee(*, payment: Payment, fee_cents: int) -> None:
    """The provider's fee on a charge (at capture, or later when a provider tells it late)."""
    if fee_cents <= 0:
        return
    post_entry(
        journal="BQ",
        reference=f"fee:payment:{payment.pk}",
        order=payment.order,
        label=f"Provider fee {payment.order.number or payment.order_id}",
        postings=[
            debit(ledger.PROVIDER_FEES, fee_cents),
            credit(ledger.PLATFORM_BALANCE, fee_cents),
        ],
    )


def provider_fee_cents(order) -> int:
    """The provider's fees booked on the order's charges."""
    references = [f"fee:payment:{pk}" for pk in order.payments.values_list("pk", flat=True)]
    return (
        JournalLine.objects.filter(
            entry__reference__in=references, account__code=ledger.PROVIDER_FEES
        ).aggregate(total=Sum("debit_cents"))["total"]
        or 0
    )


def book_refund_sent(*, refund: Refund) -> None:
    """The provider gave the money back to the customer."""
    post_entry(
        journal="BQ",
        reference=f"refund:{refund.pk}",
        order=refund.order,
        label=f"Refund {refund.order.number or refund.order_id}",
        postings=[
            debit(ledger.CUSTOMER_PREPAYMENTS, refund.amount_cents),
            credit(ledger.PLATFORM_BALANCE, refund.amount_cents),
        ],
    )


# The sale's split when the goods leave ----------------------------------------------------------


def _paid_payment(order) -> Payment | None:
    return (
        Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED)
        .order_by("created_at", "id")
        .first()
    )


def order_terms(order) -> OrderTerms:
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


def _seller_terms(order, seller, category_ids, plan) -> dict[int | None, SellerTerms]:
    """The terms of `seller` for each category of the pieces, in one resolver call."""
    attributed = order.attributed_store
    on = timezone.localdate(order.placed_at or order.created_at)
    share = (
        plan.catchment_share_percent
        if attributed is not None and attributed.pk != seller.pk and not is_hq_own(attributed)
        else Decimal(0)
    )
    wanted = [(seller, category_id) for category_id in category_ids]
    if share and is_hq_own(seller):
        wanted += [(attributed, category_id) for category_id in category_ids]
    rates = commission_rates(wanted=wanted, on=on, plan=plan)
    return {
        category_id: SellerTerms(
            sold_by_hq=is_hq_own(seller),
            rate_percent=rates[(seller.pk, category_id)],
            catchment_percent=share,
            catchment_rate_percent=rates.get((attributed.pk, category_id), Decimal(0))
            if share and is_hq_own(seller)
            else Decimal(0),
            commission_vat_percent=plan.commission_vat_percent,
        )
        for category_id in category_ids
    }


def record_sale(*, fulfilment, actor) -> list[SaleSplit]:
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
    payment = _paid_payment(order)
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
    split,
    common,
    *,
    kind=SaleSplit.Kind.GOODS,
    fulfilment_line=None,
    order_line=None,
    quantity=0,
    rate=Decimal(0),
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


def _totals(rows) -> dict[str, int]:
    totals = defaultdict(int)
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


def _sale_postings(seller, attributed_id, totals) -> list:
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


def _flip(posting):
    return ledger.Posting(
        account=posting.account,
        debit_cents=posting.credit_cents,
        credit_cents=posting.debit_cents,
        store_id=posting.store_id,
        label=posting.label,
    )


def _book_sale(fulfilment, splits) -> None:
    order, totals = fulfilment.order, _totals(splits)
    post_entry(
        journal="VT",
        reference=f"sale:fulfilment:{fulfilment.pk}",
        order=order,
        store=fulfilment.store,
        label=f"Sale {order.number} · {fulfilment.store.slug}",
        postings=[
            debit(ledger.CUSTOMER_PREPAYMENTS, totals["gross_cents"]),
            *_sale_postings(fulfilment.store, order.attributed_store_id, totals),
        ],
    )


def _queue_sale_transfers(fulfilment, splits, *, actor) -> list[Transfer]:
    order, totals = fulfilment.order, _totals(splits)
    wanted = []
    if not is_hq_own(fulfilment.store) and totals["net_cents"] > 0:
        wanted.append(
            (
                fulfilment.store_id,
                Transfer.Kind.SALE,
                totals["net_cents"],
                f"transfer:fulfilment:{fulfilment.pk}",
            )
        )
    if totals["catchment_cents"] > 0:
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


def send_transfer(message) -> None:
    """Outbox handler: move the transfer's amount to the store's connected account, then book
    it (BQ `transfer:<id>`). ProviderUnavailable or a refusal raises: the outbox retries; the
    idempotency key makes a repeated call transfer once."""
    transfer = Transfer.objects.select_related("store", "order").get(pk=message.payload["transfer"])
    if transfer.status not in {Transfer.Status.PENDING, Transfer.Status.FAILED}:
        return
    payment = _paid_payment(transfer.order)
    result = get_provider().create_transfer(
        amount_cents=transfer.amount_cents,
        currency=transfer.currency,
        destination=payment_account_for(transfer.store).reference,
        transfer_group=transfer.order.number or str(transfer.order_id),
        source_charge=payment.reference if payment else "",
        idempotency_key=transfer.idempotency_key,
    )
    if not result.succeeded:
        refused(transfer=transfer, failure_message=result.failure_message)
        raise RuntimeError(f"Transfer {transfer.pk} refused: {result.failure_message}")
    with transaction.atomic():
        locked = transition(
            TRANSFER_LIFECYCLE,
            transfer,
            Transfer.Status.PAID,
            actor=SYSTEM,
            changes={
                "reference": result.reference,
                "failure_message": "",
                "paid_at": timezone.now(),
            },
            audit_data={"reference": result.reference},
        ).row
        post_entry(
            journal="BQ",
            reference=f"transfer:{locked.pk}",
            order=locked.order,
            store=locked.store,
            label=f"Transfer {locked.order.number} · {locked.store.slug}",
            postings=[
                debit(ledger.STORE_PROVIDER_BALANCE, locked.amount_cents, store_id=locked.store_id),
                credit(ledger.PLATFORM_BALANCE, locked.amount_cents),
            ],
        )


def refused(*, transfer: Transfer, failure_message: str) -> Transfer:
    """The provider refused the transfer: mark it failed (the outbox retries it) and keep the
    provider's latest word. A transfer made meanwhile by another attempt stays made."""
    message = failure_message[:300]
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.status == Transfer.Status.PENDING:
            return transition(
                TRANSFER_LIFECYCLE,
                locked,
                Transfer.Status.FAILED,
                actor=SYSTEM,
                reason=message,
                changes={"failure_message": message},
            ).row
        if locked.status == Transfer.Status.FAILED:
            locked.failure_message = message
            locked.save(update_fields=["failure_message", "updated_at"])
    return locked


# Refunds of what was sold ------------------------------------------------------------------------


def reverse_return_sales(*, return_request, refund: Refund | None, actor) -> list[SplitReversal]:
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


def reverse_sales(*, refund: Refund, amounts: dict[int, int], actor) -> list[SplitReversal]:
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
    fulfilment, totals = split.fulfilment, _totals(reversals)
    post_entry(
        journal="VT",
        reference=f"sale-reversal:refund:{refund.pk}:fulfilment:{fulfilment.pk}",
        order=split.order,
        store=split.seller_store,
        label=f"Sale reversed {split.order.number} · {split.seller_store.slug}",
        postings=[
            credit(ledger.CUSTOMER_PREPAYMENTS, totals["gross_cents"]),
            *(
                _flip(p)
                for p in _sale_postings(split.seller_store, split.attributed_store_id, totals)
            ),
        ],
    )


def _queue_transfer_reversals(refund: Refund, reversals: list[SplitReversal]) -> None:
    split = reversals[0].split
    totals = _totals(reversals)
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
        if amount <= 0:
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


def send_transfer_reversal(message) -> None:
    """Outbox handler: take the amount back from the store's connected account, then book it
    (BQ `transfer-reversal:<id>`). Waits (retries) while the transfer itself is not made."""
    reversal = TransferReversal.objects.select_related("transfer__store", "transfer__order").get(
        pk=message.payload["reversal"]
    )
    if reversal.status == TransferReversal.Status.DONE:
        return
    transfer = reversal.transfer
    if not transfer.reference:
        raise RuntimeError(f"Transfer {transfer.pk} is not made yet: its reversal waits.")
    result = get_provider().reverse_transfer(
        transfer_reference=transfer.reference,
        amount_cents=reversal.amount_cents,
        idempotency_key=reversal.idempotency_key,
    )
    if not result.succeeded:
        raise RuntimeError(f"Transfer reversal {reversal.pk} refused: {result.failure_message}")
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        transition(
            TRANSFER_REVERSAL_LIFECYCLE,
            reversal,
            TransferReversal.Status.DONE,
            actor=SYSTEM,
            changes={"reference": result.reference, "completed_at": timezone.now()},
        )
        done = (
            locked.reversals.filter(status=TransferReversal.Status.DONE).aggregate(
                total=Sum("amount_cents")
            )["total"]
            or 0
        )
        transition(
            TRANSFER_LIFECYCLE,
            locked,
            Transfer.Status.REVERSED
            if done >= locked.amount_cents
            else Transfer.Status.PARTIALLY_REVERSED,
            actor=SYSTEM,
            audit_data={"reversal": reversal.pk, "refund": reversal.refund_id},
        )
        post_entry(
            journal="BQ",
            reference=f"transfer-reversal:{reversal.pk}",
            order=locked.order,
            store=locked.store,
            label=f"Transfer reversed {locked.order.number} · {locked.store.slug}",
            postings=[
                debit(ledger.PLATFORM_BALANCE, reversal.amount_cents),
                credit(
                    ledger.STORE_PROVIDER_BALANCE, reversal.amount_cents, store_id=locked.store_id
                ),
            ],
        )


register_handler(TRANSFER_KIND, send_transfer)
register_handler(TRANSFER_REVERSAL_KIND, send_transfer_reversal)


# Marketing hub charges ------------------------------------------------------------------------


def book_marketing_charge(
    *,
    store,
    reference: str,
    label: str,
    amount_excl_vat_cents: int,
    vat_rate_bp: int = 2000,
    actor,
    occurred_at=None,
):
    """Charge a store for a marketing-hub order: netted from what the network owes it (its
    next payout pays less), HQ's marketing revenue and its VAT. `reference` names the hub's
    order, so booking it twice books once. Returns the entry."""
    vat = (amount_excl_vat_cents * vat_rate_bp + 5000) // 10000  # half up, like every VAT line
    with transaction.atomic():
        entry = post_entry(
            journal="VT",
            reference=f"marketing:{reference}",
            label=label,
            store=store,
            occurred_at=occurred_at,
            postings=[
                debit(ledger.STORE_PAYABLE, amount_excl_vat_cents + vat, store_id=store.pk),
                credit(ledger.MARKETING_REVENUE, amount_excl_vat_cents),
                credit(ledger.VAT_COLLECTED, vat),
            ],
        )
        record_audit_event(
            actor=actor,
            action="payments.marketing_charged",
            target=entry,
            store_id=store.pk,
            data={
                "reference": reference,
                "amount_excl_vat_cents": amount_excl_vat_cents,
                "vat_cents": vat,
            },
        )
    return entry
