"""A week of the Lyon network, lived through the real services under frozen time: the orders,
acceptances, refusals, timeouts, shipments, pickups, returns, stock feeds and a payout hold that
the control tower counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from compliance.services.measures import apply_measure
from fulfillment.models import Return
from fulfillment.services import (
    ReturnRequestLine,
    accept_fulfilment,
    expire_uncollected_fulfilments,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
    reject_fulfilment,
    request_return,
    ship_fulfilment,
    time_out_overdue_fulfilments,
)
from orders.models import Order
from stores.services import apply_stock_feed
from tests.fulfillment.conftest import (  # noqa: F401 (the network fixture)
    LEA,
    click_and_collect,
    home,
    network,
    order_for,
    reserve_and_collect,
)

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)
# The Monday after, 15:00 in Lyon: "now" for the tower.
NOW = datetime(2026, 3, 23, 15, 0, tzinfo=PARIS)


@dataclass
class Week:
    network: object
    collected: Order  # click & collect at Lyon, accepted in 30 min, collected, then returned
    shipped_late: Order  # home delivery from the warehouse, shipped two days after
    timed_out: Order  # reserve & collect at Villeurbanne, never accepted
    refused: Order  # click & collect at Caluire, refused: cancelled for a stock-out
    uncollected: Order  # click & collect at Lyon, ready, never collected
    today: Order  # placed this morning, awaiting Lyon's acceptance
    returned: Return


def _travel(traveller, moment: datetime) -> None:
    traveller.move_to(moment)


@pytest.fixture
def week(network, hq_admin):  # noqa: F811
    lyon, villeurbanne, caluire = network.lyon, network.villeurbanne, network.caluire
    item = network.secateur
    with time_machine.travel(MONDAY, tick=False) as traveller:
        collected = order_for(click_and_collect(item, lyon))
        shipped_late = order_for(home(item))
        timed_out = order_for(reserve_and_collect(item, villeurbanne))
        refused = order_for(click_and_collect(item, caluire))
        uncollected = order_for(click_and_collect(item, lyon))

        _travel(traveller, MONDAY + timedelta(minutes=30))
        first = collected.fulfilments.get()
        accept_fulfilment(fulfilment=first, actor="lyon")
        mark_picked(fulfilment=first, actor="lyon")
        code = mark_ready_for_pickup(fulfilment=first, actor="lyon").pickup_code
        parcel = shipped_late.fulfilments.get()
        accept_fulfilment(fulfilment=parcel, actor="wms")
        reject_fulfilment(fulfilment=refused.fulfilments.get(), actor="caluire", reason="Rupture")
        forgotten = uncollected.fulfilments.get()

        _travel(traveller, MONDAY + timedelta(hours=1, minutes=30))
        accept_fulfilment(fulfilment=forgotten, actor="lyon")
        mark_picked(fulfilment=forgotten, actor="lyon")
        mark_ready_for_pickup(fulfilment=forgotten, actor="lyon")

        _travel(traveller, MONDAY + timedelta(hours=5))
        hand_over(fulfilment=first, code=code, actor="lyon")
        apply_stock_feed(
            store=lyon, rows=[{"sku": item.sku, "on_hand": 12, "sequence": 1}],
            source="api", actor="lyon-pos",
        )  # fmt: skip

        # Tuesday: Villeurbanne's deadline passed long ago; the job times it out
        _travel(traveller, MONDAY + timedelta(days=1))
        time_out_overdue_fulfilments()
        returned = request_return(
            order=collected,
            lines=[ReturnRequestLine(first.lines.get(), 1)],
            reason=Return.Reason.DAMAGED, method=Return.Method.IN_STORE, store=lyon,
            actor="customer",
        )  # fmt: skip

        # Wednesday morning: the parcel leaves, two days after the order (promised: one)
        _travel(traveller, MONDAY + timedelta(days=2))
        mark_picked(fulfilment=parcel, actor="wms")
        ship_fulfilment(fulfilment=parcel, carrier="Colissimo", tracking_number="6A1", actor="wms")
        # HQ holds Caluire's payouts (a compliance measure, with its statement of reasons)
        apply_measure(
            kind="payouts_held", target=caluire, source="own_initiative",
            facts="Ventes de produits non conformes en cours d'examen.",
            legal_ground="Conditions générales, article 12", actor=hq_admin,
        )  # fmt: skip

        # Later on: the pickup kept for 5 days is not collected
        _travel(traveller, MONDAY + timedelta(days=7))
        expire_uncollected_fulfilments()
        today = order_for(click_and_collect(item, lyon))
    return Week(network, collected, shipped_late, timed_out, refused, uncollected, today, returned)


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ranked_week(week):
    """The same week, with enough cases to rank stores: on Tuesday Lyon accepts three more
    pickups within ten minutes, Villeurbanne lets two more time out."""
    stores, item = week.network, week.network.secateur
    tuesday = MONDAY + timedelta(days=1)
    with time_machine.travel(tuesday, tick=False) as traveller:
        lyon = [order_for(click_and_collect(item, stores.lyon)) for _n in range(3)]
        for _n in range(2):
            order_for(reserve_and_collect(item, stores.villeurbanne))
        _travel(traveller, tuesday + timedelta(minutes=10))
        for order in lyon:
            accept_fulfilment(fulfilment=order.fulfilments.get(), actor="lyon")
        _travel(traveller, tuesday + timedelta(hours=8))
        time_out_overdue_fulfilments()
    return week


# The scorecards' small network and HQ's thresholds (tests/hq/scorecard_network.py).
from .scorecard_network import lyon_network, thresholds  # noqa: E402, F401
