"""The one transition helper: what every lifecycle's move does, shown on a payout."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from network_marketplace.errors import IllegalTransition
from network_marketplace.models import AuditEvent, WebhookDelivery, WebhookEndpoint
from network_marketplace.transitions import lifecycles, transition
from payments.models import Payout, PayoutEvent
from payments.states import PAYOUT_LIFECYCLE


@pytest.fixture
def lyon_payout(lyon_store):
    return Payout.objects.create(
        store=lyon_store,
        amount_cents=12_500,
        period_key="2026-W49",
        idempotency_key=f"payout:{lyon_store.pk}:2026-W49",
    )


@pytest.fixture
def lyon_endpoint(lyon_store):
    return WebhookEndpoint.objects.create(
        store=lyon_store,
        url="https://erp.example.com/hooks",
        secret="s" * 32,
        event_types=["payout.paid"],
    )


def test_a_move_saves_the_status_with_its_changes_and_writes_event_audit_and_webhook(
    lyon_payout, lyon_endpoint, hq_admin
):
    moved = transition(
        PAYOUT_LIFECYCLE,
        lyon_payout,
        Payout.Status.PAID,
        actor=hq_admin,
        reason="bank confirmed",
        changes={"provider_reference": "po_123"},
    )

    lyon_payout.refresh_from_db()
    assert moved.moved
    assert moved.previous == Payout.Status.PENDING
    assert (lyon_payout.status, lyon_payout.provider_reference) == ("paid", "po_123")
    event = PayoutEvent.objects.get(payout=lyon_payout)
    assert (event.from_status, event.to_status, event.actor_label, event.reason) == (
        "pending",
        "paid",
        hq_admin.email,
        "bank confirmed",
    )
    audit = AuditEvent.objects.get(action="payout.paid")
    assert audit.store_id == lyon_payout.store_id
    assert audit.data == {"from": "pending", "to": "paid", "reason": "bank confirmed"}
    delivery = WebhookDelivery.objects.get(endpoint=lyon_endpoint)
    assert delivery.event_type == "payout.paid"


def test_moving_to_the_status_a_row_has_changes_nothing(lyon_payout, hq_admin):
    transition(PAYOUT_LIFECYCLE, lyon_payout, Payout.Status.PAID, actor=hq_admin)

    again = transition(PAYOUT_LIFECYCLE, lyon_payout, Payout.Status.PAID, actor=hq_admin)

    assert not again.moved
    assert PayoutEvent.objects.filter(payout=lyon_payout).count() == 1
    assert AuditEvent.objects.filter(action="payout.paid").count() == 1


def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(lyon_payout, hq_admin):
    transition(PAYOUT_LIFECYCLE, lyon_payout, Payout.Status.FAILED, actor=hq_admin)

    with pytest.raises(IllegalTransition, match="«\xa0Échoué\xa0» à «\xa0Payé\xa0»") as refused:
        transition(PAYOUT_LIFECYCLE, lyon_payout, Payout.Status.PAID, actor=hq_admin)

    assert refused.value.facts == {"current": "failed", "target": "paid"}

    lyon_payout.refresh_from_db()
    assert lyon_payout.status == Payout.Status.FAILED
    assert PayoutEvent.objects.filter(payout=lyon_payout).count() == 1


def test_the_move_reads_the_row_as_it_is_in_the_database_not_as_the_caller_holds_it(
    lyon_payout, hq_admin
):
    stale = Payout.objects.get(pk=lyon_payout.pk)
    transition(PAYOUT_LIFECYCLE, lyon_payout, Payout.Status.FAILED, actor=hq_admin)

    with pytest.raises(IllegalTransition):
        transition(PAYOUT_LIFECYCLE, stale, Payout.Status.PAID, actor=hq_admin)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_moves_of_one_row_record_one_move(lyon_store, hq_admin):
    payout = Payout.objects.create(
        store=lyon_store, amount_cents=500, period_key="2026-W50", idempotency_key="race"
    )
    barrier = threading.Barrier(4)
    results = []

    def pay():
        try:
            barrier.wait()
            results.append(transition(PAYOUT_LIFECYCLE, payout, "paid", actor="job").moved)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, False, False, True]
    assert PayoutEvent.objects.filter(payout=payout).count() == 1


def test_each_lifecycle_is_declared_once_per_model():
    models = [lifecycle.model for lifecycle in lifecycles()]

    assert len(models) == len(set(models))


def test_a_row_the_caller_locked_is_moved_without_reading_it_again(lyon_payout, hq_admin):
    with transaction.atomic():
        locked = Payout.objects.select_for_update().get(pk=lyon_payout.pk)
        with CaptureQueriesContext(connection) as queries:
            transition(PAYOUT_LIFECYCLE, locked, Payout.Status.PAID, actor=hq_admin, locked=True)

    assert not any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)
    lyon_payout.refresh_from_db()
    assert lyon_payout.status == Payout.Status.PAID


@pytest.mark.django_db(transaction=True)
def test_a_row_said_locked_outside_a_transaction_is_refused(lyon_store, hq_admin):
    payout = Payout.objects.create(
        store=lyon_store, amount_cents=500, period_key="2026-W51", idempotency_key="unlocked"
    )

    with pytest.raises(ValueError, match="locked=True"):
        transition(PAYOUT_LIFECYCLE, payout, Payout.Status.PAID, actor=hq_admin, locked=True)

    payout.refresh_from_db()
    assert payout.status == Payout.Status.PENDING
