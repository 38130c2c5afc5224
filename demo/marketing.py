"""The demo's marketing hub, read from demo/data/marketing.yaml: suppliers (one with a login),
campaigns, items with the designer artwork the project generates (marketing_hub.artwork.samples)
and a picture of each, digital-pack plans and HQ's social posts, a budget for every store and
HQ's co-funding rules; then, on a first load only, orders in every state and subscriptions with
their deliverables, made through the hub's own services (proofs, cart, placing, HQ's review, the
supplier's steps, the store's receipt, subscribing and billing).

What HQ configures is upserted by natural key (supplier name, campaign slug, item reference, plan
code, rule name), so running the loader again changes nothing. Dates are relative to the day of
the load. Orders said to be placed `days_ago` are moved back in time after the services made them
(their placing and events' times only), so that the dashboard has a history to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from marketing_hub.artwork.samples import sample_pdf
from marketing_hub.artwork.stamping import render_previews
from marketing_hub.models import (
    Budget,
    Campaign,
    CoFundingRule,
    ItemPicture,
    MarketingItem,
    MarketingOrder,
    MarketingOrderEvent,
    MarketingOrderLine,
    PriceTier,
    SocialPostTemplate,
    Subscription,
    SubscriptionPlan,
    Supplier,
)
from marketing_hub.selectors.catalogue import current_artwork, product_choices
from marketing_hub.services.approval import approve_order, reject_order
from marketing_hub.services.artwork import install_sample_artwork
from marketing_hub.services.billing import bill_subscription
from marketing_hub.services.deliverables import generate_deliverables
from marketing_hub.services.orders import (
    add_to_cart,
    cancel_order,
    confirm_receipt,
    place_order,
)
from marketing_hub.services.proofs import make_proof
from marketing_hub.services.subscriptions import subscribe
from marketing_hub.services.supplier import mark_produced, mark_shipped
from network_marketplace.models import User
from stores.models import Store

from .files import read_yaml
from .network import network

ACTOR = "load_demo"
MO = MarketingOrder.Status
PICTURE_PX = 640
# How long HQ took to review the demo orders that went through its review (hours).
REVIEW_HOURS = (3, 7, 26, 5, 11)


@dataclass(frozen=True)
class MarketingCounts:
    items: int
    orders: int
    subscriptions: int


def load_marketing(*, user: Callable[[str], User]) -> MarketingCounts:
    """Everything of demo/data/marketing.yaml; `user(email)` gets or makes a demo login."""
    data = read_yaml("marketing.yaml")
    today = timezone.localdate()
    suppliers = _suppliers(data["suppliers"], user=user)
    campaigns = _campaigns(data["campaigns"], today=today)
    items = _items(data["items"], suppliers=suppliers, campaigns=campaigns, today=today)
    plans = _plans(data["plans"], items=items)
    _social_posts(data["social_posts"], today=today)
    _budgets(data["budgets"], today=today)
    _rules(data["cofunding_rules"], items=items, campaigns=campaigns, today=today)
    hq = user(network().hq.email)
    if not MarketingOrder.objects.exists():
        _orders(data["orders"], items=items, hq=hq, today=today)
    if not Subscription.objects.exists():
        _subscriptions(data["subscriptions"], plans=plans, today=today)
    return MarketingCounts(
        items=MarketingItem.objects.count(),
        orders=MarketingOrder.objects.exclude(status=MO.CART).count(),
        subscriptions=Subscription.objects.count(),
    )


def marketing_supplier_logins() -> list[str]:
    """The demo suppliers' logins (printed by load_demo)."""
    return [row["login"] for row in read_yaml("marketing.yaml")["suppliers"] if row.get("login")]


def _days(today: date, offset: int) -> date:
    return today + timedelta(days=offset)


def _suppliers(rows: list[dict], *, user: Callable[[str], User]) -> dict[str, Supplier]:
    suppliers = {}
    for row in rows:
        supplier, _created = Supplier.objects.update_or_create(
            name=row["name"],
            defaults={
                "email": row["email"],
                "contact_name": row.get("contact_name", ""),
                "phone": row.get("phone", ""),
            },
        )
        if row.get("login"):
            supplier.users.add(user(row["login"]))
        suppliers[row["key"]] = supplier
    return suppliers


def _campaigns(rows: list[dict], *, today: date) -> dict[str, Campaign]:
    campaigns = {}
    for row in rows:
        starts = _days(today, row["starts_in_days"])
        campaigns[row["slug"]], _created = Campaign.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "starts_on": starts,
                "ends_on": starts + timedelta(days=row["lasts_days"] - 1),
            },
        )
    return campaigns


def _items(
    rows: list[dict],
    *,
    suppliers: dict[str, Supplier],
    campaigns: dict[str, Campaign],
    today: date,
) -> dict[str, MarketingItem]:
    items = {}
    for row in rows:
        campaign = campaigns.get(row.get("campaign", ""))
        orderable_from = (
            _days(today, row["orderable_in_days"]) if "orderable_in_days" in row else None
        )
        item, _created = MarketingItem.objects.update_or_create(
            reference=row["reference"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "print_format": row.get("print_format", ""),
                "description": row.get("description", ""),
                "lead_time_days": row.get("lead_time_days", 5),
                "supplier": suppliers.get(row.get("supplier", "")),
                "campaign": campaign,
                "orderable_from": orderable_from,
                "orderable_until": campaign.ends_on if campaign and orderable_from else None,
                "options": row.get("options", {}),
                "always_review": row.get("always_review", False),
                "review_above_quantity": row.get("review_above_quantity"),
                "review_above_amount_cents": row.get("review_above_amount_cents"),
            },
        )
        for quantity, price in row["tiers"].items():
            PriceTier.objects.update_or_create(
                item=item, quantity=int(quantity), defaults={"price_cents": price}
            )
        if row.get("sample") and current_artwork(item) is None:
            _artwork(item, row["sample"])
        items[row["reference"]] = item
    return items


def _artwork(item: MarketingItem, sample_key: str) -> None:
    """The sample's designer PDF as the item's artwork with its fields, and a picture of page 1."""
    install_sample_artwork(item=item, sample=sample_key, actor=ACTOR)
    if not item.pictures.exists():
        [first, *_rest] = render_previews(sample_pdf(sample_key), max_px=PICTURE_PX)
        picture = ItemPicture(item=item, alt=item.name, position=0)
        picture.image.save(f"{item.reference.lower()}.png", ContentFile(first), save=False)
        picture.save()


def _plans(rows: list[dict], *, items: dict[str, MarketingItem]) -> dict[str, SubscriptionPlan]:
    plans = {}
    for row in rows:
        plans[row["code"]], _created = SubscriptionPlan.objects.update_or_create(
            code=row["code"],
            defaults={
                "item": items.get(row.get("item", "")),
                "name": row["name"],
                "pack": row["pack"],
                "price_cents": row["price_cents"],
                "minimum_commitment_months": row.get("minimum_commitment_months", 0),
                "notice_days": row.get("notice_days", 0),
                "includes": row.get("includes", []),
                "description": items[row["item"]].description if row.get("item") else "",
            },
        )
    return plans


def _social_posts(rows: list[dict], *, today: date) -> None:
    this_month = today.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    for month in (this_month, next_month):
        for row in rows:
            SocialPostTemplate.objects.update_or_create(
                month=month, title=row["title"], defaults={"day": row["day"], "text": row["text"]}
            )


def _budgets(spec: dict, *, today: date) -> None:
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    have = set(Budget.objects.filter(starts_on=start).values_list("store_id", flat=True))
    Budget.objects.bulk_create(
        [
            Budget(
                store=store,
                period=spec["period"],
                starts_on=start,
                ends_on=end,
                amount_cents=spec[f"{store.kind}_cents"],
            )
            for store in Store.objects.exclude(kind=Store.Kind.WAREHOUSE).order_by("pk")
            if store.pk not in have
        ]
    )


def _rules(
    rows: list[dict],
    *,
    items: dict[str, MarketingItem],
    campaigns: dict[str, Campaign],
    today: date,
) -> None:
    for row in rows:
        starts = _days(today, row["starts_in_days"])
        CoFundingRule.objects.update_or_create(
            name=row["name"],
            defaults={
                "percent_bp": row["percent_bp"],
                "cap_per_store_cents": row["cap_per_store_cents"],
                "item": items.get(row.get("item", "")),
                "item_kind": row.get("item_kind", ""),
                "campaign": campaigns.get(row.get("campaign", "")),
                "starts_on": starts,
                "ends_on": starts + timedelta(days=row["lasts_days"] - 1),
            },
        )


def _proof_values(store: Store, item: MarketingItem, spec: dict) -> dict[str, Any]:
    """The store's input for the item's editable fields: a product it sells (with its running
    reduction if any) and the free text of the spec."""
    artwork = current_artwork(item)
    values: dict[str, Any] = {}
    if artwork is None:
        return values
    fields = {field.key: field for field in artwork.fields.all() if field.editable}
    if "product" in fields:
        # The spec's `product: true` asks for a product the store sells at a reduced price
        # (printed with its 30-day lowest price); otherwise one at its usual price.
        choices = product_choices(store=store)
        reduced = [choice for choice in choices if choice.reduction is not None]
        usual = [choice for choice in choices if choice.reduction is None]
        ranked = (reduced + usual) if spec.get("product") else (usual + reduced)
        if ranked:
            values["product"] = {"sku": ranked[0].sku, "reduced": ranked[0].reduction is not None}
    if spec.get("message") and "message" in fields:
        values["message"] = spec["message"]
    return values


def _orders(rows: list[dict], *, items: dict[str, MarketingItem], hq: User, today: date) -> None:
    stores = {
        store.slug: store for store in Store.objects.filter(slug__in={r["store"] for r in rows})
    }
    reviewed = 0
    # A store has one cart: the lines left in it are added last, after the orders placed.
    for spec in sorted(rows, key=lambda row: row["state"] == MO.CART):
        store = stores.get(spec["store"])
        if store is None:
            continue
        item = items[spec["item"]]
        owner = User.objects.filter(email=store.email).first() or ACTOR
        artwork = current_artwork(item)
        proof = None
        if artwork is not None:
            proof = make_proof(
                store=store, artwork=artwork, values=_proof_values(store, item, spec), actor=owner
            )
        add_to_cart(
            store=store,
            item=item,
            quantity=spec["quantity"],
            proof=proof,
            options=spec.get("options"),
            actor=owner,
        )
        if spec["state"] == MO.CART:
            continue
        cart = MarketingOrder.objects.get(store=store, status=MO.CART)
        order = place_order(order=cart, actor=owner)
        state = spec["state"]
        if order.status == MO.IN_REVIEW and state not in (MO.IN_REVIEW, MO.CANCELLED):
            if state == MO.REJECTED:
                order = reject_order(order=order, reason=spec["reason"], actor=hq)
            else:
                order = approve_order(order=order, actor=hq)
            _took_hq(order, hours=REVIEW_HOURS[reviewed % len(REVIEW_HOURS)])
            reviewed += 1
        if state == MO.CANCELLED:
            order = cancel_order(order=order, actor=owner, reason="Commande en double.")
        if state in (MO.IN_PRODUCTION, MO.SHIPPED, MO.RECEIVED):
            _supplier_steps(order, shipped=state != MO.IN_PRODUCTION)
        if state == MO.RECEIVED:
            confirm_receipt(order=order, actor=owner)
        if spec.get("days_ago"):
            _move_back(order, days=spec["days_ago"])


def _supplier_steps(order: MarketingOrder, *, shipped: bool) -> None:
    for line in MarketingOrderLine.objects.filter(order=order).select_related("supplier", "order"):
        supplier = line.supplier
        if supplier is None:
            continue
        actor = supplier.users.first() or f"supplier:{supplier.pk}"
        if shipped:
            mark_shipped(
                supplier=supplier,
                line=line,
                carrier="Colissimo",
                tracking_number=f"6A{order.pk:05d}{line.pk:06d}",
                actor=actor,
            )
        else:
            mark_produced(supplier=supplier, line=line, actor=actor)


def _took_hq(order: MarketingOrder, *, hours: int) -> None:
    """HQ's review took `hours`: its placing moved back by as much (the review's events stay)."""
    placed_at = order.placed_at or timezone.now()
    MarketingOrder.objects.filter(pk=order.pk).update(placed_at=placed_at - timedelta(hours=hours))


def _move_back(order: MarketingOrder, *, days: int) -> None:
    shift = timedelta(days=days)
    order.refresh_from_db()
    MarketingOrder.objects.filter(pk=order.pk).update(placed_at=order.placed_at - shift)
    for event in MarketingOrderEvent.objects.filter(order=order):
        MarketingOrderEvent.objects.filter(pk=event.pk).update(created_at=event.created_at - shift)


def _subscriptions(rows: list[dict], *, plans: dict[str, SubscriptionPlan], today: date) -> None:
    stores = {
        store.slug: store for store in Store.objects.filter(slug__in={r["store"] for r in rows})
    }
    for spec in rows:
        store = stores.get(spec["store"])
        if store is None:
            continue
        started = _months_back(today.replace(day=1), spec.get("months_ago", 0))
        subscription, _secret = subscribe(
            store=store, plan=plans[spec["plan"]], actor=ACTOR, today=started
        )
        month = _months_back(today.replace(day=1), spec.get("months_ago", 0) - 1)
        while month <= today:
            bill_subscription(subscription=subscription, period=month, actor=ACTOR)
            month = (month + timedelta(days=32)).replace(day=1)
        generate_deliverables(subscription=subscription, today=today)


def _months_back(first: date, months: int) -> date:
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
    return first
