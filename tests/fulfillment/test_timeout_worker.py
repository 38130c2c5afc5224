"""Acceptance: the timeout job in a real Celery worker, on PostgreSQL and Redis. A worker
killed (SIGKILL) in the middle of the job leaves nothing half-done, and running the job again
finishes the work exactly once: no duplicate fulfilment, hold, e-mail, refund or event."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from fulfillment import services, tasks
from fulfillment.models import Fulfilment, FulfilmentEvent
from network_marketplace.models import OutboxMessage, WebhookDelivery
from network_marketplace.webhooks import create_endpoint
from orders.models import Order, OrderEvent
from payments.models import Refund
from stores.models import Reservation, StockLevel
from tests.factories import StockLevelFactory, VariantFactory

from .conftest import click_and_collect, home, order_for

pytestmark = [pytest.mark.xdist_group("celery-worker"), pytest.mark.django_db(transaction=True)]
S = Fulfilment.Status


def wait_for(condition, timeout=60.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {message}")


def blocked_on_a_lock() -> bool:
    """A backend of this test database is waiting on a row lock (the worker, on ours)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def backends() -> set[int]:
    """The connections to this test database other than the test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def test_a_store_that_does_not_accept_in_time_loses_the_fulfilment_in_a_real_worker(
    network, start_worker
):
    for other in (network.villeurbanne, network.caluire):
        network.stock(other).delete()
    order = order_for(home(network.secateur))
    late = order.fulfilments.get()
    Fulfilment.objects.filter(pk=late.pk).update(accept_deadline=timezone.now())
    start_worker()

    tasks.time_out_overdue_fulfilments.delay()

    wait_for(lambda: order.fulfilments.count() == 2, message="the re-route")
    new = order.fulfilments.get(status=S.AWAITING_ACCEPTANCE)
    assert new.store == network.lyon
    assert Fulfilment.objects.get(pk=late.pk).status == S.TIMED_OUT
    assert Reservation.objects.get(holder=f"fulfilment:{new.pk}").status == "active"


def test_a_worker_killed_in_the_middle_of_the_timeout_job_leaves_nothing_half_done(
    network, start_worker, hq_admin
):
    # Given three orders whose stores let the deadline pass: two parcels of the warehouse
    # (the Lyon store can take them over) and a click & collect in Lyon (to be cancelled)
    create_endpoint(
        store=None, url="https://erp.example.com/hooks", event_types=["*"],
        description="ERP", actor=hq_admin,
    )  # fmt: skip
    for other in (network.villeurbanne, network.caluire):
        network.stock(other).delete()
    rake, trowel = VariantFactory(rrp_cents=1990), VariantFactory(rrp_cents=990)
    for variant in (rake, trowel):
        StockLevelFactory(store=network.warehouse, variant=variant, on_hand=5, price_cents=990)
        StockLevelFactory(store=network.lyon, variant=variant, on_hand=5, price_cents=990)
    orders = [
        order_for(home(network.secateur)),
        order_for(home(rake)),
        order_for(click_and_collect(trowel, network.lyon)),
    ]
    late = [order.fulfilments.get() for order in orders]
    now = timezone.now()
    for minutes, fulfilment in zip((3, 2, 1), late, strict=True):
        Fulfilment.objects.filter(pk=fulfilment.pk).update(
            accept_deadline=now - timedelta(minutes=minutes)
        )
    # And the Lyon store's rake row held by another transaction: the job will block there,
    # in the middle of the second order, after the first one committed
    locked, release = threading.Event(), threading.Event()

    def till_counting_the_rakes():
        try:
            with transaction.atomic():
                StockLevel.objects.select_for_update().get(store=network.lyon, variant=rake)
                locked.set()
                release.wait(120)
        finally:
            connections.close_all()

    holder = threading.Thread(target=till_counting_the_rakes)
    holder.start()
    locked.wait(10)

    # When a real worker runs the timeout job and is killed while it waits on that row
    before = backends()
    worker = start_worker()
    try:
        tasks.time_out_overdue_fulfilments.delay()
        wait_for(blocked_on_a_lock, message="the worker to block on the rake row")
        first_done = Fulfilment.objects.get(pk=late[0].pk).status
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=15)
    finally:
        release.set()
        holder.join()
    # PostgreSQL rolls the dead worker's transaction back once it sees its connection gone
    wait_for(lambda: not backends() - before, message="the dead worker's connections to end")

    # Then what committed is whole, and the rest untouched
    assert first_done == S.TIMED_OUT
    assert Fulfilment.objects.get(pk=late[1].pk).status == S.AWAITING_ACCEPTANCE
    assert Fulfilment.objects.get(pk=late[2].pk).status == S.AWAITING_ACCEPTANCE
    assert orders[0].fulfilments.count() == 2
    assert orders[1].fulfilments.count() == 1
    assert not FulfilmentEvent.objects.filter(fulfilment_id=late[1].pk).exists()
    assert len(Order.objects.get(pk=orders[1].pk).routing_log) == 1

    # When the job runs again in a new worker (beat's next run), then once more
    start_worker()
    tasks.time_out_overdue_fulfilments.delay()
    wait_for(
        lambda: (
            Fulfilment.objects.filter(pk__in=[f.pk for f in late], status=S.TIMED_OUT).count() == 3
        ),
        message="the second run",
    )
    assert services.time_out_overdue_fulfilments() == 0

    # Then every order was handled exactly once
    for order, fulfilment in zip(orders[:2], late[:2], strict=True):
        order.refresh_from_db()
        assert [entry["reason"] for entry in order.routing_log] == ["placed", "timed_out"]
        new = order.fulfilments.exclude(pk=fulfilment.pk).get()
        assert (new.store, new.status) == (network.lyon, S.AWAITING_ACCEPTANCE)
        assert Reservation.objects.filter(holder=f"fulfilment:{new.pk}").count() == 1
    cancelled = Order.objects.get(pk=orders[2].pk)
    assert cancelled.status == Order.Status.CANCELLED
    assert cancelled.fulfilments.count() == 1
    assert OrderEvent.objects.filter(order=cancelled, to_status="cancelled").count() == 1
    assert Refund.objects.filter(order=cancelled).count() == 1
    assert (
        OutboxMessage.objects.filter(kind="email", payload__template="order_lines_cancelled")
        .count() == 1
    )  # fmt: skip
    assert Counter(
        FulfilmentEvent.objects.filter(fulfilment__in=late).values_list("to_status", flat=True)
    ) == {S.TIMED_OUT: 3}
    assert WebhookDelivery.objects.filter(event_type="fulfillment.timed_out").count() == 3
    assert WebhookDelivery.objects.filter(event_type="fulfillment.created").count() == 3 + 2
    # And the stock adds up: each row's reserved units are its active holds
    for level in StockLevel.objects.all():
        held = sum(
            Reservation.objects.filter(
                store=level.store, variant=level.variant, status="active"
            ).values_list("quantity", flat=True)
        )
        assert level.reserved == held, level
