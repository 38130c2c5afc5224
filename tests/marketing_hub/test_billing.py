"""The monthly billing of the digital packs: each live subscription billed once per month,
whatever runs it (the beat job twice, two runs at once), through the ledger; the store's payout
nets the charges once."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from marketing_hub.models import Subscription, SubscriptionCharge
from marketing_hub.services.billing import billable_subscriptions, run_billing
from marketing_hub.services.subscriptions import cancel_subscription, pause_subscription
from marketing_hub.tasks.subscriptions import bill_subscriptions
from payments import ledger, payouts
from payments.models import JournalEntry, Payout, PayoutPolicy
from tests.factories import StoreFactory
from tests.payments.money_helpers import book_sale, open_account

from .subscriptions_fixtures import make_plans, subscribed

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


@pytest.fixture
def plans(db):
    return make_plans()


def april_charges() -> list[tuple[int, int]]:
    return sorted(
        SubscriptionCharge.objects.filter(period_start=APRIL).values_list(
            "subscription_id", "amount_excl_vat_cents"
        )
    )


@pytest.mark.django_db(transaction=True)  # the job bills in threads, each its own connection
def test_the_monthly_job_run_twice_bills_each_live_subscription_once(plans):
    stores = [StoreFactory() for _ in range(4)]
    active = subscribed(stores[0], plans.gbp_basic, on=MARCH)
    other_pack = subscribed(stores[0], plans.social_posts, on=MARCH)
    paused = subscribed(stores[1], plans.social_posts, on=MARCH)
    pause_subscription(subscription=paused, actor="test", today=date(2026, 3, 20))
    ending = subscribed(stores[2], plans.gbp_basic, on=MARCH)
    cancel_subscription(subscription=ending, actor="test", today=date(2026, 3, 16))  # ends 15/4
    late = subscribed(stores[3], plans.gbp_plus, on=date(2026, 3, 31))

    bill_subscriptions.delay("2026-04-01")
    bill_subscriptions.delay("2026-04-01")

    assert april_charges() == [
        (active.pk, 3_000), (other_pack.pk, 4_500), (ending.pk, 1_400), (late.pk, 6_200),
    ]  # fmt: skip
    for subscription in (active, other_pack, ending, late):
        reference = f"marketing:subscription:{subscription.pk}:2026-04.1"
        assert JournalEntry.objects.filter(reference=reference).count() == 1
    assert not billable_subscriptions(APRIL).exists()
    assert ledger.unbalanced_entries() == []
    assert sum(ledger.trial_balance().values()) == 0


@pytest.mark.django_db(transaction=True)
def test_two_billing_runs_at_once_bill_each_subscription_once(plans):
    subscriptions = [subscribed(StoreFactory(), plans.gbp_basic, on=MARCH) for _ in range(12)]
    barrier = threading.Barrier(2)
    reports = []

    def run():
        try:
            barrier.wait(5)
            reports.append(run_billing(period=APRIL))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    billed = [pk for report in reports for pk in report.billed]
    assert sorted(billed) == sorted(s.pk for s in subscriptions)
    assert all(not r.failed for r in reports)
    assert len(april_charges()) == 12
    assert JournalEntry.objects.filter(reference__contains=":2026-04.").count() == 12


@pytest.mark.django_db
def test_the_payout_nets_the_packs_charges_exactly_once(plans):
    PayoutPolicy.objects.update_or_create(pk=1, defaults={"frequency": "daily"})
    store = StoreFactory(name="Ardoise Annecy")
    open_account(store)
    book_sale(store, gross=50_000, commission=5_000)  # the store is owed 44 000
    subscribed(store, plans.gbp_basic, on=MARCH)  # 30,00 + VAT
    subscribed(store, plans.local_ads, on=MARCH)  # 99,00 + VAT
    run_billing(period=APRIL)
    run_billing(period=APRIL)

    charged = 2 * (3_000 + 600 + 9_900 + 1_980)
    assert ledger.store_balance_cents(store) == 44_000 - charged
    payouts.run_payouts(force=True)
    payouts.run_payouts(force=True)

    payout = Payout.objects.get(store=store)
    assert payout.amount_cents == 44_000 - charged
    assert ledger.store_balance_cents(store) == 0
    assert Subscription.objects.filter(store=store).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_billing_command_bills_a_month_once_and_refuses_a_bad_month(plans):
    subscribed(StoreFactory(), plans.gbp_basic, on=MARCH)
    out = io.StringIO()

    call_command("bill_subscriptions", "--period", "2026-04", stdout=out)
    call_command("bill_subscriptions", "--period", "2026-04", stdout=out)

    assert out.getvalue().splitlines() == [
        "2026-04: 1 billed, 0 skipped, 0 failed",
        "2026-04: 0 billed, 0 skipped, 0 failed",
    ]
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("bill_subscriptions", "--period", "avril")
