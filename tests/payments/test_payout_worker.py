"""Acceptance: the payout job in a real Celery worker, on PostgreSQL and Redis. Running it
twice, or killing the worker (SIGKILL) half-way and running it again, pays each store exactly
once: one payout, one ledger entry, one message to the provider per store."""

from __future__ import annotations

import signal
import threading

import pytest
from django.db import connections, transaction

from network_marketplace.models import OutboxMessage
from payments import ledger, tasks
from payments.models import JournalEntry, PaymentAccount, Payout, PayoutPolicy
from tests.factories import StoreFactory
from tests.fulfillment.conftest import start_worker  # noqa: F401 (the fixture)
from tests.fulfillment.test_timeout_worker import backends, blocked_on_a_lock, wait_for

from .money_helpers import book_sale, open_account

pytestmark = [pytest.mark.xdist_group("celery-worker"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_stores_to_pay(transactional_db):
    PayoutPolicy.objects.update_or_create(pk=1, defaults={"frequency": "daily"})
    stores = [StoreFactory(name=f"Ardoise {city}") for city in ("Lyon", "Paris", "Nantes")]
    for index, store in enumerate(stores, start=1):
        open_account(store)
        book_sale(store, gross=10_000 * index, commission=1_000 * index)
    return stores


def paid_exactly_once(stores) -> None:
    for store in stores:
        payouts = list(Payout.objects.filter(store=store))
        assert len(payouts) == 1, store
        payout = payouts[0]
        assert payout.status == Payout.Status.PAID
        assert JournalEntry.objects.filter(reference__startswith=f"payout:{payout.pk}").count() == 1
        assert OutboxMessage.objects.filter(dedupe_key=f"payout:{payout.pk}").count() == 1
        assert ledger.store_balance_cents(store) == 0
    keys = list(Payout.objects.values_list("idempotency_key", flat=True))
    assert len(set(keys)) == len(stores)
    assert sum(ledger.trial_balance().values()) == 0


def test_running_the_payout_job_twice_in_a_real_worker_pays_each_store_once(
    three_stores_to_pay,
    start_worker,  # noqa: F811
):
    start_worker()

    tasks.run_scheduled_payouts.delay()
    wait_for(
        lambda: Payout.objects.filter(status=Payout.Status.PAID).count() == 3,
        message="the first run's payouts",
    )
    tasks.run_scheduled_payouts.delay()
    tasks.run_scheduled_payouts.delay()
    wait_for(
        lambda: OutboxMessage.objects.filter(kind="payments.payout", status="sent").count() == 3,
        message="the outbox to settle",
    )

    paid_exactly_once(three_stores_to_pay)


def test_a_worker_killed_in_the_middle_of_the_payout_job_pays_each_store_once_after_a_rerun(
    three_stores_to_pay,
    start_worker,  # noqa: F811
):
    lyon, paris, nantes = three_stores_to_pay
    # Given the Paris store's account row held by another transaction: the job will block
    # there, after Lyon's payout committed
    locked, release = threading.Event(), threading.Event()

    def provider_sync_holding_the_paris_account():
        try:
            with transaction.atomic():
                PaymentAccount.objects.select_for_update().get(store=paris)
                locked.set()
                release.wait(120)
        finally:
            connections.close_all()

    holder = threading.Thread(target=provider_sync_holding_the_paris_account)
    holder.start()
    locked.wait(10)

    # When a real worker runs the payout job and is killed while it waits on that row
    before = backends()
    worker = start_worker()
    try:
        tasks.run_scheduled_payouts.delay()
        wait_for(blocked_on_a_lock, message="the worker to block on the Paris account")
        paid_before_the_kill = list(Payout.objects.values_list("store_id", flat=True))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=15)
    finally:
        release.set()
        holder.join()
    wait_for(lambda: not backends() - before, message="the dead worker's connections to end")

    # Then Lyon's payout is whole (row, entry, message) and nobody else was touched
    assert paid_before_the_kill == [lyon.pk]
    assert list(Payout.objects.values_list("store_id", flat=True)) == [lyon.pk]
    payout = Payout.objects.get()
    assert JournalEntry.objects.filter(reference=f"payout:{payout.pk}").count() == 1
    assert OutboxMessage.objects.filter(dedupe_key=f"payout:{payout.pk}").count() == 1
    assert ledger.store_balance_cents(paris) == 17_600
    assert ledger.store_balance_cents(nantes) == 26_400

    # When the job runs again in a new worker (beat's next run), then once more
    start_worker()
    tasks.run_scheduled_payouts.delay()
    wait_for(
        lambda: Payout.objects.filter(status=Payout.Status.PAID).count() == 3,
        message="the rerun's payouts",
    )
    tasks.run_scheduled_payouts.delay()
    wait_for(
        lambda: OutboxMessage.objects.filter(kind="payments.payout", status="sent").count() == 3,
        message="the outbox to settle",
    )

    # Then every store was paid exactly once
    paid_exactly_once(three_stores_to_pay)
