"""Acceptance 2 of issue 15: a store that times out on N orders in the period is warned, then
taken out of home-delivery routing (its click & collect stays), and comes back when its figures
recover; each step recorded (figures and thresholds of the moment) and sent to the store."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from compliance.models import Measure, MeasureKind, StatementOfReasons
from fulfillment.models import Fulfilment
from fulfillment.services import accept_fulfilment
from hq.models import RecoveryRule, StandingEvent, StoreStanding
from hq.services import ReasonRequired, apply_consequences, impose_suspension, lift_standing
from network_marketplace.models import AuditEvent
from tests.fulfillment.conftest import emails_sent

from .scorecard_network import MONDAY, let_time_out

GOOD, WARNED, SUSPENDED = (
    StoreStanding.Status.GOOD,
    StoreStanding.Status.WARNED,
    StoreStanding.Status.SUSPENDED,
)


def standing_of(store) -> StoreStanding:
    return StoreStanding.objects.get(store=store)


def served_by(order) -> set[str]:
    return {fulfilment.store.slug for fulfilment in order.fulfilments.select_related("store")}


def steps(store) -> list[tuple[str, str]]:
    return list(
        StandingEvent.objects.filter(standing__store=store)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


@pytest.mark.django_db
def test_a_store_that_times_out_is_warned_then_out_of_home_delivery_then_back(
    lyon_network, thresholds, lyon_owner
):
    lyon = lyon_network.lyon
    with time_machine.travel(MONDAY, tick=False) as traveller:
        # Given Lyon, nearest the customer, ships her home deliveries (it accepts this one).
        first = lyon_network.home_order()
        assert served_by(first) == {"lyon-presquile"}
        accept_fulfilment(fulfilment=first.fulfilments.get(), actor=lyon_owner)

        # When it lets 2 click & collect orders time out: warned (threshold 2).
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()

        assert standing_of(lyon).status == WARNED
        warning = emails_sent("hq_standing")[-1]
        assert warning.payload["to"] == [lyon_owner.email]
        assert warning.payload["context"]["step"] == "warned"
        assert (
            "Non acceptées à temps\u00a0: 2 (seuil\u00a0: 2)"
            in warning.payload["context"]["lines"][0]
        )
        lyon.refresh_from_db()
        assert not lyon.home_delivery_suspended  # a warning takes nothing away

        # When a third times out: out of home-delivery routing (threshold 3).
        let_time_out(lyon_network, 1, traveller)
        apply_consequences()

        standing = standing_of(lyon)
        assert standing.status == SUSPENDED
        assert standing.suspended_until == MONDAY + timedelta(
            hours=3, days=7
        )  # 2 timeout runs later
        lyon.refresh_from_db()
        assert lyon.home_delivery_suspended
        measure = Measure.objects.get(store=lyon, kind=MeasureKind.HOME_DELIVERY_SUSPENDED)
        assert measure.is_active
        assert standing.measure == measure
        statement = StatementOfReasons.objects.get(measure=measure)
        assert "Non acceptées à temps\u00a0: 3 (seuil\u00a0: 3)" in statement.facts
        assert statement.automated_decision == StatementOfReasons.AutomatedDecision.FULLY
        assert emails_sent("hq_standing")[-1].payload["context"]["step"] == "suspended"
        assert set(emails_sent("compliance/statement_of_reasons")[-1].payload["to"]) == {
            lyon_owner.email, lyon.email,
        }  # fmt: skip

        # Then a new home delivery goes to Villeurbanne, and a click & collect at Lyon still works.
        home = lyon_network.home_order()
        assert served_by(home) == {"villeurbanne"}
        assert '"ineligibility": "home_delivery_suspended"' in json.dumps(home.routing_log)
        assert served_by(lyon_network.collect_order()) == {"lyon-presquile"}

        # A week later the suspension's length is over, but the 3 timeouts are still in the
        # 28 days: it stays out.
        traveller.shift(timedelta(days=8))
        apply_consequences()
        assert standing_of(lyon).status == SUSPENDED

        # Once the timeouts left the period, its figures are back within the thresholds: back
        # in home-delivery routing, the measure lifted, the store told.
        traveller.shift(timedelta(days=21))
        apply_consequences()

        standing = standing_of(lyon)
        assert standing.status == GOOD
        assert standing.measure is None
        lyon.refresh_from_db()
        assert not lyon.home_delivery_suspended
        measure.refresh_from_db()
        assert measure.status == Measure.Status.LIFTED
        assert emails_sent("hq_standing")[-1].payload["context"]["step"] == "recovered"
        assert emails_sent("compliance/measure_lifted")
        assert served_by(lyon_network.home_order()) == {"lyon-presquile"}

    # Each step recorded, with the figures and thresholds of the moment.
    assert steps(lyon) == [("good", "warned"), ("warned", "suspended"), ("suspended", "good")]
    warned, suspended, recovered = StandingEvent.objects.filter(standing__store=lyon).order_by("pk")
    assert (warned.figures["timeouts"], warned.thresholds["timeouts_warning"]) == (2, 2)
    assert suspended.figures["timeouts"] == 3
    assert suspended.breaches[0]["figure"] == "timeouts"
    assert suspended.breaches[0]["level"] == "suspension"
    assert recovered.figures["timeouts"] == 0
    assert not any(event.overridden for event in (warned, suspended, recovered))
    assert AuditEvent.objects.filter(action="standing.suspended", store_id=lyon.pk).exists()


@pytest.mark.django_db
def test_running_the_job_again_makes_no_second_step(lyon_network, thresholds):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()
        let_time_out(lyon_network, 1, traveller)

        first = apply_consequences()
        again = apply_consequences()

    assert [step.status for step in first] == [SUSPENDED]
    assert again == []
    assert Measure.objects.filter(kind=MeasureKind.HOME_DELIVERY_SUSPENDED).count() == 1
    assert len(emails_sent("hq_standing")) == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_suspend_the_store_once(lyon_network, thresholds):
    with time_machine.travel(MONDAY, tick=True) as traveller:
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()
        let_time_out(lyon_network, 1, traveller)
        barrier = threading.Barrier(2)
        results: list = []

        def run() -> None:
            try:
                barrier.wait()
                results.append(apply_consequences())
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(len(made) for made in results) == [0, 1]
    assert Measure.objects.filter(kind=MeasureKind.HOME_DELIVERY_SUSPENDED).count() == 1
    assert steps(lyon_network.lyon)[-1] == ("warned", "suspended")


@pytest.mark.django_db
def test_by_time_the_store_comes_back_at_the_end_and_its_figures_count_afresh(
    lyon_network, thresholds
):
    thresholds.recovery = RecoveryRule.TIME
    thresholds.save()
    lyon = lyon_network.lyon
    with time_machine.travel(MONDAY, tick=False) as traveller:
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()
        let_time_out(lyon_network, 1, traveller)
        apply_consequences()
        traveller.shift(timedelta(days=7, hours=1))

        apply_consequences()
        standing = standing_of(lyon)
        assert standing.status == GOOD
        assert standing.counted_from is not None

        # The old timeouts are not counted again: the next run leaves it in good standing.
        assert apply_consequences() == []
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()
        assert standing_of(lyon).status == WARNED


@pytest.mark.django_db
def test_hq_lifts_a_suspension_with_its_reason_recorded(lyon_network, thresholds, hq_admin):
    lyon = lyon_network.lyon
    with time_machine.travel(MONDAY, tick=False) as traveller:
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()
        let_time_out(lyon_network, 1, traveller)
        apply_consequences()

        with pytest.raises(ReasonRequired):
            lift_standing(store=lyon, reason="  ", actor=hq_admin)
        lift_standing(store=lyon, reason="Panne de caisse le 3 mars, vérifiée.", actor=hq_admin)

        standing = standing_of(lyon)
        assert standing.status == GOOD
        lyon.refresh_from_db()
        assert not lyon.home_delivery_suspended
        # The next run does not take it out again for the same timeouts.
        assert apply_consequences() == []
        assert served_by(lyon_network.home_order()) == {"lyon-presquile"}

    lifted = StandingEvent.objects.filter(standing__store=lyon).order_by("pk").last()
    assert (lifted.from_status, lifted.to_status) == ("suspended", "good")
    assert lifted.overridden
    assert lifted.actor_label == hq_admin.email
    assert lifted.reason == "Panne de caisse le 3 mars, vérifiée."
    assert emails_sent("hq_standing")[-1].payload["context"]["hq_reason"] == lifted.reason


@pytest.mark.django_db
def test_hq_imposes_a_suspension_with_its_reason(lyon_network, thresholds, hq_admin):
    lyon = lyon_network.lyon
    with time_machine.travel(MONDAY, tick=False):
        impose_suspension(store=lyon, reason="Colis abîmés signalés.", actor=hq_admin, days=3)

        standing = standing_of(lyon)
        assert standing.status == SUSPENDED
        assert standing.suspended_until == MONDAY + timedelta(days=3)
        assert served_by(lyon_network.home_order()) == {"villeurbanne"}
    event = StandingEvent.objects.get(standing__store=lyon)
    assert event.overridden
    assert event.reason == "Colis abîmés signalés."
    statement = StatementOfReasons.objects.get(measure=standing.measure)
    assert "Colis abîmés signalés." in statement.facts
    assert statement.automated_decision == StatementOfReasons.AutomatedDecision.NOT_AUTOMATED

    # Its figures are fine: it comes back at the end of the 3 days.
    with time_machine.travel(MONDAY + timedelta(days=3, minutes=1), tick=False):
        apply_consequences()
    assert standing_of(lyon).status == GOOD


@pytest.mark.django_db
def test_a_warning_is_lifted_when_the_figures_recover(lyon_network, thresholds):
    lyon = lyon_network.lyon
    with time_machine.travel(MONDAY, tick=False) as traveller:
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()
        traveller.shift(timedelta(days=29))
        apply_consequences()

    assert steps(lyon) == [("good", "warned"), ("warned", "good")]
    assert emails_sent("hq_standing")[-1].payload["context"]["step"] == "warning_lifted"


@pytest.mark.django_db
def test_a_timed_out_click_and_collect_is_counted_against_the_store_that_had_to_accept(
    lyon_network, thresholds
):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        let_time_out(lyon_network, 1, traveller)
    assert Fulfilment.objects.filter(status=Fulfilment.Status.TIMED_OUT).count() == 1
