"""Fair routing made tunable: the fairness window and weights are HQ's settings, validated; the
report shows how home deliveries were spread per area against capacity and stock; the
simulation replays the last days' orders with candidate weights and writes nothing; "apply"
saves them, audited. And HQ's admin pages of the scorecards."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from hq.models import RoutingWeightsChange, StoreStanding
from hq.selectors.routing_spread import Weights, routing_spread, simulate_routing
from hq.services import apply_consequences
from orders.models import OrderPolicy
from tests.fulfillment.conftest import emails_sent

from .scorecard_network import MONDAY, let_time_out

PAGE = "admin:hq_fairrouting_changelist"


def weights(distance="0", stock="0", load="0", fairness="0", window=7) -> Weights:
    return Weights(Decimal(distance), Decimal(stock), Decimal(load), Decimal(fairness), window)


@pytest.fixture
def three_home_orders(lyon_network):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        for _index in range(3):
            lyon_network.home_order()
            traveller.shift(timedelta(hours=1))
    return lyon_network


@pytest.mark.django_db
def test_the_report_spreads_home_deliveries_over_the_stores_of_each_area(three_home_orders):
    network = three_home_orders
    spread = routing_spread(start=MONDAY - timedelta(days=1), end=MONDAY + timedelta(days=1))

    (area,) = spread.areas
    assert area.area == "69"
    rows = {store.name: store for store in area.stores}
    lyon, villeurbanne = rows[network.lyon.name], rows[network.villeurbanne.name]
    assert sum(store.orders for store in area.stores) == 3
    assert lyon.orders + villeurbanne.orders == 3
    assert lyon.capacity_share == villeurbanne.capacity_share == Decimal("50.0")
    assert lyon.stock_share + villeurbanne.stock_share == 100


@pytest.mark.django_db
def test_a_simulation_replays_the_orders_with_other_weights_and_writes_nothing(
    three_home_orders,
):
    network = three_home_orders
    policy_before = OrderPolicy.current().updated_at
    with (
        time_machine.travel(MONDAY + timedelta(hours=4), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        nearest = simulate_routing(days=2, candidate=weights(distance="1"))
        fairest = simulate_routing(days=2, candidate=weights(fairness="1"))

    writes = [
        query["sql"] for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]  # fmt: skip
    assert writes == []
    assert OrderPolicy.current().updated_at == policy_before
    assert nearest.replayed_orders == 3

    def simulated(simulation) -> dict[str, int]:
        return {
            store.name: store.simulated_orders
            for area in simulation.before.areas
            for store in area.stores
        }

    assert simulated(nearest) == {network.lyon.name: 3, network.villeurbanne.name: 0}
    # Fairness alone: the store given the fewest recently gets the next one.
    assert simulated(fairest) == {network.lyon.name: 2, network.villeurbanne.name: 1}


@pytest.mark.django_db
def test_hq_applies_simulated_weights_with_its_reason(three_home_orders, client, hq_admin):
    client.force_login(hq_admin)
    with time_machine.travel(MONDAY + timedelta(hours=4), tick=False):
        simulated = client.get(
            reverse(PAGE),
            {"simulate": "1", "distance_weight": "0.1", "stock_depth_weight": "0.1",
             "load_weight": "0.1", "fairness_weight": "0.7", "fairness_window_days": "14",
             "days": "2"},
        )  # fmt: skip
        assert simulated.status_code == 200
        assert simulated.context["simulation"].replayed_orders == 3
        applied = client.post(
            reverse(PAGE),
            {"distance_weight": "0.1", "stock_depth_weight": "0.1", "load_weight": "0.1",
             "fairness_weight": "0.7", "fairness_window_days": "14", "days": "2",
             "simulated_orders": "3", "reason": "Mieux répartir entre Lyon et Villeurbanne."},
        )  # fmt: skip

    assert applied.status_code == 302
    policy = OrderPolicy.current()
    assert (policy.fairness_weight, policy.fairness_window_days) == (Decimal("0.70"), 14)
    change = RoutingWeightsChange.objects.get()
    assert change.actor_label == hq_admin.email
    assert change.before["fairness_weight"] == "0.15"
    assert change.after["fairness_window_days"] == 14
    assert change.reason == "Mieux répartir entre Lyon et Villeurbanne."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"fairness_weight": "1.5"}, "inférieure ou égale à 1", id="weight-above-1"),
        pytest.param({"load_weight": "-0.1"}, "supérieure ou égale à 0", id="negative-weight"),
        pytest.param(
            {"distance_weight": "0", "stock_depth_weight": "0", "load_weight": "0",
             "fairness_weight": "0"},
            "Au moins un poids", id="all-zero",
        ),
        pytest.param({"fairness_window_days": "0"}, "supérieure ou égale à 1", id="no-window"),
        pytest.param({"fairness_window_days": "365"}, "inférieure ou égale à 90", id="long-window"),
        pytest.param({"distance_weight": "beaucoup"}, "Saisissez un nombre", id="not-a-number"),
    ],
)  # fmt: skip
def test_candidate_weights_out_of_bounds_are_refused_with_their_field(
    changes, message, client, hq_admin
):
    client.force_login(hq_admin)
    data = {"distance_weight": "0.4", "stock_depth_weight": "0.2", "load_weight": "0.25",
            "fairness_weight": "0.15", "fairness_window_days": "7", "days": "28"}  # fmt: skip
    data.update(changes)

    simulated = client.get(reverse(PAGE), {"simulate": "1", **data})
    applied = client.post(reverse(PAGE), {**data, "reason": "Essai"})

    for response in (simulated, applied):
        assert response.status_code == 400
        assert message in response.content.decode()
    assert response.context["simulation"] is None
    assert not RoutingWeightsChange.objects.exists()
    assert OrderPolicy.current().fairness_weight == Decimal("0.15")


@pytest.mark.django_db
def test_apply_without_a_reason_changes_nothing(client, hq_admin):
    client.force_login(hq_admin)
    response = client.post(
        reverse(PAGE),
        {"distance_weight": "0.1", "stock_depth_weight": "0.1", "load_weight": "0.1",
         "fairness_weight": "0.7", "fairness_window_days": "14", "days": "2", "reason": " "},
    )  # fmt: skip
    assert response.status_code == 400
    assert OrderPolicy.current().fairness_weight == Decimal("0.15")


@pytest.mark.django_db
def test_the_fairness_window_counts_the_home_deliveries_of_hqs_days(lyon_network):
    policy = OrderPolicy.current()
    policy.distance_weight, policy.fairness_weight = Decimal("0"), Decimal("1")
    policy.load_weight = policy.stock_depth_weight = Decimal("0")
    policy.fairness_window_days = 1
    policy.save()
    with time_machine.travel(MONDAY, tick=False) as traveller:
        first = lyon_network.home_order()
        traveller.shift(timedelta(days=2))  # the first left the 1-day window
        second = lyon_network.home_order()
    assert first.fulfilments.get().store == second.fulfilments.get().store == lyon_network.lyon


@pytest.mark.django_db
def test_hq_sees_the_stores_by_standing_and_lifts_one_with_a_reason(
    lyon_network, thresholds, client, hq_admin
):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        let_time_out(lyon_network, 2, traveller)
        apply_consequences()
    client.force_login(hq_admin)

    listing = client.get(reverse("admin:hq_storestanding_changelist"), {"status__exact": "warned"})
    assert listing.status_code == 200
    assert escape(lyon_network.lyon.name) in listing.content.decode()
    assert escape(lyon_network.villeurbanne.name) not in listing.content.decode()

    standing = StoreStanding.objects.get(store=lyon_network.lyon)
    url = reverse("admin:hq_storestanding_change", args=[standing.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Non acceptées à temps" in page.content.decode()

    refused = client.post(url, {"action": "lift", "lift-reason": ""})
    assert refused.status_code == 400
    assert StoreStanding.objects.get(pk=standing.pk).status == "warned"

    lifted = client.post(url, {"action": "lift", "lift-reason": "Inventaire en cours, vu."})
    assert lifted.status_code == 302
    assert StoreStanding.objects.get(pk=standing.pk).status == "good"
    assert emails_sent("hq_standing")[-1].payload["context"]["hq_reason"] == (
        "Inventaire en cours, vu."
    )


@pytest.mark.django_db
def test_hq_takes_a_store_out_from_its_scorecard_page(lyon_network, client, hq_admin):
    apply_consequences()
    standing = StoreStanding.objects.get(store=lyon_network.lyon)
    client.force_login(hq_admin)
    url = reverse("admin:hq_storestanding_change", args=[standing.pk])

    too_long = client.post(url, {"action": "impose", "impose-reason": "Test", "impose-days": "400"})
    assert too_long.status_code == 400
    taken_out = client.post(
        url, {"action": "impose", "impose-reason": "Réclamations clients.", "impose-days": "5"}
    )

    assert taken_out.status_code == 302
    standing.refresh_from_db()
    assert standing.status == "suspended"
    lyon_network.lyon.refresh_from_db()
    assert lyon_network.lyon.home_delivery_suspended
