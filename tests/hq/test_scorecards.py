"""A store's scorecard: each figure counted from the fulfilments, their events and the returns
(through the real steps), per store, in a fixed number of queries whatever the stores."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fulfillment.models import Fulfilment, Return, ReturnLine
from fulfillment.services import (
    accept_fulfilment,
    mark_picked,
    mark_ready_for_pickup,
    mark_uncollected,
    reject_fulfilment,
    ship_fulfilment,
    time_out_fulfilment,
)
from hq.models import ScorecardSettings
from hq.selectors.scorecards import breaches, store_scorecards
from hq.selectors.standings import scorecard_page
from orders.models import FulfilmentMethod
from tests.factories import StoreFactory
from tests.fulfillment.conftest import make_fulfilment

from .scorecard_network import MONDAY

HOME = FulfilmentMethod.HOME_DELIVERY
STEP = "owner"


@pytest.mark.django_db
def test_each_figure_of_a_scorecard_is_counted_from_the_stores_records(lyon_store, paris_store):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        accepted_fast = make_fulfilment(store=lyon_store, method=HOME)
        accepted_slow = make_fulfilment(store=lyon_store, method=HOME)
        missing = make_fulfilment(store=lyon_store, method=HOME)
        timed_out = make_fulfilment(store=lyon_store)
        collect = make_fulfilment(store=lyon_store)
        elsewhere = make_fulfilment(store=paris_store)
        traveller.shift(timedelta(minutes=10))
        accept_fulfilment(fulfilment=accepted_fast, actor=STEP)
        accept_fulfilment(fulfilment=collect, actor=STEP)
        accept_fulfilment(fulfilment=elsewhere, actor=STEP)
        reject_fulfilment(
            fulfilment=missing, actor=STEP, reason="Plus en rayon", missing_stock=True
        )
        time_out_fulfilment(fulfilment=timed_out)
        traveller.shift(timedelta(minutes=20))
        accept_fulfilment(fulfilment=accepted_slow, actor=STEP)
        for fulfilment in (accepted_fast, accepted_slow):
            mark_picked(fulfilment=fulfilment, actor=STEP)
        ship_fulfilment(
            fulfilment=accepted_fast, carrier="Colissimo", tracking_number="6A1", actor=STEP
        )
        mark_picked(fulfilment=collect, actor=STEP)
        mark_ready_for_pickup(fulfilment=collect, actor=STEP)
        traveller.shift(timedelta(days=3))  # past HQ's 48 h: the other parcel is late
        ship_fulfilment(
            fulfilment=accepted_slow, carrier="Colissimo", tracking_number="6A2", actor=STEP
        )
        traveller.shift(timedelta(days=3))
        mark_uncollected(fulfilment=collect)
        sold = Fulfilment.objects.get(pk=accepted_fast.pk)
        returned = Return.objects.create(
            order=sold.order, method=Return.Method.IN_STORE, store=paris_store,
            reason=Return.Reason.DOES_NOT_FIT,
        )  # fmt: skip
        line = sold.lines.get()
        ReturnLine.objects.create(
            return_request=returned, order_line=line.order_line, fulfilment_line=line,
            seller_store=lyon_store, quantity=1,
        )  # fmt: skip

        card = store_scorecards(start=MONDAY - timedelta(days=28), end=MONDAY + timedelta(days=7))[
            lyon_store.pk
        ]

    assert (card.routed, card.accepted, card.rejected, card.timeouts) == (5, 3, 1, 1)
    assert card.acceptance_rate == Decimal("60.0")
    assert card.median_acceptance_minutes == 10.0  # 10, 10 and 30 minutes
    assert card.stock_misses == 1
    assert card.stock_accuracy == Decimal("80.0")
    assert (card.shipments, card.late_shipments, card.late_rate) == (2, 1, Decimal("50.0"))
    assert card.uncollected == 1
    assert card.returns == 1
    assert card.rerouted_away == 0  # nothing routed them again in this small setup


@pytest.mark.django_db
def test_the_scorecards_take_the_same_queries_for_one_store_or_twenty(
    django_assert_num_queries,
):
    stores = [StoreFactory() for _index in range(20)]
    for store in stores:
        fulfilment = make_fulfilment(store=store, method=HOME)
        accept_fulfilment(fulfilment=fulfilment, actor=STEP)
        reject_fulfilment(fulfilment=make_fulfilment(store=store), actor=STEP, reason="Non")
    now = fulfilment.created_at + timedelta(minutes=1)
    with django_assert_num_queries(5):
        cards = store_scorecards(
            start=now - timedelta(days=28), end=now, ship_within=timedelta(hours=48)
        )
    assert {card.routed for card in cards.values()} == {2}


@pytest.mark.django_db
def test_the_rates_lead_to_nothing_below_hqs_minimum_of_orders(lyon_store):
    rules = ScorecardSettings.current()
    rules.min_routed = 10
    with time_machine.travel(MONDAY, tick=False):
        reject_fulfilment(fulfilment=make_fulfilment(store=lyon_store), actor=STEP, reason="Non")
        card = store_scorecards(
            start=MONDAY - timedelta(days=1), end=MONDAY, ship_within=timedelta(hours=48)
        )[lyon_store.pk]
    assert card.acceptance_rate == Decimal(0)
    assert breaches(card, rules) == []
    rules.min_routed = 1
    assert [(breach.figure, breach.level) for breach in breaches(card, rules)] == [
        ("acceptance_rate", "suspension")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"timeouts_suspension": 2, "timeouts_warning": 3}, "timeouts_suspension",
                     id="suspension-before-warning"),
        pytest.param({"acceptance_rate_suspension": 95}, "acceptance_rate_suspension",
                     id="rate-suspension-above-warning"),
        pytest.param({"late_rate_warning": 120}, "late_rate_warning", id="over-100-percent"),
        pytest.param({"period_days": 3}, "period_days", id="period-too-short"),
        pytest.param({"suspension_days": 0}, "suspension_days", id="no-suspension-length"),
        pytest.param({"timeouts_warning": 0}, "timeouts_warning", id="warning-at-zero"),
    ],
)  # fmt: skip
def test_hqs_thresholds_are_checked(changes, field):
    rules = ScorecardSettings.current()
    for name, value in changes.items():
        setattr(rules, name, value)
    with pytest.raises(ValidationError) as refused:
        rules.full_clean()
    assert field in refused.value.message_dict


@pytest.mark.django_db
def test_the_page_says_each_figure_in_words(lyon_store):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        fulfilment = make_fulfilment(store=lyon_store, method=HOME)
        traveller.shift(timedelta(minutes=75))
        accept_fulfilment(fulfilment=fulfilment, actor=STEP)
        page = scorecard_page(store=lyon_store)
    values = {row.key: row.value for row in page.rows}
    assert values["acceptance_rate"] == "100\u00a0%"
    assert values["median_acceptance_minutes"] == "1\u00a0h\u00a015\u00a0min"
    thresholds = {row.key: row.warning for row in page.rows}
    assert thresholds["acceptance_rate"] == "<\u00a090\u00a0%"
