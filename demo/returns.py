"""A demo return that shows money between stores: the demo customer's collected order at Lyon
Presqu'île brought back to the nearest other franchise store, which restocks it; both stores'
statements show the settlement (docs/settlement.md). Through the real services, once."""

from __future__ import annotations

from fulfillment import services as steps
from fulfillment.models import Fulfilment, Return
from stores.models import StockLevel, Store

from .network import network


def load_settled_return() -> int:
    """Returns 1 when the return was made, 0 when there is one already or nothing to return."""
    if Return.objects.exists():
        return 0
    seller = Store.objects.filter(slug=network().orders_store).first()
    collected = (
        Fulfilment.objects.filter(store=seller, status=Fulfilment.Status.COLLECTED)
        .select_related("order")
        .order_by("pk")
        .first()
    )
    if seller is None or collected is None:
        return 0
    variants = [line.order_line.variant_id for line in collected.lines.select_related("order_line")]
    others = (
        Store.objects.filter(
            kind=Store.Kind.FRANCHISE, status=Store.Status.ACTIVE, accepts_returns=True
        )
        .exclude(pk=seller.pk)
        .order_by("slug")
    )
    # A store of the same city that sells the item already (it restocks it beside its own
    # units, so the demo's other offers stay as they were), as a customer would choose.
    receiver = next(
        (
            store
            for store in [*others.filter(city=seller.city), *others.exclude(city=seller.city)]
            if StockLevel.objects.filter(
                store=store, variant_id__in=variants, on_hand__gt=0
            ).count()
            == len(set(variants))
        ),
        None,
    )
    if receiver is None:
        return 0
    actor = f"{receiver.slug}@demo"
    made = steps.request_return(
        order=collected.order,
        lines=[steps.ReturnRequestLine(line, line.quantity) for line in collected.lines.all()],
        reason=Return.Reason.CHANGED_MIND,
        method=Return.Method.IN_STORE,
        store=receiver,
        actor="customer",
    )
    steps.receive_return(return_request=made, store=receiver, actor=actor)
    steps.inspect_return(
        return_request=made,
        store=receiver,
        actor=actor,
        inspections=[
            steps.LineInspection(line, "resalable", True, line.max_refund_cents)
            for line in made.lines.all()
        ],
    )
    steps.refund_return(return_request=made, store=receiver, actor=actor)
    return 1
