"""HQ's control tower on the admin home: each figure over a week lived through the real services
(tests/hq/conftest.py), the lists behind the figures, the period form, and the page's cost."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from fulfillment.models import Fulfilment
from hq.dashboard import control_tower_context
from hq.selectors.control_tower import control_tower
from hq.selectors.periods import preset_period, today_period
from stores.models import StockPolicy
from stores.services import apply_stock_feed
from tests.factories import StockLevelFactory, StoreFactory

S = Fulfilment.Status
HOME = reverse("admin:index")


def tower_now():
    return control_tower(period=preset_period("30d"), today=today_period(), now=timezone.now())


def figures_of(context, section: str) -> dict:
    tower = context["control_tower"]
    figures = tower["network"]["payout_figures"] if section == "payouts" else tower[section]
    return {figure.key: figure for figure in figures}


def listed(admin_client, url: str) -> list:
    """The rows the admin changelist at `url` shows (and that the admin kept every filter)."""
    response = admin_client.get(url)
    assert response.status_code == 200, url
    changelist = response.context["cl"]
    asked = {key for key in changelist.params if key not in ("o", "p", "q")}
    assert asked == {key for key in dict(_query(url))}, url  # no filter was dropped
    return list(changelist.queryset)


def _query(url: str):
    return parse_qsl(urlsplit(url).query)


def test_sales_by_channel_and_method_over_the_period_and_today(week, at_now):
    tower = tower_now()

    # Six web orders of one 29,90 € item: five on Monday 16, one this morning
    assert (tower.totals.orders, tower.totals.gmv_cents) == (6, 6 * 2990)
    assert (tower.totals.today_orders, tower.totals.today_gmv_cents) == (1, 2990)
    assert tower.by_channel["web"].orders == 6
    assert tower.by_channel["endless_aisle"].orders == 0
    # Four click & collect orders, one home delivery, one reserve & collect
    assert {key: sales.orders for key, sales in tower.by_method.items()} == {
        "click_collect": 4, "home_delivery": 1, "reserve_collect": 1,
    }  # fmt: skip
    # The parcel went from the warehouse, none from a store
    assert tower.home_by_location == {"store": 0, "warehouse": 1}
    days = {day.isoformat(): (orders, gmv) for day, orders, gmv in tower.daily}
    assert days["2026-03-16"] == (5, 5 * 2990)
    assert days["2026-03-23"] == (1, 2990)
    assert sum(orders for orders, _gmv in days.values()) == 6
    # Every web order is credited to the customer's local store
    assert tower.attribution.web_orders == 6
    assert tower.attribution.unattributed_orders == 0
    assert sum(orders for orders, _gmv in tower.attribution.by_store.values()) == 6


def test_acceptance_timeouts_reroutings_late_shipments_stock_outs_and_pickups(week, at_now):
    tower = tower_now()
    quality = tower.quality

    # Accepted: Lyon's two pickups (30 and 90 minutes) and the warehouse's parcel (30 minutes);
    # Villeurbanne let one time out, Caluire refused one
    assert (quality.accepted, quality.rejected, quality.timed_out) == (3, 1, 1)
    assert quality.acceptance_rate == pytest.approx(3 / 5)
    assert quality.median_accept == timedelta(minutes=30)
    lyon = tower.quality_by_store[week.network.lyon.pk]
    assert lyon.median_accept == timedelta(minutes=60)
    # Both lost fulfilments went back to routing; Caluire's refusal cancelled the line
    assert tower.rerouting.reroutings == 2
    assert tower.rerouting.by_store == {week.network.villeurbanne.pk: 1, week.network.caluire.pk: 1}
    assert (tower.rerouting.stock_out_cancellations, tower.rerouting.stock_out_orders) == (1, 1)
    # The parcel left two days after the order, the promise allowed one
    assert (quality.shipped, quality.shipped_late) == (1, 1)
    # One pickup collected, one not
    assert (quality.collect_ended, quality.uncollected) == (2, 1)
    # Now: this morning's order awaits Lyon, past its two-hour deadline
    assert (tower.open_work.awaiting, tower.open_work.awaiting_overdue) == (1, 1)
    assert tower.returns.total == 1
    assert tower.returns.by_reason["damaged"] == 1
    assert tower.returns.by_seller == {week.network.lyon.pk: 1}


def test_stock_feeds_late_after_hq_s_limit(week, at_now):
    network = week.network
    # Lyon's till sent its feed a week ago; the others never did
    tower = tower_now()
    late = dict(tower.feeds.late)
    assert set(late) == {
        network.lyon.pk,
        network.warehouse.pk,
        network.villeurbanne.pk,
        network.caluire.pk,
    }
    assert late[network.caluire.pk] is None

    # Villeurbanne's till sends today, and HQ allows 8 days: only the never-fed are late
    rows = [{"sku": network.secateur.sku, "on_hand": 3, "sequence": 1}]
    apply_stock_feed(store=network.villeurbanne, rows=rows, source="api", actor="pos")
    StockPolicy.objects.filter(pk=1).update(feed_max_age_hours=8 * 24)
    StockPolicy.forget_cached()
    tower = tower_now()
    assert {store_id for store_id, _at in tower.feeds.late} == {
        network.warehouse.pk, network.caluire.pk,
    }  # fmt: skip
    assert tower.feeds.locations == 4


def test_payouts_held_with_what_the_network_owes(week, at_now):
    tower = tower_now()
    assert [store_id for store_id, _reason, _since, _owed in tower.payouts.held] == [
        week.network.caluire.pk
    ]
    assert tower.payouts.held_owed_cents == 0
    # No store has a payment account yet: none can be paid
    assert tower.payouts.without_account == 4 - 1  # the warehouse is HQ's own


def test_the_admin_home_shows_the_tower_in_french_with_euros(admin_client, week, at_now):
    response = admin_client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tour de contrôle" in html
    today = figures_of(response.context, "today")
    assert (today["today-orders"].value, today["today-orders"].detail) == ("1", "29,90\xa0€")
    assert today["awaiting"].value == "1"
    totals = {figure.key: figure for figure in response.context["control_tower"]["sales"]["totals"]}
    assert totals["gmv"].value == "179,40\xa0€"
    quality = figures_of(response.context, "quality")
    assert quality["acceptance"].value == "60,0\xa0%"
    assert quality["median-acceptance"].value == "30\xa0min"
    assert quality["late-shipments"].value == "1"
    assert "2990" not in html  # no raw cents


def test_each_figure_lists_the_rows_it_counts(admin_client, week, at_now):
    context = control_tower_context(_get(admin_client))
    tower = context["control_tower"]
    today = figures_of(context, "today")
    quality = figures_of(context, "quality")
    totals = {figure.key: figure for figure in tower["sales"]["totals"]}
    numbers = {
        order.number
        for order in (week.collected, week.shipped_late, week.timed_out, week.refused,
                      week.uncollected, week.today)
    }  # fmt: skip

    assert {order.number for order in listed(admin_client, totals["orders"].url)} == numbers
    assert [order.number for order in listed(admin_client, today["today-orders"].url)] == [
        week.today.number
    ]
    by_method = {bar.label: bar for bar in tower["sales"]["methods"]}
    reserve = listed(admin_client, by_method["Réservation en magasin"].url)
    assert [order.number for order in reserve] == [week.timed_out.number]
    warehouse = listed(admin_client, tower["sales"]["parcels"][1].url)
    assert [f.order.number for f in warehouse] == [week.shipped_late.number]
    assert [f.order.number for f in listed(admin_client, quality["timeouts"].url)] == [
        week.timed_out.number
    ]
    assert [f.order.number for f in listed(admin_client, quality["late-shipments"].url)] == [
        week.shipped_late.number
    ]
    assert [f.order.number for f in listed(admin_client, quality["uncollected"].url)] == [
        week.uncollected.number
    ]
    accepted = listed(admin_client, quality["acceptance"].url)
    assert {f.order.number for f in accepted} == {
        week.collected.number, week.shipped_late.number, week.uncollected.number,
    }  # fmt: skip
    assert len(listed(admin_client, quality["reroutings"].url)) == 2
    [cancelled] = listed(admin_client, quality["stock-outs"].url)
    assert cancelled.target_id == str(week.refused.pk)
    returns = {bar.label: bar for bar in tower["returns"]}
    [returned] = listed(admin_client, returns["Il est arrivé abîmé ou défectueux"].url)
    assert returned == week.returned
    late_feeds = listed(admin_client, today["late-feeds"].url)
    assert len(late_feeds) == 4
    assert [row.order.number for row in listed(admin_client, today["awaiting"].url)] == [
        week.today.number
    ]
    payouts = figures_of(context, "payouts")
    [measure] = listed(admin_client, payouts["held"].url)
    assert measure.store == week.network.caluire
    assert admin_client.get(payouts["not-payable"].url).status_code == 200


def _get(admin_client):
    return RequestFactory().get(HOME)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            {"period": "custom", "start": "2026-03-20", "end": "2026-03-01"},
            ["La fin est avant le début."],
        ),
        (
            {"period": "custom", "start": "", "end": "2026-03-01"},
            ["Indiquez le premier jour de la période."],
        ),
        (
            {"period": "custom", "start": "2025-01-01", "end": "2026-03-01"},
            ["Une période dure au plus 366 jours."],
        ),
        ({"period": "someday"}, None),
        ({"start": "mardi"}, ["Saisissez une date valide."]),
    ],
    ids=["end-before-start", "no-start", "over-a-year", "unknown-preset", "not-a-date"],
)
def test_a_wrong_period_is_refused_with_its_errors(admin_client, week, at_now, query, errors):
    response = admin_client.get(HOME, query)

    assert response.status_code == 400
    shown = [
        str(error)
        for field_errors in response.context["period_form"].errors.values()
        for error in field_errors
    ]
    if errors is not None:
        assert shown == errors
    assert "Tour de contrôle" in response.content.decode()


def test_a_custom_period_counts_only_its_days(admin_client, week, at_now):
    response = admin_client.get(
        HOME, {"period": "custom", "start": "2026-03-17", "end": "2026-03-23"}
    )

    assert response.status_code == 200
    totals = {figure.key: figure for figure in response.context["control_tower"]["sales"]["totals"]}
    assert totals["orders"].value == "1"
    assert response.context["control_tower"]["period"].first.isoformat() == "2026-03-17"


def test_the_tower_costs_the_same_queries_whatever_the_number_of_stores(
    admin_client, week, at_now, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as small:
        assert admin_client.get(HOME).status_code == 200
    for number in range(6):
        store = StoreFactory(name=f"Ardoise Rhône {number}", slug=f"rhone-{number}")
        StockLevelFactory(store=store, variant=week.network.secateur, on_hand=5)
        apply_stock_feed(
            store=store, rows=[{"sku": week.network.secateur.sku, "on_hand": 4, "sequence": 1}],
            source="api", actor="pos",
        )  # fmt: skip
    with django_assert_max_num_queries(40) as large:
        assert admin_client.get(HOME).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_worst_and_best_stores_on_each_figure(admin_client, ranked_week, at_now):
    network = ranked_week.network
    rankings = {
        ranking.key: ranking
        for ranking in admin_client.get(HOME).context["control_tower"]["rankings"]
    }

    acceptance = rankings["acceptance"]
    # Villeurbanne answered none of its three in time; Lyon accepted its five
    assert [(row.name, row.value) for row in acceptance.worst] == [
        (network.villeurbanne.name, "0,0\xa0%")
    ]
    assert [(row.name, row.value) for row in acceptance.best] == [(network.lyon.name, "100,0\xa0%")]
    assert [row.name for row in rankings["timeouts"].worst] == [network.villeurbanne.name]
    # Only Lyon accepted three or more: it is the one store ranked on its speed
    [slowest] = rankings["speed"].worst
    assert (slowest.name, slowest.value) == (network.lyon.name, "10\xa0min")
    assert rankings["speed"].best == []
    # Caluire (one case) is not ranked on rates; the warehouse never is
    assert network.caluire.name not in {row.name for row in acceptance.worst}
    # Its row links to the store's own list
    timed_out = listed(admin_client, rankings["timeouts"].worst[0].url)
    assert {f.store for f in timed_out} == {network.villeurbanne}
    assert len(timed_out) == 3
