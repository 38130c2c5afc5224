"""The Marketing overview of a store's back-office: its budget and what is left, the co-funding
still offered under each running rule, the campaigns running, its latest orders with their
states and its digital packs; never another store's; a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketing_hub.models import CoFundingUsage, MarketingOrder, Subscription, SubscriptionPlan
from marketing_hub.selectors.overview import cofunding_left, marketing_overview

from . import m4_data as data

TODAY = timezone.localdate()


@pytest.fixture
def lyon_marketing(lyon_store, paris_store):
    data.budget(lyon_store, amount=120_000, spent=30_000)
    data.budget(paris_store, amount=999_900, spent=0)
    spring = data.campaign("Printemps au jardin 2027")
    data.campaign("Noël 2025", start=TODAY - timedelta(days=400), end=TODAY - timedelta(days=300))
    flyer = data.item(name="Flyer A5 Printemps", campaign=spring)
    rule = data.rule(name="Printemps co-financé", percent_bp=5_000, cap=40_000, campaign=spring)
    CoFundingUsage.objects.create(
        rule=rule, store=lyon_store, period_start=rule.starts_on, cap_cents=40_000, used_cents=15000
    )
    CoFundingUsage.objects.create(
        rule=rule, store=paris_store, period_start=rule.starts_on, cap_cents=40_000, used_cents=1
    )
    data.order(lyon_store, status=MarketingOrder.Status.IN_REVIEW, lines=[(flyer, 3_900, 3_900)])
    data.order(lyon_store, status=MarketingOrder.Status.RECEIVED, lines=[(flyer, 2_000, 0)])
    data.order(paris_store, status=MarketingOrder.Status.SHIPPED, lines=[(flyer, 7_777, 0)])
    plan = SubscriptionPlan.objects.create(
        code="gbp", name="Fiche Google gérée", pack=SubscriptionPlan.Pack.GBP, price_cents=4_900
    )
    Subscription.objects.create(store=lyon_store, plan=plan, started_on=TODAY.replace(day=1))
    return lyon_store


def test_the_overview_shows_the_budget_left_and_the_cofunding_left(lyon_marketing):
    overview = marketing_overview(store=lyon_marketing)

    assert overview.budget is not None
    assert (overview.budget.amount_cents, overview.budget.spent_cents) == (120_000, 30_000)
    assert overview.budget.left_cents == 90_000
    assert overview.budget.percent_spent == 25
    [cofunding] = overview.cofunding
    assert (cofunding.cap_cents, cofunding.used_cents, cofunding.left_cents) == (
        40_000,
        15_000,
        25_000,
    )
    assert cofunding.percent == 50


def test_a_store_that_has_not_used_a_rule_has_its_whole_cap(lyon_store):
    data.rule(name="Goodies", cap=12_000)

    [row] = cofunding_left(store=lyon_store, on=TODAY)

    assert (row.cap_cents, row.used_cents, row.left_cents) == (12_000, 0, 12_000)


def test_rules_and_campaigns_outside_their_dates_are_not_shown(lyon_store):
    data.rule(starts_on=TODAY - timedelta(days=60), ends_on=TODAY - timedelta(days=1))
    data.rule(name="inactive", is_active=False)
    data.campaign("Rentrée", start=TODAY + timedelta(days=5), end=TODAY + timedelta(days=30))

    overview = marketing_overview(store=lyon_store)

    assert overview.cofunding == []
    assert overview.campaigns == []
    assert overview.budget is None


def test_the_overview_lists_only_the_stores_own_orders_with_their_states(lyon_marketing):
    overview = marketing_overview(store=lyon_marketing)

    assert [order.status for order in overview.latest_orders] == ["received", "in_review"]
    assert overview.waiting_orders == 1
    assert overview.in_review_orders == 1
    assert [campaign.name for campaign in overview.campaigns] == ["Printemps au jardin 2027"]
    assert [s.plan.code for s in overview.subscriptions] == ["gbp"]


def test_the_overview_page_shows_the_stores_marketing(client, lyon_marketing, lyon_owner):
    client.force_login(lyon_owner)

    page = client.get(reverse("backoffice:marketing", args=[lyon_marketing.slug]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "900,00\u00a0€" in html  # left of the budget
    assert "250,00\u00a0€" in html  # co-funding left
    assert "Printemps au jardin 2027" in html
    assert "En validation" in html
    assert "Fiche Google gérée" in html
    for name in ("catalogue", "cart", "orders", "subscriptions", "store-images"):
        assert reverse(f"backoffice:marketing-{name}", args=[lyon_marketing.slug]) in html
    assert reverse("backoffice:money-invoices", args=[lyon_marketing.slug]) in html
    assert "77,77" not in html  # Paris's order
    assert "999,00" not in html  # Paris's budget


def test_another_stores_overview_is_a_404(client, lyon_marketing, paris_owner):
    client.force_login(paris_owner)

    page = client.get(reverse("backoffice:marketing", args=[lyon_marketing.slug]))

    assert page.status_code == 404


def test_the_overview_page_stays_within_a_fixed_number_of_queries(
    client, lyon_marketing, lyon_owner, django_assert_max_num_queries
):
    flyer = data.item(name="Encore un flyer")
    for _ in range(15):
        data.order(lyon_marketing, lines=[(flyer, 1_000, 0), (flyer, 500, 0)])
    client.force_login(lyon_owner)

    with django_assert_max_num_queries(25):
        page = client.get(reverse("backoffice:marketing", args=[lyon_marketing.slug]))

    assert page.status_code == 200


def test_the_cart_shows_its_lines_total_before_it_is_placed(lyon_store):
    flyer = data.item(price=3_900)
    cart = MarketingOrder.objects.create(store=lyon_store)
    for _ in range(2):
        cart.lines.create(
            item=flyer, item_reference=flyer.reference, item_name=flyer.name, quantity=250,
            price_cents=3_900, vat_rate_bp=2000, store_share_cents=3_900,
        )  # fmt: skip

    overview = marketing_overview(store=lyon_store)

    assert (overview.cart_lines, overview.cart_total_cents) == (2, 7_800)
