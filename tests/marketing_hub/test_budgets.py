"""Budgets: the budget covering a date, consumed atomically at placing, given back on reject or
cancel; 20 concurrent orders against a budget that covers 5 place exactly 5 (acceptance 3)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from marketing_hub.models import Budget, BudgetMovement, MarketingOrder
from marketing_hub.services import approval, orders
from marketing_hub.services.budgets import OverBudget, budget_for

from .order_helpers import (
    YEAR_START,
    make_budget,
    make_item,
    make_proof,
    make_supplier,
    placed_order,
)

MO = MarketingOrder.Status


def run_concurrently(count: int, work) -> list:
    """Run `work(index)` in `count` threads released together, each with its own connection;
    returns what each returned or raised."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


@pytest.mark.django_db
def test_the_budget_of_a_date_is_the_tightest_period_covering_it(lyon_store):
    year = make_budget(lyon_store, 100_000)
    next_year = YEAR_START.year + 1
    quarter = make_budget(
        lyon_store, 20_000, starts_on=date(next_year, 4, 1), ends_on=date(next_year, 6, 30)
    )
    quarter.period = Budget.Period.QUARTER
    quarter.save()

    assert budget_for(store=lyon_store, on=date(next_year, 5, 2)) == quarter
    assert budget_for(store=lyon_store, on=date(next_year, 8, 2)) == year
    assert budget_for(store=lyon_store, on=date(next_year + 3, 1, 1)) is None


@pytest.mark.django_db
def test_rejecting_an_order_gives_its_budget_back(lyon_store, lyon_owner, hq_admin):
    budget = make_budget(lyon_store, 50_000)
    flyer = make_item(always_review=True)
    order = placed_order(lyon_store, lyon_owner, flyer)
    budget.refresh_from_db()
    assert (order.status, budget.spent_cents) == (MO.IN_REVIEW, 3_900)

    approval.reject_order(order=order, reason="Logo trop petit", actor=hq_admin)

    budget.refresh_from_db()
    assert budget.spent_cents == 0
    assert list(BudgetMovement.objects.values_list("kind", "amount_cents")) == [
        (BudgetMovement.Kind.CONSUMED, 3_900),
        (BudgetMovement.Kind.RELEASED, 3_900),
    ]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_orders_against_a_budget_covering_five_place_exactly_five(
    lyon_store, lyon_owner
):
    # Given a budget of 5 flyer orders and 20 orders drafted through the API
    flyer = make_item(supplier=make_supplier())
    budget = make_budget(lyon_store, 5 * 3_900 + 100)
    drafts = [
        orders.draft_order(
            store=lyon_store,
            lines=[
                orders.LineRequest(item=flyer, quantity=250, proof=make_proof(lyon_store, flyer))
            ],
            actor=lyon_owner,
        )
        for _ in range(20)
    ]

    # When the 20 are placed at once
    results = run_concurrently(20, lambda i: orders.place_order(order=drafts[i], actor=lyon_owner))

    # Then exactly 5 are placed, 15 refused as over budget, and the budget is never overspent
    placed = [r for r in results if isinstance(r, MarketingOrder)]
    refused = [r for r in results if isinstance(r, OverBudget)]
    assert (len(placed), len(refused)) == (5, 15), results
    budget.refresh_from_db()
    assert budget.spent_cents == 5 * 3_900
    assert MarketingOrder.objects.exclude(status=MO.CART).count() == 5
    assert BudgetMovement.objects.count() == 5
    assert len({order.number for order in placed}) == 5
