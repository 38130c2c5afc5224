"""`load_demo` fills the marketing hub so that its pages have something to show: at least twelve
items with the project's artwork, three digital-pack plans, a budget for every store and HQ's
co-funding rules, orders in every state made through the hub's services, subscriptions with
their deliverables, and a supplier login that sees its lines; a second run changes nothing."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from demo.network import network
from marketing_hub.models import (
    Budget,
    CoFundingRule,
    Deliverable,
    MarketingItem,
    MarketingOrder,
    MarketingOrderLine,
    Subscription,
    SubscriptionPlan,
    Supplier,
)
from stores.models import Store

MO = MarketingOrder.Status


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_the_marketing_catalogue_budgets_and_rules(db):
    load_demo()

    items = MarketingItem.objects.all()
    assert items.count() >= 12
    made = items.exclude(kind=MarketingItem.Kind.DIGITAL_PACK)
    assert {item.print_format for item in made} >= {"flyer", "poster", "plv", "rollup"}
    for item in made:
        artwork = item.artworks.get(is_current=True)
        assert artwork.fields.exists(), item.reference
        assert item.pictures.exists(), item.reference
        assert item.tiers.exists(), item.reference
    assert any(item.options for item in items.filter(kind=MarketingItem.Kind.GOODIES))
    assert SubscriptionPlan.objects.count() == 3
    stores = Store.objects.exclude(kind=Store.Kind.WAREHOUSE)
    assert Budget.objects.filter(store__in=stores).values("store").distinct().count() == (
        stores.count()
    )
    assert CoFundingRule.objects.filter(is_active=True).count() >= 3


def test_the_demo_has_orders_in_every_state_and_subscriptions_with_deliverables(db):
    output = load_demo()

    states = set(MarketingOrder.objects.values_list("status", flat=True))
    # "placed" lasts no longer than the placing: the approval rules move an order on at once.
    assert states >= {
        MO.CART, MO.IN_REVIEW, MO.APPROVED, MO.IN_PRODUCTION, MO.SHIPPED, MO.RECEIVED,
        MO.CANCELLED, MO.REJECTED,
    }  # fmt: skip
    approved = MarketingOrderLine.objects.filter(status__in=["approved", "shipped", "received"])
    assert all(line.invoice_id for line in approved)  # charged through payments
    assert Subscription.objects.count() >= 2
    assert Deliverable.objects.exists()
    supplier = Supplier.objects.get(users__email="imprimerie@ardoise.example")
    assert supplier.lines.exists()
    assert "imprimerie@ardoise.example" in output


def test_the_demo_pages_show_the_marketing(client, db):
    load_demo()
    owner = Store.objects.get(slug=network().orders_store)

    client.force_login(owner.memberships.get().user)
    overview = client.get(reverse("backoffice:marketing", args=[owner.slug]))

    assert overview.status_code == 200
    assert overview.context["overview"].budget is not None
    assert len(overview.context["overview"].latest_orders) >= 6
    assert overview.context["overview"].subscriptions


def test_loading_the_demo_again_changes_no_marketing_row(db):
    load_demo()
    counts = [
        model.objects.count()
        for model in (MarketingItem, MarketingOrder, MarketingOrderLine, Budget, Subscription)
    ]

    load_demo()

    assert counts == [
        model.objects.count()
        for model in (MarketingItem, MarketingOrder, MarketingOrderLine, Budget, Subscription)
    ]
