"""Illegal products (DSA art. 32): HQ confirms a product is illegal, every buyer of the last
ILLEGAL_PRODUCT_BUYERS_DAYS is told once (what, which store sold it, their redress), and the
products whose buyers could not all be reached are listed on a public notice.

`confirm_illegal_product` records HQ's decision and takes the listing off the storefront (when
it still is published) with `apply_measure(kind="product_listing_disabled")`, whose statement
of reasons goes to the stores. `notify_illegal_product_buyers` is the job: it finds the buyers
(placed orders with a line of the product's variants, not wholly cancelled), records each one
once (`IllegalProductBuyer`, unique per case and buyer) and enqueues its e-mail in the same
transaction (the outbox's dedupe key is the record's): run it twice, each buyer is told once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from fulfillment.models import FulfilmentLine
from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.notifications import send_templated_email
from orders.models import Order, OrderLine

from ..models import IllegalProductBuyer, IllegalProductCase, MeasureKind, MeasureSource
from .measures import apply_measure

BUYING_STATUSES = (Order.Status.PLACED, Order.Status.IN_PROGRESS, Order.Status.COMPLETED)


class InvalidIllegalProductCase(DomainError):
    code = "invalid_illegal_product_case"
    http_status = 400


@dataclass
class Buyer:
    key: str
    email: str
    language: str
    order_numbers: list[str] = field(default_factory=list)
    sellers: list[str] = field(default_factory=list)


def buyer_redress_text() -> str:
    """What a buyer of an illegal product may do (art. 32(1)(c)), in the active language."""
    return "\n".join(
        [
            _(
                "Stop using the product. You may bring it back to any store of the network, or "
                "contact the store that sold it, for a refund: the legal guarantee of "
                "conformity applies (French Consumer Code, articles L217-3 and following)."
            ),
            _(
                "You may report the product to the consumer authorities (DGCCRF, "
                "signal.conso.gouv.fr), refer a dispute to the consumer mediator named in our "
                "terms, or bring it before the competent court."
            ),
        ]
    )


def confirm_illegal_product(
    *,
    product: Product,
    illegality: str,
    legal_ground: str,
    actor: Any,
    now: datetime | None = None,
) -> IllegalProductCase:
    """Record HQ's confirmation that `product` is illegal and withdraw its listing (a measure
    with its statement, when the product is still listed). One open case per product: a second
    confirmation returns the first. The buyers are told by `notify_illegal_product_buyers`."""
    if not illegality.strip() or not legal_ground.strip():
        raise InvalidIllegalProductCase(
            _("Say what is illegal and on which legal ground: the buyers read it.")
        )
    now = now or timezone.now()
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        existing = IllegalProductCase.objects.filter(product=product).first()
        if existing is not None:
            return existing
        case = IllegalProductCase.objects.create(
            product=product,
            product_name=product.name,
            illegality=illegality.strip(),
            legal_ground=legal_ground.strip()[:300],
            buyers_since=now - timedelta(days=settings.ILLEGAL_PRODUCT_BUYERS_DAYS),
            confirmed_by=actor if getattr(actor, "is_authenticated", False) else None,
            confirmed_at=now,
        )
        record_audit_event(
            actor=actor,
            action="illegal_product.confirmed",
            target=case,
            data={"product": product.slug},
        )
        if product.status == Product.Status.PUBLISHED:
            apply_measure(
                kind=MeasureKind.PRODUCT_LISTING_DISABLED,
                target=product,
                source=MeasureSource.OWN_INITIATIVE,
                facts=case.illegality,
                legal_ground=case.legal_ground,
                actor=actor,
            )
    return case


def buyers_of(case: IllegalProductCase) -> list[Buyer]:
    """The buyers of the case's product since `buyers_since`, one per e-mail (lower case) or,
    without a usable e-mail, one per order; with their orders and the stores that sold."""
    lines = (
        OrderLine.objects.filter(
            variant__product_id=case.product_id,
            order__status__in=BUYING_STATUSES,
            order__placed_at__gte=case.buyers_since,
            order__placed_at__lte=case.confirmed_at,
            quantity__gt=F("cancelled_quantity"),
        )
        .select_related("order", "chosen_store")
        .order_by("order__placed_at", "id")
    )
    sellers = defaultdict(set)
    for line_id, store_name in FulfilmentLine.objects.filter(
        order_line__in=lines.values("pk")
    ).values_list("order_line_id", "fulfilment__store__name"):
        sellers[line_id].add(store_name)
    buyers: dict[str, Buyer] = {}
    for line in lines:
        order = line.order
        email = (order.email or "").strip().lower()
        usable = "@" in email
        key = email if usable else f"order:{order.pk}"
        buyer = buyers.setdefault(
            key, Buyer(key=key, email=email if usable else "", language=order.language)
        )
        number = order.number or f"#{order.pk}"
        if number not in buyer.order_numbers:
            buyer.order_numbers.append(number)
        names = sellers.get(line.pk) or (
            {line.chosen_store.name} if line.chosen_store is not None else {settings.NETWORK_NAME}
        )
        for name in sorted(names):
            if name not in buyer.sellers:
                buyer.sellers.append(name)
    return list(buyers.values())


def notify_illegal_product_buyers(*, case: IllegalProductCase, now: datetime | None = None) -> int:
    """Tell each buyer of the case's product once: record it and enqueue its e-mail in one
    transaction per buyer (a buyer without an e-mail is recorded as "no contact": the public
    notice covers them). Returns how many buyers were recorded by this run (0 on a re-run)."""
    now = now or timezone.now()
    recorded = 0
    done = set(case.buyers.values_list("buyer_key", flat=True))
    redress = buyer_redress_text()
    for buyer in buyers_of(case):
        if buyer.key in done:
            continue
        try:
            with transaction.atomic():
                row = IllegalProductBuyer.objects.create(
                    case=case,
                    buyer_key=buyer.key,
                    outcome=(
                        IllegalProductBuyer.Outcome.EMAILED
                        if buyer.email
                        else IllegalProductBuyer.Outcome.NO_CONTACT
                    ),
                    order_numbers=buyer.order_numbers,
                    sellers=buyer.sellers,
                )
                if buyer.email:
                    send_templated_email(
                        to=buyer.email,
                        template="compliance/illegal_product",
                        language=buyer.language,
                        context={
                            "product_name": case.product_name,
                            "illegality": case.illegality,
                            "legal_ground": case.legal_ground,
                            "orders": buyer.order_numbers,
                            "sellers": buyer.sellers,
                            "redress": redress,
                        },
                        dedupe_key=f"illegal-product:{case.pk}:{row.buyer_key}",
                    )
        except IntegrityError:
            continue  # a concurrent run recorded this buyer first
        recorded += 1
    IllegalProductCase.objects.filter(pk=case.pk).update(buyers_recorded_at=now)
    if recorded:
        record_audit_event(
            actor="compliance: illegal product",
            action="illegal_product.buyers_told",
            target=case,
            data={"recorded": recorded},
        )
    return recorded
