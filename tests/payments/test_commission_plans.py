"""HQ's commission plan: a rate by category inherited down the tree, overridden per store and
per period; the network default; HQ's own locations pay none; HQ edits it in admin."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from payments.models import CommissionRate
from payments.selectors import commission_rate_for, commission_rates
from tests.factories import CategoryFactory

MARCH = date(2026, 3, 15)


@pytest.fixture
def garden(db):
    """Jardin > Outils > Sécateurs."""
    jardin = CategoryFactory(name="Jardin")
    outils = CategoryFactory(name="Outils", parent=jardin)
    return jardin, outils, CategoryFactory(name="Sécateurs", parent=outils)


def test_a_category_without_a_rate_inherits_its_nearest_ancestors(plan, garden, paris_store):
    jardin, outils, secateurs = garden
    CommissionRate.objects.create(category=jardin, rate_percent=Decimal("10"))
    CommissionRate.objects.create(category=outils, rate_percent=Decimal("8"))

    assert commission_rate_for(store=paris_store, category=secateurs, on=MARCH) == Decimal("8")
    assert commission_rate_for(store=paris_store, category=jardin, on=MARCH) == Decimal("10")


def test_with_no_rate_anywhere_the_network_default_applies(plan, garden, paris_store):
    assert commission_rate_for(store=paris_store, category=garden[2], on=MARCH) == Decimal("12")


def test_a_store_rate_overrides_the_network_only_within_its_period(plan, garden, paris_store,
                                                                    lyon_store):  # fmt: skip
    jardin, _outils, secateurs = garden
    CommissionRate.objects.create(category=jardin, rate_percent=Decimal("10"))
    CommissionRate.objects.create(
        store=paris_store, category=jardin, rate_percent=Decimal("6"),
        valid_from=date(2026, 3, 1), valid_until=date(2026, 4, 1),
    )  # fmt: skip

    assert commission_rate_for(store=paris_store, category=secateurs, on=MARCH) == Decimal("6")
    assert commission_rate_for(store=paris_store, category=secateurs, on=date(2026, 4, 1)) == 10
    assert commission_rate_for(store=paris_store, category=secateurs, on=date(2026, 2, 28)) == 10
    assert commission_rate_for(store=lyon_store, category=secateurs, on=MARCH) == Decimal("10")


def test_a_stores_own_rate_for_every_category_beats_the_networks_category_rate(
    plan, garden, paris_store
):
    CommissionRate.objects.create(category=garden[2], rate_percent=Decimal("15"))
    CommissionRate.objects.create(store=paris_store, rate_percent=Decimal("9"))

    assert commission_rate_for(store=paris_store, category=garden[2], on=MARCH) == Decimal("9")


def test_branches_and_the_warehouse_pay_no_commission(plan, garden, villeurbanne_branch,
                                                      warehouse):  # fmt: skip
    CommissionRate.objects.create(store=villeurbanne_branch, rate_percent=Decimal("9"))

    for location in (villeurbanne_branch, warehouse):
        assert commission_rate_for(store=location, category=garden[0], on=MARCH) == 0


def test_an_orders_lines_are_resolved_in_three_queries(plan, garden, paris_store, lyon_store,
                                                       django_assert_num_queries):  # fmt: skip
    CommissionRate.objects.create(category=garden[0], rate_percent=Decimal("10"))
    wanted = [(store, category.pk) for store in (paris_store, lyon_store) for category in garden]

    with django_assert_num_queries(2):  # the plan is given: the tree and the rates
        rates = commission_rates(wanted=wanted, on=MARCH, plan=plan)

    assert set(rates.values()) == {Decimal("10")}


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ((date(2026, 1, 1), date(2026, 3, 1)), (date(2026, 3, 1), None), False),
        ((date(2026, 1, 1), date(2026, 3, 2)), (date(2026, 3, 1), None), True),
        ((None, None), (date(2026, 3, 1), date(2026, 4, 1)), True),
        ((None, date(2026, 1, 1)), (date(2026, 1, 1), None), False),
    ],
    ids=["back-to-back", "one-day-overlap", "open-ended-covers-all", "open-ends-meet"],
)
def test_two_rates_of_one_store_and_category_may_not_overlap(plan, garden, paris_store, first,
                                                            second, overlap):  # fmt: skip
    CommissionRate.objects.create(store=paris_store, category=garden[0], rate_percent=5,
                                  valid_from=first[0], valid_until=first[1])  # fmt: skip
    rate = CommissionRate(store=paris_store, category=garden[0], rate_percent=7,
                          valid_from=second[0], valid_until=second[1])  # fmt: skip

    if overlap:
        with pytest.raises(ValidationError, match=r"chevauche|overlaps"):
            rate.full_clean()
    else:
        rate.full_clean()


@pytest.mark.parametrize("percent", [Decimal("-1"), Decimal("100.01")], ids=["negative", "over"])
def test_a_rate_is_between_0_and_100(plan, garden, percent):
    with pytest.raises(ValidationError):
        CommissionRate(category=garden[0], rate_percent=percent).full_clean()


def test_hq_adds_a_store_rate_in_admin_and_an_overlap_is_refused(client, hq_admin, garden,
                                                                 paris_store):  # fmt: skip
    client.force_login(hq_admin)
    url = reverse("admin:payments_commissionrate_add")
    data = {"store": paris_store.pk, "category": garden[0].pk, "rate_percent": "6",
            "valid_from": "2026-03-01", "valid_until": "2026-04-01", "note": ""}  # fmt: skip

    assert client.post(url, data).status_code == 302
    refused = client.post(url, {**data, "valid_from": "2026-03-15", "valid_until": ""})

    assert refused.status_code == 200
    assert CommissionRate.objects.count() == 1
    assert client.get(reverse("admin:payments_commissionrate_changelist")).status_code == 200
    plan_page = client.get(reverse("admin:payments_commissionplan_changelist"), follow=True)
    assert plan_page.status_code == 200
