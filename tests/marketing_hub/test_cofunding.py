"""HQ's co-funding: the best applicable rule (item, kind of item or campaign, within its dates)
pays its percent of the line up to what is left of its cap for the store and period; the cap is
never exceeded, even under concurrency; given back on reject."""

from __future__ import annotations

from datetime import date

import pytest

from marketing_hub.models import CoFundingUsage, MarketingItem, MarketingOrder
from marketing_hub.services import approval, orders
from marketing_hub.services.budgets import cofunding_for

from .order_helpers import (
    make_campaign,
    make_item,
    make_proof,
    make_rule,
    make_supplier,
    placed_order,
)
from .test_budgets import run_concurrently

MO = MarketingOrder.Status
ON = date.today()  # noqa: DTZ011


@pytest.mark.django_db
def test_the_rule_that_pays_most_applies_by_item_kind_or_campaign(lyon_store):
    campaign = make_campaign()
    flyer = make_item(campaign=campaign)
    make_rule(item_kind=MarketingItem.Kind.PRINT, percent_bp=2000, name="Print")
    best = make_rule(campaign=campaign, percent_bp=5000, name="Printemps")
    make_rule(item=make_item("OTHER"), percent_bp=9000, name="Another item")

    cofunding = cofunding_for(store=lyon_store, item=flyer, amount_cents=10_000, on=ON)

    assert (cofunding.rule, cofunding.hq_share_cents) == (best, 5_000)


@pytest.mark.django_db
def test_a_rule_outside_its_dates_or_inactive_pays_nothing(lyon_store):
    flyer = make_item()
    make_rule(item=flyer, percent_bp=5000)

    assert (
        cofunding_for(
            store=lyon_store, item=flyer, amount_cents=10_000, on=date(ON.year + 5, 1, 1)
        ).rule
        is None
    )
    flyer.cofunding_rules.update(is_active=False)
    assert cofunding_for(store=lyon_store, item=flyer, amount_cents=10_000, on=ON).rule is None


@pytest.mark.django_db
def test_hq_pays_up_to_what_is_left_of_the_cap(lyon_store, lyon_owner):
    flyer = make_item(supplier=make_supplier())
    rule = make_rule(item=flyer, percent_bp=5000, cap_cents=3_000)

    first = placed_order(lyon_store, lyon_owner, flyer, quantity=1_000)  # 99 €: HQ 30 € (cap)
    second = placed_order(lyon_store, lyon_owner, flyer)  # nothing left

    assert (first.hq_share_cents, first.store_share_cents) == (3_000, 6_900)
    assert (second.hq_share_cents, second.store_share_cents) == (0, 3_900)
    assert CoFundingUsage.objects.get(rule=rule, store=lyon_store).used_cents == 3_000


@pytest.mark.django_db
def test_a_rejected_order_gives_its_cofunding_back(lyon_store, lyon_owner, hq_admin):
    flyer = make_item(always_review=True)
    rule = make_rule(item=flyer, percent_bp=5000, cap_cents=10_000)
    order = placed_order(lyon_store, lyon_owner, flyer)

    approval.reject_order(order=order, reason="Hors charte", actor=hq_admin)

    assert CoFundingUsage.objects.get(rule=rule, store=lyon_store).used_cents == 0


@pytest.mark.django_db(transaction=True)
def test_a_cofunding_cap_is_never_exceeded_under_concurrent_orders(lyon_store, lyon_owner):
    # HQ pays half of each 39 € order, up to 50 € for the store: 2 full shares and a part
    flyer = make_item(supplier=make_supplier())
    rule = make_rule(item=flyer, percent_bp=5000, cap_cents=5_000)
    drafts = [
        orders.draft_order(
            store=lyon_store,
            lines=[
                orders.LineRequest(item=flyer, quantity=250, proof=make_proof(lyon_store, flyer))
            ],
            actor=lyon_owner,
        )
        for _ in range(12)
    ]

    results = run_concurrently(12, lambda i: orders.place_order(order=drafts[i], actor=lyon_owner))

    assert all(isinstance(r, MarketingOrder) for r in results), results
    usage = CoFundingUsage.objects.get(rule=rule, store=lyon_store)
    assert usage.used_cents == 5_000
    placed = MarketingOrder.objects.exclude(status=MO.CART)
    assert sum(order.hq_share_cents for order in placed) == 5_000
    assert all(o.hq_share_cents + o.store_share_cents == 3_900 for o in placed)
