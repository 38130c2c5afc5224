"""HQ's marketing dashboard: spend and co-funding per store, campaign and month (rejected and
cancelled lines not counted), approval times (median, 90th percentile, overdue reviews), and each
campaign's stores' web and click & collect sales before and during it, for the stores that
ordered its items against the others; bad filters are a clear error; bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketing_hub.models import MarketingOrder, MarketingOrderEvent
from marketing_hub.selectors.dashboard import (
    DashboardFilters,
    approval_times,
    campaign_impact,
    marketing_spend,
    percentile,
)
from orders.methods import FulfilmentMethod
from orders.models import Order, OrderLine
from tests.factories import StoreFactory, VariantFactory

from . import m4_data as data

TODAY = timezone.localdate()
YEAR = DashboardFilters(start=TODAY - timedelta(days=364), end=TODAY)
MO = MarketingOrder.Status


@pytest.fixture
def spring(lyon_store, paris_store):
    """A campaign that started 10 days ago; Lyon ordered its flyers, Paris ordered a poster
    outside any campaign, and one Lyon order was rejected."""
    campaign = data.campaign("Printemps au jardin 2027", start=TODAY - timedelta(days=9))
    flyer = data.item(name="Flyer printemps", campaign=campaign)
    poster = data.item(name="Affiche A3")
    data.order(lyon_store, status=MO.APPROVED, lines=[(flyer, 2_000, 1_900)])
    data.order(lyon_store, status=MO.RECEIVED, lines=[(flyer, 1_000, 1_000), (poster, 500, 0)])
    data.order(lyon_store, status=MO.REJECTED, lines=[(flyer, 9_000, 0)])
    data.order(paris_store, status=MO.PLACED, lines=[(poster, 3_000, 0)])
    return campaign


def test_spend_and_cofunding_per_store_campaign_and_month(spring, lyon_store):
    spend = marketing_spend(YEAR)

    assert [(row.label, row.store_share_cents, row.hq_share_cents) for row in spend.by_store] == [
        ("Ardoise Lyon Presqu'île", 3_500, 2_900),
        ("Ardoise Paris Bastille", 3_000, 0),
    ]
    assert [(row.label, row.store_share_cents) for row in spend.by_campaign] == [
        ("Printemps au jardin 2027", 3_000),
        ("", 3_500),
    ]
    assert sum(row.total_cents for row in spend.by_month) == 9_400
    assert (spend.total.store_share_cents, spend.total.hq_share_cents) == (6_500, 2_900)
    assert spend.total.orders == 3


def test_spend_filters_by_campaign_store_and_period(spring, lyon_store, paris_store):
    data.order(
        paris_store,
        status=MO.SHIPPED,
        lines=[(data.item(), 4_000, 0)],
        placed_at=timezone.now() - timedelta(days=500),
    )

    by_campaign = marketing_spend(DashboardFilters(start=YEAR.start, end=TODAY, campaign=spring))
    by_store = marketing_spend(DashboardFilters(start=YEAR.start, end=TODAY, store=paris_store))

    assert by_campaign.total.store_share_cents == 3_000
    assert by_store.total.store_share_cents == 3_000  # the old order is outside the year


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([], 0.5, None), ([4.0], 0.9, 4.0), ([1, 2, 3, 4], 0.5, 2.5), ([1, 2, 3, 4, 5], 0.9, 4.6)],
    ids=["none", "one", "median-even", "p90"],
)
def test_percentile_interpolates_like_postgresql(values, fraction, expected):
    assert percentile(values, fraction) == (None if expected is None else pytest.approx(expected))


def _reviewed(store, *, hours: float, deadline_hours: float, to=MO.APPROVED):
    placed = timezone.now() - timedelta(days=5)
    order = data.order(
        store, status=to, placed_at=placed, review_deadline=placed + timedelta(hours=deadline_hours)
    )
    event = MarketingOrderEvent.objects.create(
        order=order, from_status=MO.IN_REVIEW, to_status=to, actor_label="hq"
    )
    MarketingOrderEvent.objects.filter(pk=event.pk).update(
        created_at=placed + timedelta(hours=hours)
    )
    return order


def test_approval_times_give_the_median_the_90th_percentile_and_the_overdue(
    lyon_store, paris_store
):
    for hours in (2, 4, 6, 8, 30):
        _reviewed(lyon_store, hours=hours, deadline_hours=24)
    _reviewed(paris_store, hours=10, deadline_hours=48, to=MO.REJECTED)
    overdue = data.order(
        paris_store, status=MO.IN_REVIEW, review_deadline=timezone.now() - timedelta(hours=3)
    )
    data.order(lyon_store, status=MO.IN_REVIEW, review_deadline=timezone.now() + timedelta(days=1))

    times = approval_times(YEAR)

    assert times.reviewed == 6
    assert times.median_hours == 7.0
    assert times.p90_hours == 20.0  # between 10 h and 30 h
    assert times.late == 1
    assert times.waiting == 2
    assert times.overdue_count == 1
    assert times.overdue == [overdue]


def _web_order(store, *, day, cents, collect_at=None):
    placed = data.day(day)
    order = Order.objects.create(
        status=Order.Status.COMPLETED,
        email="lea@example.com",
        first_name="Léa",
        last_name="Martin",
        attributed_store=store,
        subtotal_cents=cents,
        total_cents=cents,
        online_payment_cents=cents,
        placed_at=placed,
    )
    OrderLine.objects.create(
        order=order,
        variant=VariantFactory(),
        product_name="Sécateur",
        sku="SKU",
        quantity=1,
        unit_price_cents=cents,
        vat_percent=20,
        total_cents=cents,
        vat_cents=cents // 6,
        method=FulfilmentMethod.CLICK_COLLECT if collect_at else FulfilmentMethod.HOME_DELIVERY,
        chosen_store=collect_at,
    )
    return order


def test_a_campaign_compares_the_ordering_stores_sales_before_and_during(
    spring, lyon_store, paris_store
):
    start = spring.starts_on  # 9 days ago: a 10-day window during, the 10 days before it
    _web_order(lyon_store, day=start - timedelta(days=3), cents=10_000)
    _web_order(lyon_store, day=start + timedelta(days=1), cents=12_000, collect_at=lyon_store)
    _web_order(lyon_store, day=start + timedelta(days=2), cents=3_000)
    _web_order(lyon_store, day=start - timedelta(days=30), cents=99_900)  # outside both windows
    _web_order(paris_store, day=start - timedelta(days=1), cents=8_000, collect_at=paris_store)
    _web_order(paris_store, day=start, cents=4_000)

    [impact] = campaign_impact(YEAR)

    assert (impact.during_start, impact.during_end) == (start, TODAY)
    assert (impact.before_start, impact.before_end) == (
        start - timedelta(days=10),
        start - timedelta(days=1),
    )
    ordering, others = impact.ordering, impact.others
    assert (ordering.stores, others.stores) == (1, 1)
    assert (ordering.before.web_cents, ordering.during.web_cents) == (10_000, 15_000)
    assert (ordering.before.collect_cents, ordering.during.collect_cents) == (0, 12_000)
    assert ordering.web_change_percent == 50.0
    assert (others.before.web_cents, others.during.web_cents) == (8_000, 4_000)
    assert (others.before.collect_cents, others.during.collect_cents) == (8_000, 0)
    assert others.web_change_percent == -50.0


def test_a_campaign_not_started_is_not_compared(lyon_store):
    data.campaign("Rentrée", start=TODAY + timedelta(days=3), end=TODAY + timedelta(days=40))

    assert campaign_impact(DashboardFilters(start=TODAY, end=TODAY + timedelta(days=60))) == []


def test_hq_reads_the_dashboard_from_the_admin(admin_client, spring):
    index = admin_client.get(reverse("admin:index"))
    dashboard = admin_client.get(reverse("admin:marketing_hub_marketingdashboard_changelist"))

    assert reverse("admin:marketing_hub_marketingdashboard_changelist") in index.content.decode()
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert "Printemps au jardin 2027" in html
    assert "65,00\u00a0€" in html  # the stores' spend
    assert "29,00\u00a0€" in html  # HQ's co-funding


def test_a_period_that_ends_before_it_starts_is_a_clear_error(admin_client, spring):
    url = reverse("admin:marketing_hub_marketingdashboard_changelist")

    page = admin_client.get(url, {"start": "2027-05-01", "end": "2027-04-01"})

    assert page.status_code == 400
    assert "dashboard-errors" in page.content.decode()


def test_a_store_owner_cannot_open_the_dashboard(client, lyon_owner):
    client.force_login(lyon_owner)

    page = client.get(reverse("admin:marketing_hub_marketingdashboard_changelist"))

    assert page.status_code == 302  # to the admin's login


def test_the_dashboard_stays_within_a_fixed_number_of_queries(
    admin_client, spring, django_assert_max_num_queries
):
    for index in range(12):
        store = StoreFactory(name=f"Ardoise {index}", slug=f"ardoise-{index}")
        data.order(store, status=MO.APPROVED, lines=[(data.item(campaign=spring), 1_000, 500)])
        _web_order(store, day=spring.starts_on, cents=1_000, collect_at=store)
    data.campaign("Fête des pères", start=TODAY - timedelta(days=3))

    with django_assert_max_num_queries(40):
        page = admin_client.get(reverse("admin:marketing_hub_marketingdashboard_changelist"))

    assert page.status_code == 200


def test_each_dashboard_selector_runs_a_fixed_number_of_queries(
    spring, lyon_store, paris_store, django_assert_num_queries
):
    for index in range(8):
        store = StoreFactory(name=f"Ardoise {index}", slug=f"ardoise-q{index}")
        data.order(store, status=MO.APPROVED, lines=[(data.item(campaign=spring), 1_000, 500)])
        _reviewed(store, hours=index + 1, deadline_hours=4)
        _web_order(store, day=spring.starts_on, cents=1_000, collect_at=store)

    with django_assert_num_queries(4):
        marketing_spend(YEAR)
    with django_assert_num_queries(3):
        approval_times(YEAR)
    with django_assert_num_queries(2 + 1 + 4):  # campaigns, who ordered, stores; 4 per campaign
        campaign_impact(YEAR)
