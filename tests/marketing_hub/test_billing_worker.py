"""Acceptance 4: the monthly billing in a real Celery worker, on PostgreSQL and Redis. A worker
killed (SIGKILL) in the middle of 60 subscriptions, then the job run again (twice), bills each
subscription exactly once for the month; the ledger balances; the payout nets the charges once."""

from __future__ import annotations

import signal
import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import connections, transaction

from marketing_hub.models import Subscription, SubscriptionCharge
from marketing_hub.tasks.subscriptions import bill_subscriptions
from payments import ledger, payouts
from payments.models import JournalEntry, Payout, PayoutPolicy
from tests.factories import StoreFactory
from tests.fulfillment.conftest import start_worker  # noqa: F401 (the fixture)
from tests.fulfillment.test_timeout_worker import backends, blocked_on_a_lock, wait_for
from tests.payments.money_helpers import book_sale, open_account

from .subscriptions_fixtures import make_plans, subscribed

pytestmark = [pytest.mark.xdist_group("celery-worker"), pytest.mark.django_db(transaction=True)]
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)
STORES = 60
FEE = 3_000 + 600  # the plan's month and its VAT


def april_charges():
    return SubscriptionCharge.objects.filter(period_start=APRIL, kind="period")


def test_a_worker_killed_in_the_middle_of_the_billing_bills_each_subscription_once_on_rerun(
    start_worker,  # noqa: F811
):
    # Given 60 stores, each owed 88,00 € from a sale and subscribed to a pack since March
    PayoutPolicy.objects.update_or_create(pk=1, defaults={"frequency": "daily"})
    plan = make_plans().gbp_basic
    subscriptions = []
    for number in range(STORES):
        store = StoreFactory(name=f"Ardoise {number:02d}")
        open_account(store)
        book_sale(store, gross=10_000, commission=1_000)  # owed 8 800
        subscriptions.append(subscribed(store, plan, on=MARCH))
    # And the 31st subscription's row held by another transaction: the job's thread that bills
    # it blocks there, the job's other threads (disjoint shares) bill theirs
    stuck = subscriptions[30]
    workers = settings.MARKETING_BILLING_WORKERS
    share = subscriptions[30 % workers :: workers]
    left_behind = share[share.index(stuck) :]
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Subscription.objects.select_for_update().get(pk=stuck.pk)
                locked.set()
                release.wait(120)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert locked.wait(10)

    # When a real worker runs April's billing and is killed while it waits on that row
    before = backends()
    worker = start_worker()
    try:
        bill_subscriptions.delay("2026-04-01")
        wait_for(blocked_on_a_lock, message="the worker to block on the 31st subscription")
        wait_for(
            lambda: april_charges().count() == STORES - len(left_behind),
            message="the other threads to bill their shares",
        )
        billed_before_the_kill = april_charges().count()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=15)
    finally:
        release.set()
        holder.join()
    wait_for(lambda: not backends() - before, message="the dead worker's connections to end")

    # Then what committed is whole: the others billed, the blocked thread's rest untouched
    assert billed_before_the_kill == STORES - len(left_behind) > STORES // 2
    assert april_charges().count() == STORES - len(left_behind)
    assert not april_charges().filter(subscription__in=left_behind).exists()
    assert JournalEntry.objects.filter(reference__contains=":2026-04.").count() == (
        STORES - len(left_behind)
    )

    # When the job runs again in a new worker (beat's next run)
    start_worker()
    bill_subscriptions.delay("2026-04-01")
    wait_for(lambda: april_charges().count() == STORES, message="the rerun to bill the rest")
    bill_subscriptions.apply(args=["2026-04-01"])  # and once more, here

    # Then each subscription is billed exactly once for April, in the ledger too
    for subscription in subscriptions:
        assert april_charges().filter(subscription=subscription).count() == 1
        reference = f"marketing:subscription:{subscription.pk}:2026-04.1"
        assert JournalEntry.objects.filter(reference=reference).count() == 1
    assert april_charges().count() == STORES
    assert ledger.unbalanced_entries() == []
    assert sum(ledger.trial_balance().values()) == 0

    # And each store's payout nets its two months of the pack exactly once
    payouts.run_payouts(force=True)
    payouts.run_payouts(force=True)
    assert Payout.objects.count() == STORES
    for subscription in subscriptions:
        payout = Payout.objects.get(store=subscription.store)
        assert payout.amount_cents == 8_800 - 2 * FEE
        assert ledger.store_balance_cents(subscription.store) == 0
