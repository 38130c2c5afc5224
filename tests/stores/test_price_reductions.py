"""Price reductions and the Omnibus reference: every price change is written to the price
history; a price announced as reduced is shown against the lowest price of the 30 days before
the reduction (EU directive 98/6/EC art. 6a, French Code de la consommation L112-1-1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import PriceHistory
from catalog.selectors import hq_reductions, product_reductions
from catalog.services import import_catalogue, record_hq_price_changes
from stores.models import StockLevel
from stores.selectors import offer_reductions
from stores.services import NotAReduction, PriceOutOfBounds, apply_stock_feed, update_offer
from stores.services import feeds as feeds_module

from .factories import build_network


@pytest.fixture
def network(db):
    return build_network()


def history(*, variant, store=None) -> list[int]:
    rows = PriceHistory.objects.filter(
        variant=variant, store_id=store.pk if store else None
    ).order_by("started_at", "pk")
    return [row.price_cents for row in rows]


def price_was(*, variant, store=None, cents: int, days_ago: float) -> None:
    PriceHistory.objects.create(
        variant=variant, store_id=store.pk if store else None, price_cents=cents,
        started_at=timezone.now() - timedelta(days=days_ago), source="test",
    )  # fmt: skip


def announce_hq_reduction(variant, *, cents: int, days_ago: float = 0) -> None:
    variant.rrp_cents = cents
    variant.promotion_started_at = timezone.now() - timedelta(days=days_ago)
    variant.save()
    record_hq_price_changes(
        variant_ids=[variant.pk], source="test", at=variant.promotion_started_at
    )


# The history is written on every kind of change ------------------------------------------


def test_a_store_price_change_in_the_back_office_is_written_to_the_history(
    lyon_store, secateur, lyon_owner
):
    update_offer(store=lyon_store, variant=secateur, price_cents=2800, source="backoffice",
                 actor=lyon_owner)  # fmt: skip
    update_offer(store=lyon_store, variant=secateur, price_cents=None, source="backoffice",
                 actor=lyon_owner)  # fmt: skip

    # Back at HQ's price: the history says what the customer paid, the RRP.
    assert history(variant=secateur, store=lyon_store) == [2800, 2990]


def test_an_unchanged_price_writes_no_history(lyon_store, secateur, lyon_owner):
    update_offer(store=lyon_store, variant=secateur, price_cents=2800, source="api", actor="x")
    update_offer(store=lyon_store, variant=secateur, price_cents=2800, source="api", actor="x")
    update_offer(store=lyon_store, variant=secateur, on_hand=3, source="api", actor="x")

    assert history(variant=secateur, store=lyon_store) == [2800]


@pytest.mark.parametrize("path", ["bulk", "portable"])
def test_a_feed_writes_the_history_of_the_prices_it_changes(
    lyon_store, secateur, watering_can, monkeypatch, path
):
    if path == "portable":
        monkeypatch.setattr(feeds_module, "use_bulk_path", lambda: False)

    def feed(rows):
        apply_stock_feed(store=lyon_store, rows=rows, source="api", actor="till")

    feed([{"sku": "ARD-SEC-01", "on_hand": 3, "price_cents": 2800, "sequence": 1},
          {"sku": "ARD-ARR-10", "on_hand": 3, "sequence": 1}])  # fmt: skip
    feed([{"sku": "ARD-SEC-01", "on_hand": 2, "price_cents": 2800, "sequence": 2},
          {"sku": "ARD-ARR-10", "on_hand": 2, "price_cents": 1250, "sequence": 2}])  # fmt: skip
    feed([{"sku": "ARD-SEC-01", "on_hand": 1, "price_cents": 2700, "sequence": 3}])
    # A replay changes nothing, its prices included.
    feed([{"sku": "ARD-SEC-01", "on_hand": 9, "price_cents": 3000, "sequence": 2}])

    assert history(variant=secateur, store=lyon_store) == [2800, 2700]
    assert history(variant=watering_can, store=lyon_store) == [1250]


def test_hq_price_changes_are_written_once_each(secateur):
    record_hq_price_changes(variant_ids=[secateur.pk], source="admin")
    record_hq_price_changes(variant_ids=[secateur.pk], source="admin")
    secateur.rrp_cents = 2490
    secateur.save()
    record_hq_price_changes(variant_ids=[secateur.pk], source="admin")

    assert history(variant=secateur) == [2990, 2490]


def test_a_catalogue_import_writes_hq_price_changes(db, hq_admin):
    header = "product_slug,product_name,category_path,sku,rrp\n"
    for rrp in ("19.90", "17.90", "17.90"):
        report = import_catalogue(
            data=f"{header}pelle,Pelle,Jardin,PEL-1,{rrp}\n".encode(),
            filename="c.csv", actor=hq_admin, apply=True,
        )  # fmt: skip
        assert report.applied

    assert list(
        PriceHistory.objects.filter(variant__sku="PEL-1", store_id=None)
        .order_by("started_at", "pk")
        .values_list("price_cents", flat=True)
    ) == [1990, 1790]


# The Omnibus reference --------------------------------------------------------------------


def test_the_reference_is_the_lowest_price_of_the_30_days_before_the_reduction(secateur):
    price_was(variant=secateur, cents=2490, days_ago=45)  # before the window: does not count
    price_was(variant=secateur, cents=3290, days_ago=31)  # in effect when the window opens
    price_was(variant=secateur, cents=2990, days_ago=10)
    announce_hq_reduction(secateur, cents=2390)

    reduction = hq_reductions([secateur], now=timezone.now())[secateur.pk]

    assert (reduction.price_cents, reduction.reference_cents, reduction.percent) == (
        2390, 2990, 20,
    )  # fmt: skip


def test_a_price_raised_just_before_the_reduction_does_not_make_it_look_bigger(secateur):
    price_was(variant=secateur, cents=2990, days_ago=40)
    price_was(variant=secateur, cents=3990, days_ago=5)  # raised, then "reduced"
    announce_hq_reduction(secateur, cents=3490)

    # The lowest of the 30 days is 29,90 €: 34,90 € is not a reduction at all.
    assert hq_reductions([secateur], now=timezone.now()) == {}


def test_a_price_with_no_history_before_the_reduction_is_its_own_reference(secateur):
    announce_hq_reduction(secateur, cents=2390)

    assert hq_reductions([secateur], now=timezone.now()) == {}


def test_a_second_markdown_keeps_the_first_reference(lyon_store, secateur, lyon_owner):
    price_was(variant=secateur, store=lyon_store, cents=3200, days_ago=20)
    StockLevel.objects.create(store=lyon_store, variant=secateur, price_cents=3200)
    update_offer(store=lyon_store, variant=secateur, price_cents=2900, reduction=True,
                 source="backoffice", actor=lyon_owner)  # fmt: skip
    update_offer(store=lyon_store, variant=secateur, price_cents=2700, reduction=True,
                 source="backoffice", actor=lyon_owner)  # fmt: skip

    reduction = offer_reductions([(lyon_store.pk, secateur.pk)])[lyon_store.pk, secateur.pk]

    assert (reduction.price_cents, reduction.reference_cents) == (2700, 3200)


def test_an_ended_reduction_is_no_longer_shown(lyon_store, secateur, lyon_owner):
    price_was(variant=secateur, store=lyon_store, cents=3200, days_ago=20)
    StockLevel.objects.create(store=lyon_store, variant=secateur, price_cents=3200)
    ends = timezone.now() + timedelta(days=2)
    update_offer(store=lyon_store, variant=secateur, price_cents=2900, reduction=True,
                 reduction_ends_at=ends, source="backoffice", actor=lyon_owner)  # fmt: skip

    pair = (lyon_store.pk, secateur.pk)
    assert pair in offer_reductions([pair])
    assert offer_reductions([pair], now=ends + timedelta(seconds=1)) == {}


def test_a_store_cannot_announce_a_price_that_is_not_below_its_30_day_low(
    lyon_store, secateur, lyon_owner
):
    price_was(variant=secateur, store=lyon_store, cents=2800, days_ago=12)
    StockLevel.objects.create(store=lyon_store, variant=secateur, price_cents=3000)

    with pytest.raises(NotAReduction) as refused:
        update_offer(store=lyon_store, variant=secateur, price_cents=2900, reduction=True,
                     source="backoffice", actor=lyon_owner)  # fmt: skip

    assert refused.value.reference_cents == 2800
    level = StockLevel.objects.get(store=lyon_store, variant=secateur)
    assert (level.price_cents, level.promotion_started_at) == (3000, None)


def test_a_reduced_store_price_stays_within_hq_bounds(lyon_store, secateur, lyon_owner):
    with pytest.raises(PriceOutOfBounds):
        update_offer(store=lyon_store, variant=secateur, price_cents=1000, reduction=True,
                     source="backoffice", actor=lyon_owner)  # fmt: skip


# The pages --------------------------------------------------------------------------------


def reduce_in_presquile(network, *, cents: int = 2490) -> None:
    level = StockLevel.objects.get(store__slug="lyon-presquile", variant=network.pruner_20)
    price_was(variant=network.pruner_20, store=level.store, cents=level.price_cents, days_ago=20)
    update_offer(store=level.store, variant=network.pruner_20, price_cents=cents, reduction=True,
                 source="backoffice", actor="test")  # fmt: skip


def test_the_product_page_shows_a_store_reduction_with_its_30_day_lowest_price(client, network):
    reduce_in_presquile(network)

    html = client.get("/p/secateur-pro-20/", {"postal_code": "69002"}).content.decode()

    assert 'data-testid="reduced-price"' in html
    assert "\N{MINUS SIGN}10 %" in html
    assert "Prix le plus bas des 30 derniers jours\xa0: 27,90" in html


def test_the_product_page_and_listing_show_hq_reductions(client, network):
    price_was(variant=network.pruner_20, cents=2990, days_ago=40)
    announce_hq_reduction(network.pruner_20, cents=2490)

    product = client.get("/p/secateur-pro-20/").content.decode()
    listing = client.get("/c/jardin/")

    assert "Prix le plus bas des 30 derniers jours\xa0: 29,90" in product
    assert "\N{MINUS SIGN}16 %" in product
    cards = {item.slug: item.reduction for item in listing.context["page"].object_list}
    assert cards["secateur-pro-20"].reference_cents == 2990
    assert cards["tuyau-arrosage-25"] is None


def test_pages_with_reductions_take_a_bounded_number_of_queries(
    client, network, django_assert_max_num_queries
):
    reduce_in_presquile(network)
    for variant in (network.pruner_20, network.pruner_25):
        price_was(variant=variant, cents=variant.rrp_cents + 500, days_ago=40)
        announce_hq_reduction(variant, cents=variant.rrp_cents - 200)
    client.get("/p/secateur-pro-20/", {"postal_code": "69002"})  # warm the session and caches

    with django_assert_max_num_queries(20):
        product = client.get("/p/secateur-pro-20/", {"postal_code": "69002"})
    with django_assert_max_num_queries(20):
        listing = client.get("/c/jardin/")

    assert product.content.decode().count('data-testid="reduced-price"') == 2
    assert "Prix le plus bas" in listing.content.decode()


def test_reductions_of_many_offers_take_one_query(network, django_assert_num_queries):
    pairs = list(StockLevel.objects.values_list("store_id", "variant_id"))
    with django_assert_num_queries(1):
        offer_reductions(pairs)
    with django_assert_num_queries(1):
        product_reductions([network.pruner, network.hose, network.hammer], now=timezone.now())


# The API ----------------------------------------------------------------------------------


def test_a_store_key_announces_a_reduction_through_the_api(lyon_api_key, lyon_store, lyon_stock):
    from rest_framework.test import APIClient

    secateur = lyon_stock["secateur"].variant
    price_was(variant=secateur, store=lyon_store, cents=2990, days_ago=20)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {lyon_api_key}")
    url = f"/api/v1/stores/{lyon_store.slug}/stock/ARD-SEC-01/"

    refused = client.patch(url, {"price_cents": 3000, "reduction": True}, format="json")
    accepted = client.patch(url, {"price_cents": 2790, "reduction": True}, format="json")

    assert refused.status_code == 400
    assert refused.json()["code"] == "not_a_reduction"
    assert accepted.status_code == 200
    reduction = offer_reductions([(lyon_store.pk, secateur.pk)])[lyon_store.pk, secateur.pk]
    assert (reduction.price_cents, reduction.reference_cents) == (2790, 2990)
