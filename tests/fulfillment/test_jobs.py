"""The beat jobs: fulfilments not accepted in time go to the next candidate, click & collect
orders not collected are cancelled and refunded, reservations end with their hold and their
customer is reminded once before."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app as celery_app
from fulfillment import services, tasks
from fulfillment.models import Fulfilment
from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from orders.models import Order
from payments.models import Refund
from stores.models import Reservation

from .conftest import click_and_collect, emails_sent, home, order_for, reserve_and_collect

S = Fulfilment.Status


def overdue(fulfilment, minutes=1):
    Fulfilment.objects.filter(pk=fulfilment.pk).update(
        accept_deadline=timezone.now() - timedelta(minutes=minutes)
    )


def ready(fulfilment, actor="store"):
    accept_fulfilment(fulfilment=fulfilment, actor=actor)
    mark_picked(fulfilment=fulfilment, actor=actor)
    result = mark_ready_for_pickup(fulfilment=fulfilment, actor=actor)
    return result.fulfilment


def test_a_store_that_does_not_accept_in_time_loses_the_fulfilment_to_the_next_candidate(
    network,
):
    # Given a parcel routed to the warehouse, which lets the deadline pass
    for other in (network.villeurbanne, network.caluire):
        network.stock(other).delete()
    order = order_for(home(network.secateur))
    late = order.fulfilments.get()
    overdue(late)

    # When the beat job runs (twice: a repeat changes nothing)
    tasks.time_out_overdue_fulfilments.apply(throw=True)
    tasks.time_out_overdue_fulfilments.apply(throw=True)

    # Then the warehouse's fulfilment timed out and the Lyon store has it, with the stock held
    late.refresh_from_db()
    assert late.status == S.TIMED_OUT
    new = order.fulfilments.get(status=S.AWAITING_ACCEPTANCE)
    assert new.store == network.lyon
    assert new.accept_deadline > timezone.now()
    assert network.stock(network.lyon).reserved == 1
    assert network.stock(network.warehouse).reserved == 0
    order.refresh_from_db()
    assert [entry["reason"] for entry in order.routing_log] == ["placed", "timed_out"]
    assert order.fulfilments.count() == 2


def test_a_fulfilment_still_before_its_deadline_is_left_alone(network):
    order = order_for(home(network.secateur))

    assert services.time_out_overdue_fulfilments() == 0

    assert order.fulfilments.get().status == S.AWAITING_ACCEPTANCE


def test_a_click_and_collect_not_accepted_in_time_is_cancelled_and_refunded(network):
    order = order_for(click_and_collect(network.secateur, network.lyon, 2))
    overdue(order.fulfilments.get())

    services.time_out_overdue_fulfilments()

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.fulfilments.count() == 1
    assert Refund.objects.get().amount_cents == 2 * 2990
    (email,) = emails_sent("order_lines_cancelled")
    assert email.payload["context"]["why"] == "pickup_not_confirmed"


@pytest.mark.django_db(transaction=True)
def test_the_timeout_job_skips_a_fulfilment_a_store_is_accepting_right_now(network):
    # Given two overdue fulfilments, one of them locked by a store's transaction in progress
    busy = order_for(click_and_collect(network.secateur, network.lyon)).fulfilments.get()
    free = order_for(click_and_collect(network.secateur, network.villeurbanne)).fulfilments.get()
    overdue(busy)
    overdue(free)
    locked, release = threading.Event(), threading.Event()

    def store_accepting():
        try:
            with transaction.atomic():
                Fulfilment.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=store_accepting)
    thread.start()
    locked.wait(10)

    # When the job runs meanwhile
    try:
        moved = services.time_out_overdue_fulfilments()
    finally:
        release.set()
        thread.join()

    # Then it did not wait for the lock: the free one timed out, the busy one is for next time
    assert moved == 1
    assert Fulfilment.objects.get(pk=free.pk).status == S.TIMED_OUT
    assert Fulfilment.objects.get(pk=busy.pk).status == S.AWAITING_ACCEPTANCE
    assert services.time_out_overdue_fulfilments() == 1


def test_an_uncollected_click_and_collect_is_cancelled_refunded_and_its_stock_released(network):
    order = order_for(click_and_collect(network.secateur, network.lyon, 2))
    fulfilment = ready(order.fulfilments.get())
    assert fulfilment.collect_before == fulfilment.ready_at + timedelta(days=5)
    on_hand = network.stock(network.lyon).on_hand

    moved = services.expire_uncollected_fulfilments(now=fulfilment.collect_before)
    again = services.expire_uncollected_fulfilments(now=fulfilment.collect_before)

    fulfilment.refresh_from_db()
    assert (moved, again, fulfilment.status) == (1, 0, S.UNCOLLECTED)
    level = network.stock(network.lyon)
    assert (level.on_hand, level.reserved) == (on_hand, 0)
    assert Refund.objects.get().amount_cents == 2 * 2990
    (email,) = emails_sent("order_lines_cancelled")
    assert email.payload["context"]["why"] == "uncollected"
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_a_ready_click_and_collect_is_kept_until_its_date(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = ready(order.fulfilments.get())

    moved = services.expire_uncollected_fulfilments(
        now=fulfilment.collect_before - timedelta(minutes=1)
    )

    assert moved == 0


def _hold(fulfilment) -> Reservation:
    return Reservation.objects.get(
        holder=f"fulfilment:{fulfilment.pk}", kind=Reservation.Kind.RESERVE_COLLECT
    )


def test_a_reservation_waiting_in_store_ends_with_its_hold(network):
    # Given a reserve & collect ready in the store, held until its hold's expiry
    order = order_for(reserve_and_collect(network.secateur, network.lyon))
    fulfilment = ready(order.fulfilments.get())
    hold = _hold(fulfilment)
    assert hold.kind == Reservation.Kind.RESERVE_COLLECT
    assert fulfilment.collect_before == hold.expires_at

    # When its hold ends and the job runs
    assert services.expire_reservations(now=hold.expires_at - timedelta(seconds=1)) == 0
    assert services.expire_reservations(now=hold.expires_at) == 1
    assert services.expire_reservations(now=hold.expires_at) == 0

    # Then it ended as not collected, the stock is free, the customer told, nothing refunded
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.UNCOLLECTED
    assert network.stock(network.lyon).reserved == 0
    (email,) = emails_sent("order_lines_cancelled")
    assert email.payload["context"]["why"] == "reservation_expired"
    assert not Refund.objects.exists()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_a_reservation_not_yet_ready_when_its_hold_ends_is_cancelled(network):
    order = order_for(reserve_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    expiry = _hold(fulfilment).expires_at
    from stores.services import release_expired_reservations

    release_expired_reservations(now=expiry)  # the stock sweeper may run first: no matter

    assert services.expire_reservations(now=expiry) == 1
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.CANCELLED
    assert network.stock(network.lyon).reserved == 0


def test_the_customer_is_reminded_once_a_few_hours_before_the_reservation_ends(network):
    order = order_for(reserve_and_collect(network.secateur, network.lyon))
    fulfilment = ready(order.fulfilments.get())
    ends = fulfilment.collect_before
    hours = settings.RESERVE_COLLECT_REMINDER_HOURS

    too_early = services.remind_expiring_reservations(now=ends - timedelta(hours=hours + 1))
    first = services.remind_expiring_reservations(now=ends - timedelta(hours=hours - 1))
    second = services.remind_expiring_reservations(now=ends - timedelta(hours=1))

    assert (too_early, first, second) == (0, 1, 0)
    (email,) = emails_sent("reservation_expiring")
    assert email.payload["to"] == [order.email]
    assert email.payload["context"]["hold_until"]


def test_every_job_is_in_the_beat_schedule_and_safe_to_redeliver():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    names = [
        "fulfillment.tasks.time_out_overdue_fulfilments",
        "fulfillment.tasks.expire_uncollected_fulfilments",
        "fulfillment.tasks.expire_reservations",
        "fulfillment.tasks.remind_expiring_reservations",
    ]
    celery_app.loader.import_default_modules()
    for name in names:
        task = celery_app.tasks[name]
        assert name in scheduled
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
