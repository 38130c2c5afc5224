"""The routing engine on its own: each of HQ's rules as a table, properties that hold for any
network and order (hypothesis), and the candidates built from PostgreSQL."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fulfillment.routing_candidates import routing_candidates
from orders.routing import (
    Allocation,
    DecisionKind,
    FulfilmentMethod,
    HomeDeliveryPlan,
    Ineligibility,
    Location,
    LocationKind,
    Point,
    RequestLine,
    RoutingPolicy,
    RoutingRequest,
    UnavailableReason,
    distance_km,
    reroute,
    route_order,
)
from stores.models import Store
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory
from tests.fulfillment.conftest import make_fulfilment

# The customer lives at Lyon Bellecour; stores are placed `km` kilometres north of them.
CUSTOMER = Point(45.7578, 4.8320)
KM_PER_DEGREE = 111.195
PRUNER, HOSE, SHEARS, CAN = 101, 102, 103, 104
HOME = FulfilmentMethod.HOME_DELIVERY
CLICK = FulfilmentMethod.CLICK_COLLECT
RESERVE = FulfilmentMethod.RESERVE_COLLECT


def store(store_id, *, km=5.0, stock=None, **extra) -> Location:
    return Location(
        store_id=store_id,
        kind=LocationKind.STORE,
        latitude=CUSTOMER.latitude + km / KM_PER_DEGREE,
        longitude=CUSTOMER.longitude,
        available=stock or {},
        **extra,
    )


def warehouse(store_id, *, km=300.0, stock=None, **extra) -> Location:
    return Location(
        store_id=store_id,
        kind=LocationKind.WAREHOUSE,
        latitude=CUSTOMER.latitude + km / KM_PER_DEGREE,
        longitude=CUSTOMER.longitude,
        available=stock or {},
        daily_capacity=5000,
        **extra,
    )


def home(variant_id, quantity=1) -> RequestLine:
    return RequestLine(variant_id=variant_id, quantity=quantity, method=HOME)


def collect(variant_id, store_id, quantity=1, method=CLICK) -> RequestLine:
    return RequestLine(
        variant_id=variant_id, quantity=quantity, method=method, chosen_store_id=store_id
    )


def route(lines, locations, policy=None, **options):
    request = RoutingRequest(lines=tuple(lines), customer=CUSTOMER)
    return route_order(
        request=request, locations=locations, policy=policy or RoutingPolicy(), **options
    )


def served_from(decision) -> dict[int, int]:
    return {allocation.location_id: allocation.quantity for allocation in decision.allocations}


# Home delivery: the warehouse first -----------------------------------------------------------


def test_the_warehouse_ships_home_delivery_first_when_it_has_every_line():
    # Given a warehouse 300 km away and a store next door, both with the pruner and the hose
    locations = [
        warehouse(1, stock={PRUNER: 50, HOSE: 50}),
        store(2, km=1, stock={PRUNER: 50, HOSE: 50}),
    ]

    # When the order is routed
    result = route([home(PRUNER, 2), home(HOSE)], locations)

    # Then the warehouse ships everything in one parcel, with its delivery delay
    assert [decision.location_id for decision in result.decisions] == [1, 1]
    assert result.home_delivery_plan is HomeDeliveryPlan.WAREHOUSE
    assert result.parcels == (1,)
    assert result.decisions[0].delay_days == RoutingPolicy().warehouse_delivery_days


def test_without_warehouse_first_the_warehouse_competes_on_score():
    locations = [warehouse(1, stock={PRUNER: 50}), store(2, km=1, stock={PRUNER: 50})]

    result = route([home(PRUNER)], locations, RoutingPolicy(warehouse_first=False))

    assert result.decisions[0].location_id == 2


def test_one_store_with_every_line_beats_the_warehouse_with_some_of_them():
    # The warehouse lacks the shears: one parcel from the store beats two parcels.
    locations = [
        warehouse(1, stock={PRUNER: 50, HOSE: 50}),
        store(2, km=40, stock={PRUNER: 3, HOSE: 3, SHEARS: 3}),
    ]

    result = route([home(PRUNER), home(HOSE), home(SHEARS)], locations)

    assert result.parcels == (2,)
    assert result.home_delivery_plan is HomeDeliveryPlan.SINGLE_LOCATION


# Ship-from-store: the score -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("winner", "runner_up"),
    [
        pytest.param({"km": 2}, {"km": 30}, id="nearest-wins"),
        pytest.param({"stock": {PRUNER: 40}}, {"stock": {PRUNER: 2}}, id="deepest-stock-wins"),
        pytest.param(
            {"open_orders": 5, "daily_capacity": 50},
            {"open_orders": 40, "daily_capacity": 50},
            id="least-loaded-wins",
        ),
        pytest.param({"recent_routed": 1}, {"recent_routed": 9}, id="least-recently-routed-wins"),
    ],
)
def test_ship_from_store_goes_to_the_best_scored_store(winner, runner_up):
    # Given two stores equal in everything but one component (the runner-up has the lower id)
    defaults = {"km": 10, "stock": {PRUNER: 10}}
    locations = [store(7, **{**defaults, **runner_up}), store(8, **{**defaults, **winner})]

    result = route([home(PRUNER)], locations)

    decision = result.decisions[0]
    assert decision.location_id == 8
    assert [candidate.location_id for candidate in decision.candidates] == [8, 7]
    assert decision.candidates[0].total > decision.candidates[1].total


def test_stores_are_ranked_by_their_total_score_in_the_audit():
    locations = [
        store(1, km=60, stock={PRUNER: 5}),
        store(2, km=5, stock={PRUNER: 5}),
        store(3, km=20, stock={PRUNER: 5}),
    ]

    decision = route([home(PRUNER)], locations).decisions[0]

    assert [candidate.location_id for candidate in decision.candidates] == [2, 3, 1]
    totals = [candidate.total for candidate in decision.candidates]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize(
    ("policy", "winner"),
    [
        pytest.param(RoutingPolicy(distance_weight=1, stock_depth_weight=0), 1, id="distance"),
        pytest.param(RoutingPolicy(distance_weight=0, stock_depth_weight=1), 2, id="stock-depth"),
        pytest.param(
            RoutingPolicy(distance_weight=1, stock_depth_weight=0, load_weight=5), 2, id="load"
        ),
    ],
)
def test_hq_weights_change_the_winner(policy, winner):
    # Store 1 is near but busy with its last units; store 2 is far, idle and well stocked.
    locations = [
        store(1, km=3, stock={PRUNER: 1}, open_orders=45, daily_capacity=50),
        store(2, km=90, stock={PRUNER: 30}, open_orders=0, daily_capacity=50),
    ]

    result = route([home(PRUNER)], locations, policy)

    assert result.decisions[0].location_id == winner


def test_a_store_at_its_daily_capacity_is_avoided():
    locations = [
        store(1, km=1, stock={PRUNER: 50}, open_orders=50, daily_capacity=50),
        store(2, km=40, stock={PRUNER: 2}),
    ]

    decision = route([home(PRUNER)], locations).decisions[0]

    assert decision.location_id == 2
    full = next(candidate for candidate in decision.candidates if candidate.location_id == 1)
    assert full.ineligibility is Ineligibility.AT_CAPACITY
    assert full.total is None


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        pytest.param(store(1, km=200), Ineligibility.TOO_FAR, id="beyond-max-distance"),
        pytest.param(store(1, ships_from_store=False), Ineligibility.NO_SERVICE, id="no-shipping"),
        pytest.param(store(1, is_selling=False), Ineligibility.NOT_SELLING, id="suspended"),
        pytest.param(store(1, daily_capacity=0), Ineligibility.AT_CAPACITY, id="no-capacity"),
    ],
)
def test_a_store_that_may_not_ship_is_left_out_with_its_reason(location, reason):
    location = Location(**{**_fields(location), "available": {PRUNER: 9}})

    decision = route([home(PRUNER)], [location]).decisions[0]

    assert decision.kind is DecisionKind.UNAVAILABLE
    assert decision.unavailable_reason is UnavailableReason.OUT_OF_STOCK
    assert [(c.location_id, c.ineligibility) for c in decision.candidates] == [(1, reason)]


def test_a_warehouse_ships_beyond_the_maximum_distance():
    result = route([home(PRUNER)], [warehouse(1, km=800, stock={PRUNER: 1})])

    assert result.decisions[0].location_id == 1


def test_fairness_spreads_orders_between_equal_stores():
    # Given two identical stores; each order routed adds to the winner's recent count
    recent = {1: 0, 2: 0}
    winners = []
    for _order in range(6):
        locations = [
            store(store_id, km=10, stock={PRUNER: 20}, recent_routed=recent[store_id])
            for store_id in (1, 2)
        ]
        winner = route([home(PRUNER)], locations).decisions[0].location_id
        recent[winner] += 1
        winners.append(winner)

    # Then they take turns, the lower store id first on a perfect tie
    assert winners == [1, 2, 1, 2, 1, 2]


def test_a_perfect_tie_goes_to_the_lower_store_id_whatever_the_input_order():
    locations = [store(store_id, km=10, stock={PRUNER: 5}) for store_id in (9, 4, 6)]

    assert route([home(PRUNER)], locations).decisions[0].location_id == 4
    assert route([home(PRUNER)], locations[::-1]).decisions[0].location_id == 4


# Parcels and splits ---------------------------------------------------------------------------


def test_an_order_is_split_only_when_no_single_location_can_serve_it():
    nearby_pruner = store(1, km=1, stock={PRUNER: 5})
    nearby_hose = store(2, km=1, stock={HOSE: 5})
    farther_with_both = store(3, km=80, stock={PRUNER: 1, HOSE: 1})

    together = route([home(PRUNER), home(HOSE)], [nearby_pruner, nearby_hose, farther_with_both])
    apart = route([home(PRUNER), home(HOSE)], [nearby_pruner, nearby_hose])

    assert together.parcels == (3,)
    assert apart.parcels == (1, 2)
    assert apart.home_delivery_plan is HomeDeliveryPlan.SPLIT_ORDER
    assert [decision.location_id for decision in apart.decisions] == [1, 2]


def test_never_more_parcels_than_hq_allows():
    # Three lines, each only in its own store, and HQ allows two parcels
    locations = [
        store(1, km=5, stock={PRUNER: 5}),
        store(2, km=5, stock={HOSE: 5}),
        store(3, km=5, stock={SHEARS: 5}),
    ]

    result = route(
        [home(PRUNER), home(HOSE), home(SHEARS)], locations, RoutingPolicy(max_parcels=2)
    )

    assert len(result.parcels) == 2
    kinds = [decision.kind for decision in result.decisions]
    assert kinds == [DecisionKind.DIRECT, DecisionKind.DIRECT, DecisionKind.UNAVAILABLE]
    assert result.decisions[2].unavailable_reason is UnavailableReason.PARCEL_LIMIT


def test_the_fewest_parcels_are_found_even_when_the_best_scored_store_is_a_dead_end():
    # Store 1 (nearest) has the pruner and the hose; stores 2 and 3 together have all four
    # lines. Taking the best store first would need three parcels; two suffice.
    locations = [
        store(1, km=1, stock={PRUNER: 5, HOSE: 5}),
        store(2, km=30, stock={PRUNER: 5, SHEARS: 5}),
        store(3, km=30, stock={HOSE: 5, CAN: 5}),
    ]
    lines = [home(PRUNER), home(HOSE), home(SHEARS), home(CAN)]

    result = route(lines, locations, RoutingPolicy(max_parcels=2))

    assert result.fully_served
    assert result.parcels == (2, 3)


def test_a_line_is_split_when_no_location_has_its_whole_quantity():
    locations = [store(1, km=5, stock={PRUNER: 3}), store(2, km=8, stock={PRUNER: 2})]

    result = route([home(PRUNER, 5)], locations)

    decision = result.decisions[0]
    assert decision.kind is DecisionKind.DIRECT
    assert decision.is_split
    assert decision.location_id is None
    assert served_from(decision) == {1: 3, 2: 2}
    assert result.home_delivery_plan is HomeDeliveryPlan.SPLIT_LINES


def test_a_line_is_not_split_when_one_location_has_its_whole_quantity():
    locations = [store(1, km=1, stock={PRUNER: 4}), store(2, km=90, stock={PRUNER: 5})]

    decision = route([home(PRUNER, 5)], locations).decisions[0]

    assert decision.allocations == (Allocation(2, 5),)


def test_a_line_that_would_need_more_parcels_than_allowed_is_unavailable():
    locations = [store(1, stock={PRUNER: 3}), store(2, stock={PRUNER: 2})]

    decision = route([home(PRUNER, 5)], locations, RoutingPolicy(max_parcels=1)).decisions[0]

    assert decision.kind is DecisionKind.UNAVAILABLE
    assert decision.unavailable_reason is UnavailableReason.PARCEL_LIMIT
    assert decision.allocations == ()


def test_in_a_split_the_warehouse_takes_what_it_can_first():
    # Nobody has both; the warehouse and store 2 both have the pruner, store 3 the hose.
    locations = [
        warehouse(1, stock={PRUNER: 5}),
        store(2, km=1, stock={PRUNER: 5}),
        store(3, km=30, stock={HOSE: 5}),
    ]

    result = route([home(PRUNER), home(HOSE)], locations)

    assert [decision.location_id for decision in result.decisions] == [1, 3]


# Click & collect and reserve & collect -------------------------------------------------------


@pytest.mark.parametrize("method", [CLICK, RESERVE], ids=["click-collect", "reserve-collect"])
def test_collect_goes_to_the_chosen_store_when_it_has_the_quantity(method):
    # The chosen store is far and nearly empty; a better store exists: the customer's choice wins
    locations = [store(1, km=1, stock={PRUNER: 50}), store(2, km=100, stock={PRUNER: 2})]

    decision = route([collect(PRUNER, 2, quantity=2, method=method)], locations).decisions[0]

    assert decision.kind is DecisionKind.DIRECT
    assert decision.location_id == 2
    assert decision.allocations == (Allocation(2, 2),)
    assert decision.delay_days == RoutingPolicy().collect_delay_days


def test_a_chosen_store_lacking_stock_gets_a_transfer_from_the_best_other_store():
    # Store 1 is chosen but has one unit; store 3 is nearer to it than store 2
    locations = [
        store(1, km=0, stock={PRUNER: 1}),
        store(2, km=60, stock={PRUNER: 10}),
        store(3, km=10, stock={PRUNER: 10}),
    ]
    policy = RoutingPolicy(transfer_delay_days=4, collect_delay_days=1)

    decision = route([collect(PRUNER, 1, quantity=3)], locations, policy).decisions[0]

    assert decision.kind is DecisionKind.TRANSFER
    assert decision.location_id == 1
    assert decision.transfer_from_store_id == 3
    assert decision.allocations == (Allocation(3, 3),)
    assert decision.delay_days == 5
    chosen = next(candidate for candidate in decision.candidates if candidate.location_id == 1)
    assert chosen.ineligibility is Ineligibility.NOT_ENOUGH_STOCK


def test_no_transfer_when_hq_does_not_allow_it():
    locations = [store(1, stock={PRUNER: 1}), store(2, stock={PRUNER: 10})]

    decision = route(
        [collect(PRUNER, 1, quantity=3)], locations, RoutingPolicy(transfer_for_collect=False)
    ).decisions[0]

    assert decision.kind is DecisionKind.UNAVAILABLE
    assert decision.unavailable_reason is UnavailableReason.CHOSEN_STORE_OUT_OF_STOCK


@pytest.mark.parametrize(
    ("chosen", "method"),
    [
        pytest.param(store(1, offers_click_collect=False), CLICK, id="no-click-collect"),
        pytest.param(store(1, offers_reserve_collect=False), RESERVE, id="no-reserve-collect"),
        pytest.param(store(1, is_selling=False), CLICK, id="suspended"),
        pytest.param(warehouse(1), CLICK, id="a-warehouse"),
    ],
)
def test_a_chosen_store_that_cannot_be_the_pickup_store_makes_the_line_unavailable(chosen, method):
    chosen = Location(**{**_fields(chosen), "available": {PRUNER: 9}})

    decision = route([collect(PRUNER, 1, method=method)], [chosen]).decisions[0]

    assert decision.kind is DecisionKind.UNAVAILABLE
    assert decision.unavailable_reason is UnavailableReason.CHOSEN_STORE_UNAVAILABLE


def test_an_unknown_chosen_store_makes_the_line_unavailable():
    decision = route([collect(PRUNER, 99)], [store(1, stock={PRUNER: 5})]).decisions[0]

    assert decision.unavailable_reason is UnavailableReason.CHOSEN_STORE_UNAVAILABLE


# Nothing anywhere -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        pytest.param(home(SHEARS), UnavailableReason.OUT_OF_STOCK, id="home-delivery"),
        pytest.param(collect(SHEARS, 1), UnavailableReason.CHOSEN_STORE_OUT_OF_STOCK, id="collect"),
    ],
)
def test_a_line_nobody_has_is_unavailable(line, reason):
    locations = [warehouse(3, stock={PRUNER: 5}), store(1, stock={PRUNER: 5})]

    result = route([line], locations)

    decision = result.decisions[0]
    assert decision.kind is DecisionKind.UNAVAILABLE
    assert decision.unavailable_reason is reason
    assert decision.location_id is None
    assert not result.fully_served


def test_units_given_to_one_line_are_not_given_again():
    # The chosen store's two units go to the collect line; the home line must look elsewhere
    locations = [store(1, km=1, stock={PRUNER: 2}), store(2, km=50, stock={PRUNER: 2})]

    result = route([home(PRUNER, 2), collect(PRUNER, 1, quantity=2)], locations)

    assert [decision.location_id for decision in result.decisions] == [2, 1]


# Rerouting ------------------------------------------------------------------------------------


def test_reroute_picks_the_next_candidate_after_a_refusal():
    locations = [
        store(1, km=1, stock={PRUNER: 5}),
        store(2, km=10, stock={PRUNER: 5}),
        store(3, km=20, stock={PRUNER: 5}),
    ]
    request = RoutingRequest(lines=(home(PRUNER),), customer=CUSTOMER)
    policy = RoutingPolicy()

    first = route_order(request=request, locations=locations, policy=policy)
    second = reroute(request=request, locations=locations, policy=policy, excluded_location_ids={1})
    third = reroute(
        request=request, locations=locations, policy=policy, excluded_location_ids={1, 2}
    )
    none_left = reroute(
        request=request, locations=locations, policy=policy, excluded_location_ids={1, 2, 3}
    )

    assert [r.decisions[0].location_id for r in (first, second, third)] == [1, 2, 3]
    assert none_left.decisions[0].kind is DecisionKind.UNAVAILABLE
    excluded = {c.location_id: c.ineligibility for c in none_left.decisions[0].candidates}
    assert excluded == {
        1: Ineligibility.EXCLUDED,
        2: Ineligibility.EXCLUDED,
        3: Ineligibility.EXCLUDED,
    }


def test_reroute_of_a_collect_line_refused_by_the_chosen_store_is_unavailable():
    locations = [store(1, stock={PRUNER: 5}), store(2, stock={PRUNER: 5})]
    request = RoutingRequest(lines=(collect(PRUNER, 1),))

    result = reroute(
        request=request, locations=locations, policy=RoutingPolicy(), excluded_location_ids={1}
    )

    assert result.decisions[0].unavailable_reason is UnavailableReason.CHOSEN_STORE_UNAVAILABLE


def test_reroute_skips_a_transfer_source_that_refused():
    locations = [
        store(1, stock={}),
        store(2, km=5, stock={PRUNER: 5}),
        store(3, km=50, stock={PRUNER: 5}),
    ]
    request = RoutingRequest(lines=(collect(PRUNER, 1),))

    result = reroute(
        request=request, locations=locations, policy=RoutingPolicy(), excluded_location_ids={2}
    )

    assert result.decisions[0].transfer_from_store_id == 3


def test_reroute_counts_the_parcels_still_going_out():
    # One parcel of the order is still going out; HQ allows two: the rerouted line can't split
    locations = [
        store(1, stock={PRUNER: 3}),
        store(2, stock={PRUNER: 3}),
        store(3, stock={PRUNER: 9}),
    ]
    request = RoutingRequest(lines=(home(PRUNER, 5),), customer=CUSTOMER)
    policy = RoutingPolicy(max_parcels=2)

    result = reroute(
        request=request,
        locations=locations,
        policy=policy,
        excluded_location_ids={3},
        parcels_kept=1,
    )

    assert result.decisions[0].unavailable_reason is UnavailableReason.PARCEL_LIMIT


def test_reroute_needs_a_location_to_exclude():
    request = RoutingRequest(lines=(home(PRUNER),), customer=CUSTOMER)

    with pytest.raises(ValueError, match="excludes"):
        reroute(request=request, locations=[], policy=RoutingPolicy(), excluded_location_ids=())


# The audit ------------------------------------------------------------------------------------


def test_the_decision_explains_itself_in_json():
    locations = [
        warehouse(1, stock={HOSE: 1}),
        store(2, km=3, stock={PRUNER: 4}, open_orders=10),
        store(3, km=9, stock={PRUNER: 4}, open_orders=50),
    ]

    result = route([home(PRUNER), collect(HOSE, 2)], locations)
    audit = json.loads(json.dumps(result.as_dict()))

    assert audit["policy"]["max_parcels"] == RoutingPolicy().max_parcels
    assert audit["home_delivery"]["plan"] == "single_location"
    assert audit["home_delivery"]["parcels"] == [2]
    pruner_line, hose_line = audit["lines"]
    assert pruner_line["kind"] == "direct"
    assert pruner_line["allocations"] == [{"location_id": 2, "quantity": 1}]
    best, full = audit["home_delivery"]["candidates"]
    assert best["location_id"] == 2
    assert set(best["scores"]) == {"distance", "stock_depth", "load", "fairness"}
    assert best["total"] > 0
    assert full == {
        "location_id": 3,
        "kind": "store",
        "distance_km": 9.0,
        "eligible": False,
        "ineligibility": "at_capacity",
        "serves_all": False,
        "scores": None,
        "total": None,
    }
    assert hose_line["kind"] == "transfer"
    assert hose_line["transfer_from_store_id"] == 1
    assert audit["home_delivery"]["candidates_not_shown"] == 0
    assert [c["location_id"] for c in hose_line["candidates"]] == [1, 2]


def test_the_audit_keeps_the_best_candidates_and_counts_the_others():
    # 30 stores hold the pruner, 3 of them are full
    locations = [
        store(store_id, km=store_id, stock={PRUNER: 5}, open_orders=50 if store_id % 10 == 0 else 0)
        for store_id in range(1, 31)
    ]

    audit = route([home(PRUNER)], locations).as_dict(max_candidates=5)

    shown = audit["home_delivery"]["candidates"]
    assert [c["location_id"] for c in shown] == [1, 2, 3, 4, 5, 10, 20, 30]
    assert audit["home_delivery"]["candidates_not_shown"] == 22


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: home(PRUNER, 0), id="zero-quantity"),
        pytest.param(lambda: RequestLine(PRUNER, 1, CLICK), id="collect-without-store"),
        pytest.param(lambda: RequestLine(PRUNER, 1, "by-pigeon"), id="unknown-method"),
        pytest.param(lambda: RoutingRequest(lines=()), id="no-line"),
        pytest.param(lambda: RoutingRequest(lines=(home(PRUNER),)), id="home-without-point"),
        pytest.param(lambda: RoutingPolicy(fairness_weight=-1), id="negative-weight"),
        pytest.param(lambda: RoutingPolicy(max_parcels=0), id="no-parcel"),
        pytest.param(lambda: Point(91, 0), id="latitude-out-of-range"),
    ],
)
def test_malformed_input_is_refused(build):
    with pytest.raises(ValueError):  # noqa: PT011 - the messages vary by case
        build()


def test_a_location_given_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        route([home(PRUNER)], [store(1), store(1)])


def test_the_engine_measures_great_circle_distance():
    lyon, paris = (45.7578, 4.8320), (48.8532, 2.3691)

    assert distance_km(*lyon, *paris) == pytest.approx(392, abs=2)
    assert distance_km(0, 0, 0, 180) == pytest.approx(20015, abs=1)  # antipodes: no math error


def _fields(location: Location) -> dict:
    return {name: getattr(location, name) for name in Location.__dataclass_fields__}


# Properties -----------------------------------------------------------------------------------

VARIANTS = (1, 2, 3, 4)


MOSTLY = st.sampled_from([True, True, True, False])


@st.composite
def networks(draw):
    """Up to 8 locations around Lyon holding some of four variants, mostly able to serve; an
    order of up to 5 lines; any policy; maybe a location that refused the order."""
    ids = draw(st.lists(st.integers(1, 30), min_size=2, max_size=8, unique=True))
    locations = [
        Location(
            store_id=store_id,
            kind=draw(st.sampled_from([LocationKind.STORE] * 3 + [LocationKind.WAREHOUSE])),
            latitude=draw(st.floats(45.0, 46.5)),
            longitude=draw(st.floats(4.0, 6.0)),
            available=draw(
                st.dictionaries(st.sampled_from(VARIANTS), st.integers(-1, 8), min_size=1)
            ),
            ships_from_store=draw(MOSTLY),
            offers_click_collect=draw(MOSTLY),
            offers_reserve_collect=draw(MOSTLY),
            open_orders=draw(st.integers(0, 4)),
            daily_capacity=draw(st.integers(0, 12)),
            recent_routed=draw(st.integers(0, 5)),
            is_selling=draw(MOSTLY),
        )
        for store_id in ids
    ]
    lines = draw(
        st.lists(
            st.one_of(
                st.builds(
                    RequestLine,
                    variant_id=st.sampled_from(VARIANTS),
                    quantity=st.integers(1, 6),
                    method=st.just(HOME),
                ),
                st.builds(
                    RequestLine,
                    variant_id=st.sampled_from(VARIANTS),
                    quantity=st.integers(1, 6),
                    method=st.sampled_from([CLICK, RESERVE]),
                    chosen_store_id=st.sampled_from([*ids, *ids, 99]),
                ),
            ),
            min_size=1,
            max_size=5,
        )
    )
    policy = RoutingPolicy(
        distance_weight=draw(st.floats(0, 3)),
        stock_depth_weight=draw(st.floats(0, 3)),
        load_weight=draw(st.floats(0, 3)),
        fairness_weight=draw(st.floats(0, 3)),
        max_parcels=draw(st.integers(1, 3)),
        max_distance_km=draw(st.floats(20, 300)),
        warehouse_first=draw(st.booleans()),
        transfer_for_collect=draw(st.booleans()),
    )
    excluded = draw(st.sets(st.sampled_from(ids), max_size=1))
    request = RoutingRequest(lines=tuple(lines), customer=Point(45.75, 4.85))
    return request, locations, policy, excluded


def _route(case, locations=None):
    request, network, policy, excluded = case
    return route_order(
        request=request,
        locations=network if locations is None else locations,
        policy=policy,
        excluded_location_ids=excluded,
    )


@given(networks())
@settings(max_examples=250, deadline=None)
def test_no_location_gives_more_units_than_it_has_available(case):
    _request, locations, _policy, excluded = case
    given_out: dict[tuple[int, int], int] = {}
    for decision in _route(case).decisions:
        for allocation in decision.allocations:
            assert allocation.quantity > 0
            assert allocation.location_id not in excluded
            key = (allocation.location_id, decision.line.variant_id)
            given_out[key] = given_out.get(key, 0) + allocation.quantity
    available = {
        (location.store_id, variant_id): units
        for location in locations
        for variant_id, units in location.available.items()
    }
    for key, quantity in given_out.items():
        assert quantity <= available.get(key, 0)


@given(networks())
@settings(max_examples=250, deadline=None)
def test_never_more_parcels_than_the_maximum(case):
    _request, _locations, policy, _excluded = case
    assert len(_route(case).parcels) <= policy.max_parcels


@given(networks())
@settings(max_examples=250, deadline=None)
def test_every_line_is_fully_served_or_marked_unavailable(case):
    for decision in _route(case).decisions:
        served = sum(allocation.quantity for allocation in decision.allocations)
        if decision.kind is DecisionKind.UNAVAILABLE:
            assert served == 0
            assert decision.location_id is None
            assert decision.unavailable_reason is not None
        else:
            assert served == decision.line.quantity
            assert decision.delay_days is not None
        if decision.line.method is not HOME and decision.is_served:
            assert decision.location_id == decision.line.chosen_store_id
            transferred = decision.kind is DecisionKind.TRANSFER
            assert (decision.transfer_from_store_id is not None) == transferred


@given(networks(), st.randoms(use_true_random=False))
@settings(max_examples=200, deadline=None)
def test_routing_is_deterministic_whatever_the_order_of_the_locations(case, rng: random.Random):
    _request, locations, _policy, _excluded = case
    shuffled = list(locations)
    rng.shuffle(shuffled)

    assert _route(case, shuffled).as_dict() == _route(case).as_dict()
    json.dumps(_route(case).as_dict())


# The candidates from PostgreSQL ---------------------------------------------------------------


@pytest.fixture
def lyon_network(db):
    """Two Lyon stores, a Paris store, a suspended Lyon store and the warehouse near Lyon."""
    pruner, hose = VariantFactory(sku="SEC-20"), VariantFactory(sku="TUY-25")
    presquile = StoreFactory(latitude=Decimal("45.761200"), longitude=Decimal("4.833600"))
    part_dieu = StoreFactory(
        latitude=Decimal("45.760600"),
        longitude=Decimal("4.859000"),
        offers_ship_from_store=False,
        daily_capacity=20,
    )
    bastille = StoreFactory(latitude=Decimal("48.853200"), longitude=Decimal("2.369100"))
    suspended = StoreFactory(status=Store.Status.SUSPENDED)
    entrepot = StoreFactory(
        kind=Store.Kind.WAREHOUSE, latitude=Decimal("45.696000"), longitude=Decimal("4.944000")
    )
    StockLevelFactory(store=presquile, variant=pruner, on_hand=5)
    StockLevelFactory(store=presquile, variant=hose, on_hand=3, reserved=1, safety_stock=1)
    StockLevelFactory(store=part_dieu, variant=pruner, on_hand=1, safety_stock=1)  # none left
    StockLevelFactory(store=part_dieu, variant=hose, on_hand=4)
    StockLevelFactory(store=bastille, variant=pruner, on_hand=9)
    StockLevelFactory(store=suspended, variant=pruner, on_hand=30)
    StockLevelFactory(store=entrepot, variant=hose, on_hand=100)
    StockLevelFactory(store=presquile, variant=VariantFactory(), on_hand=7)  # not asked for
    return {
        "pruner": pruner,
        "hose": hose,
        "presquile": presquile,
        "part_dieu": part_dieu,
        "bastille": bastille,
        "suspended": suspended,
        "entrepot": entrepot,
    }


def test_routing_candidates_are_the_nearby_stores_and_warehouses_with_the_variants(
    lyon_network, django_assert_num_queries
):
    n = lyon_network
    bellecour = Point(45.7578, 4.8320)

    for _index in range(12):
        make_fulfilment(store=n["part_dieu"])
    for _index in range(3):
        make_fulfilment(store=n["presquile"], method=HOME, status="collected")

    with django_assert_num_queries(1):
        locations = routing_candidates(
            variant_ids=[n["pruner"].pk, n["hose"].pk],
            point=bellecour,
            radius_km=50,
        )

    by_id = {location.store_id: location for location in locations}
    # Paris is too far, the suspended store does not sell: neither is a candidate
    assert set(by_id) == {n["presquile"].pk, n["part_dieu"].pk, n["entrepot"].pk}
    presquile = by_id[n["presquile"].pk]
    assert presquile.available == {n["pruner"].pk: 5, n["hose"].pk: 1}
    assert presquile.kind is LocationKind.STORE
    assert presquile.latitude == pytest.approx(45.7612)
    assert presquile.recent_routed == 3
    assert presquile.open_orders == 0
    part_dieu = by_id[n["part_dieu"].pk]
    assert part_dieu.available == {n["hose"].pk: 4}
    assert part_dieu.ships_from_store is False
    assert (part_dieu.open_orders, part_dieu.daily_capacity) == (12, 20)
    assert by_id[n["entrepot"].pk].kind is LocationKind.WAREHOUSE


def test_a_far_warehouse_and_the_chosen_store_are_candidates_whatever_their_distance(
    lyon_network, django_assert_num_queries
):
    n = lyon_network
    bastille = Point(48.8532, 2.3691)
    empty_chosen_store = StoreFactory(status=Store.Status.SUSPENDED)

    with django_assert_num_queries(2):
        locations = routing_candidates(
            variant_ids=[n["hose"].pk],
            point=bastille,
            radius_km=20,
            include_store_ids=[n["suspended"].pk, empty_chosen_store.pk],
        )

    by_id = {location.store_id: location for location in locations}
    assert set(by_id) == {n["entrepot"].pk, n["suspended"].pk, empty_chosen_store.pk}
    assert by_id[empty_chosen_store.pk].available == {}
    assert by_id[empty_chosen_store.pk].is_selling is False


def test_the_candidates_from_the_database_route_an_order(lyon_network):
    n = lyon_network
    bellecour = Point(45.7578, 4.8320)
    request = RoutingRequest(
        lines=(
            RequestLine(n["hose"].pk, 2, HOME),
            RequestLine(n["pruner"].pk, 2, CLICK, chosen_store_id=n["part_dieu"].pk),
        ),
        customer=bellecour,
    )
    policy = RoutingPolicy()

    locations = routing_candidates(
        variant_ids=[n["hose"].pk, n["pruner"].pk],
        point=bellecour,
        radius_km=policy.max_distance_km,
        include_store_ids=[n["part_dieu"].pk],
    )
    result = route_order(request=request, locations=locations, policy=policy)

    hose, pruner = result.decisions
    assert hose.location_id == n["entrepot"].pk
    assert pruner.kind is DecisionKind.TRANSFER
    assert pruner.location_id == n["part_dieu"].pk
    assert pruner.transfer_from_store_id == n["presquile"].pk
