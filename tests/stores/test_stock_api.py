"""The store-scoped stock API: stock rows, one SKU's offer, feed batches, movements."""

import json
import uuid

import pytest
from rest_framework.test import APIClient

from network_marketplace.models import AuditEvent
from stores.models import StockLevel, StockMovement
from stores.services import adjust_on_hand
from tests.factories import StockLevelFactory, VariantFactory


def api(secret=None, user=None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    if user:
        client.force_login(user)
    return client


def stock_url(store, suffix=""):
    return f"/api/v1/stores/{store.slug}/stock/{suffix}"


def levels(store):
    return {
        level.variant.sku: (level.on_hand, level.price_cents)
        for level in StockLevel.objects.for_store(store).select_related("variant")
    }


# Listing -------------------------------------------------------------------------------------


def test_store_key_lists_its_stock_with_prices_and_hq_bounds(lyon_api_key, lyon_store, lyon_stock):
    response = api(lyon_api_key).get(stock_url(lyon_store))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    secateur = next(row for row in body["results"] if row["sku"] == "ARD-SEC-01")
    assert secateur == {
        "sku": "ARD-SEC-01",
        "gtin": lyon_stock["secateur"].variant.gtin,
        "product": "Sécateur Ardoise",
        "options": {},
        "on_hand": 8,
        "reserved": 0,
        "safety_stock": 0,
        "available": 8,
        "price_cents": None,
        "rrp_cents": 2990,
        "effective_price_cents": 2990,
        "min_price_cents": 2691,
        "max_price_cents": 3289,
        "feed_position": 0,
        "updated_at": secateur["updated_at"],
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "arrosoir"}, ["ARD-ARR-10"]),
        ({"available": "true"}, ["ARD-SEC-01"]),
        ({"available": "false"}, ["ARD-ARR-10"]),
        ({"sku": "ARD-SEC-01"}, ["ARD-SEC-01"]),
        ({"sku": "ARD-SEC"}, []),
    ],
    ids=["q", "available", "unavailable", "sku", "sku-is-exact"],
)
def test_stock_list_filters(lyon_api_key, lyon_store, lyon_stock, params, expected):
    response = api(lyon_api_key).get(stock_url(lyon_store), params)

    assert [row["sku"] for row in response.json()["results"]] == expected


def test_stock_list_rejects_a_bad_filter_with_its_field(lyon_api_key, lyon_store):
    response = api(lyon_api_key).get(stock_url(lyon_store), {"available": "perhaps"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "available" in response.json()["fields"]


def test_stock_list_is_paginated_with_bounded_queries(
    lyon_api_key, lyon_store, garden_tools, django_assert_max_num_queries
):
    from tests.factories import ProductFactory

    product = ProductFactory(category=garden_tools)
    for _n in range(30):
        StockLevelFactory(store=lyon_store, variant=VariantFactory(product=product))
    client = api(lyon_api_key)

    with django_assert_max_num_queries(8):
        response = client.get(stock_url(lyon_store), {"page_size": 20, "page": 2})

    assert response.status_code == 200
    assert response.json()["count"] == 30
    assert len(response.json()["results"]) == 10


def test_one_skus_offer_is_readable(lyon_api_key, lyon_store, lyon_stock):
    client = api(lyon_api_key)

    found = client.get(stock_url(lyon_store, "ARD-ARR-10/"))
    missing = client.get(stock_url(lyon_store, "ARD-NOPE/"))

    assert found.status_code == 200
    assert (found.json()["price_cents"], found.json()["effective_price_cents"]) == (1250, 1250)
    assert missing.status_code == 404


# One SKU -------------------------------------------------------------------------------------


def test_store_key_sets_stock_and_price_of_a_sku(lyon_api_key, lyon_store, lyon_stock):
    response = api(lyon_api_key).patch(
        stock_url(lyon_store, "ARD-SEC-01/"), {"on_hand": 12, "price_cents": 2800}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["on_hand"], response.json()["price_cents"]) == (12, 2800)
    assert levels(lyon_store)["ARD-SEC-01"] == (12, 2800)
    movement = StockMovement.objects.get(store=lyon_store)
    assert (movement.delta, movement.source) == (4, StockMovement.Source.API)
    assert movement.actor_label.startswith("api-key:")
    assert AuditEvent.objects.filter(action="stock.offer_updated", store_id=lyon_store.pk).exists()


def test_price_out_of_bounds_is_a_400_that_names_the_bound(lyon_api_key, lyon_store, lyon_stock):
    response = api(lyon_api_key).patch(
        stock_url(lyon_store, "ARD-SEC-01/"), {"on_hand": 1, "price_cents": 2000}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "price_out_of_bounds"
    assert "26,91\xa0€" in body["detail"]
    assert body["fields"] == {"price_cents": [body["detail"]]}
    assert levels(lyon_store)["ARD-SEC-01"] == (8, None)
    assert not StockMovement.objects.exists()


def test_null_price_sells_at_the_rrp(lyon_api_key, lyon_store, lyon_stock):
    response = api(lyon_api_key).patch(
        stock_url(lyon_store, "ARD-ARR-10/"), {"price_cents": None}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["price_cents"], response.json()["effective_price_cents"]) == (
        None,
        1200,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"on_hand": -1}, "on_hand"),
        ({"on_hand": "many"}, "on_hand"),
        ({"price_cents": 0}, "price_cents"),
    ],
    ids=["empty", "negative", "not-a-number", "zero-price"],
)
def test_invalid_offer_update_is_a_400_with_field_errors(
    lyon_api_key, lyon_store, lyon_stock, body, field
):
    response = api(lyon_api_key).patch(stock_url(lyon_store, "ARD-SEC-01/"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert levels(lyon_store)["ARD-SEC-01"] == (8, None)


def test_store_starts_selling_a_catalogue_sku_it_did_not_stock(lyon_api_key, lyon_store):
    VariantFactory(sku="ARD-NEW-01", rrp_cents=1000)

    response = api(lyon_api_key).patch(
        stock_url(lyon_store, "ARD-NEW-01/"), {"on_hand": 3}, format="json"
    )

    assert response.status_code == 200
    assert levels(lyon_store) == {"ARD-NEW-01": (3, None)}


def test_unknown_sku_update_is_a_404(lyon_api_key, lyon_store):
    response = api(lyon_api_key).patch(
        stock_url(lyon_store, "ARD-NOPE/"), {"on_hand": 3}, format="json"
    )

    assert response.status_code == 404
    assert not StockLevel.objects.exists()


def test_staff_member_session_counts_stock_but_cannot_price(lyon_staff, lyon_store, lyon_stock):
    client = api(user=lyon_staff)

    price = client.patch(
        stock_url(lyon_store, "ARD-SEC-01/"), {"on_hand": 2, "price_cents": 2800}, format="json"
    )
    count = client.patch(stock_url(lyon_store, "ARD-SEC-01/"), {"on_hand": 2}, format="json")

    assert price.status_code == 403
    assert count.status_code == 200
    assert levels(lyon_store)["ARD-SEC-01"] == (2, None)


# Batches -------------------------------------------------------------------------------------


def batch(client, store, rows, reference="till-1", **headers):
    return client.post(
        stock_url(store, "batch/"), {"reference": reference, "rows": rows}, format="json", **headers
    )


def test_batch_applies_rows_and_returns_the_counts(lyon_api_key, lyon_store, lyon_stock):
    response = batch(
        api(lyon_api_key),
        lyon_store,
        [
            {"sku": "ARD-SEC-01", "on_hand": 5, "price_cents": 2750, "sequence": 1},
            {"sku": "ARD-ARR-10", "on_hand": 2, "price": "11,90", "sequence": 1},
        ],
    )

    assert response.status_code == 200
    assert response.json() == {"received": 2, "applied": 2, "ignored_stale": 0, "movements": 2}
    assert levels(lyon_store) == {"ARD-SEC-01": (5, 2750), "ARD-ARR-10": (2, 1190)}
    assert set(
        StockMovement.objects.filter(store=lyon_store).values_list("reference", "source")
    ) == {("till-1", "api")}


def test_replayed_batch_is_a_no_op(lyon_api_key, lyon_store, lyon_stock):
    client = api(lyon_api_key)
    rows = [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 7}]
    batch(client, lyon_store, rows)
    before = (levels(lyon_store), StockMovement.objects.count())

    replay = batch(client, lyon_store, rows)

    assert replay.status_code == 200
    assert replay.json() == {"received": 1, "applied": 0, "ignored_stale": 1, "movements": 0}
    assert (levels(lyon_store), StockMovement.objects.count()) == before


def test_out_of_order_rows_are_ignored(lyon_api_key, lyon_store, lyon_stock):
    client = api(lyon_api_key)
    batch(client, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 20}])

    late = batch(
        client,
        lyon_store,
        [
            {"sku": "ARD-SEC-01", "on_hand": 9, "sequence": 19},
            {"sku": "ARD-ARR-10", "on_hand": 4, "sequence": 1},
        ],
    )

    assert late.json() == {"received": 2, "applied": 1, "ignored_stale": 1, "movements": 1}
    assert levels(lyon_store)["ARD-SEC-01"] == (5, None)


def test_rows_superseded_in_the_same_batch_count_as_ignored(lyon_api_key, lyon_store, lyon_stock):
    response = batch(
        api(lyon_api_key),
        lyon_store,
        [
            {"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 2},
            {"sku": "ARD-SEC-01", "on_hand": 9, "sequence": 1},
            {"sku": "ARD-ARR-10", "on_hand": 1, "sequence": 1},
        ],
    )

    assert response.json() == {"received": 3, "applied": 2, "ignored_stale": 1, "movements": 2}
    assert levels(lyon_store)["ARD-SEC-01"] == (5, None)


def test_bad_row_rejects_the_batch_with_row_and_field_and_changes_nothing(
    lyon_api_key, lyon_store, lyon_stock
):
    before = levels(lyon_store)

    response = batch(
        api(lyon_api_key),
        lyon_store,
        [
            {"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 1},
            {"sku": "ARD-ARR-10", "on_hand": -2, "sequence": 1},
            {"sku": "ARD-SEC-01", "on_hand": 5, "price_cents": 9900, "sequence": 2},
            "not a row",
        ],
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["fields"], body["error_count"]) == ("feed_rejected", {}, 3)
    assert [(error["row"], error["field"]) for error in body["errors"]] == [
        (2, "on_hand"),
        (3, "price"),
        (4, "row"),
    ]
    assert "32,89\xa0€" in body["errors"][1]["message"]
    assert levels(lyon_store) == before
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rows": "ARD-SEC-01;5"}, "rows"),
        ({"rows": []}, "rows"),
        ({}, "rows"),
        ({"rows": [{"sku": "ARD-SEC-01"}], "reference": "x" * 201}, "reference"),
    ],
    ids=["not-a-list", "empty", "missing", "reference-too-long"],
)
def test_malformed_batch_is_a_400_with_field_errors(lyon_api_key, lyon_store, body, field):
    response = api(lyon_api_key).post(stock_url(lyon_store, "batch/"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_batch_with_broken_json_is_a_400(lyon_api_key, lyon_store):
    response = api(lyon_api_key).post(
        stock_url(lyon_store, "batch/"), '{"rows": [', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_batch_must_be_json(lyon_api_key, lyon_store):
    response = api(lyon_api_key).post(
        stock_url(lyon_store, "batch/"), "sku;on_hand", content_type="text/csv"
    )

    assert response.status_code == 415


def test_batch_over_the_size_ceiling_is_refused_before_reading(lyon_api_key, lyon_store):
    response = api(lyon_api_key).post(
        stock_url(lyon_store, "batch/"),
        {"rows": []},
        format="json",
        CONTENT_LENGTH=str(65 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_batch_bodies_larger_than_django_upload_limit_are_accepted(
    lyon_api_key, lyon_store, lyon_stock, settings
):
    # DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default) limits form bodies, not DRF's JSON parser.
    rows = [{"sku": "ARD-SEC-01", "on_hand": n % 50, "sequence": n} for n in range(1, 50_001)]
    payload = json.dumps({"rows": rows})
    assert len(payload) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = api(lyon_api_key).post(
        stock_url(lyon_store, "batch/"), payload, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "received": 50_000,
        "applied": 1,
        "ignored_stale": 49_999,
        "movements": 1,
    }
    assert levels(lyon_store)["ARD-SEC-01"] == (0, None)  # the highest sequence, 50000, wins


def test_idempotency_key_replays_the_first_answer(lyon_api_key, lyon_store, lyon_stock):
    client = api(lyon_api_key)
    key = str(uuid.uuid4())
    rows = [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 3}]

    first = batch(client, lyon_store, rows, HTTP_IDEMPOTENCY_KEY=key)
    retry = batch(client, lyon_store, rows, HTTP_IDEMPOTENCY_KEY=key)
    without_key = batch(client, lyon_store, rows)

    assert first.json()["applied"] == 1
    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert without_key.json()["ignored_stale"] == 1  # the feed itself is idempotent anyway
    assert StockMovement.objects.count() == 1


def test_idempotency_key_reused_for_another_body_is_refused(lyon_api_key, lyon_store, lyon_stock):
    client = api(lyon_api_key)
    key = str(uuid.uuid4())
    batch(client, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 3}],
          HTTP_IDEMPOTENCY_KEY=key)  # fmt: skip

    other = batch(
        client,
        lyon_store,
        [{"sku": "ARD-SEC-01", "on_hand": 1, "sequence": 4}],
        HTTP_IDEMPOTENCY_KEY=key,
    )

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert levels(lyon_store)["ARD-SEC-01"] == (5, None)


def test_idempotency_keys_are_per_caller(lyon_api_key, hq_api_key, lyon_store, lyon_stock):
    key = str(uuid.uuid4())
    rows = [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 3}]

    batch(api(lyon_api_key), lyon_store, rows, HTTP_IDEMPOTENCY_KEY=key)
    hq = batch(api(hq_api_key), lyon_store, rows, HTTP_IDEMPOTENCY_KEY=key)

    assert "Idempotent-Replayed" not in hq
    assert hq.json()["ignored_stale"] == 1


def test_staff_member_session_pushes_quantities_but_not_prices(lyon_staff, lyon_store, lyon_stock):
    client = api(user=lyon_staff)

    priced = batch(
        client, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "price": "28", "sequence": 1}]
    )
    counted = batch(client, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 1}])

    assert priced.status_code == 403
    assert counted.status_code == 200
    assert levels(lyon_store)["ARD-SEC-01"] == (5, None)


# Movements -----------------------------------------------------------------------------------


@pytest.fixture
def lyon_movements(lyon_store, lyon_stock):
    secateur = lyon_stock["secateur"].variant
    can = lyon_stock["watering_can"].variant
    adjust_on_hand(store=lyon_store, variant=secateur, delta=-2, reason="sale", source="system",
                   actor=None)  # fmt: skip
    adjust_on_hand(store=lyon_store, variant=can, delta=3, reason="return", source="system",
                   actor=None)  # fmt: skip


def test_movements_are_listed_newest_first(lyon_api_key, lyon_store, lyon_movements):
    response = api(lyon_api_key).get(f"/api/v1/stores/{lyon_store.slug}/movements/")

    assert response.status_code == 200
    assert [(m["sku"], m["delta"], m["reason"]) for m in response.json()["results"]] == [
        ("ARD-ARR-10", 3, "return"),
        ("ARD-SEC-01", -2, "sale"),
    ]
    assert response.json()["results"][0]["on_hand_after"] == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sku": "ARD-SEC-01"}, [-2]),
        ({"reason": "return"}, [3]),
        ({"since": "2000-01-01T00:00:00Z"}, [3, -2]),
        ({"since": "2999-01-01T00:00:00Z"}, []),
    ],
    ids=["sku", "reason", "since-past", "since-future"],
)
def test_movements_filters(lyon_api_key, lyon_store, lyon_movements, params, expected):
    response = api(lyon_api_key).get(f"/api/v1/stores/{lyon_store.slug}/movements/", params)

    assert [m["delta"] for m in response.json()["results"]] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [({"reason": "theft"}, "reason"), ({"since": "yesterday"}, "since")],
    ids=["unknown-reason", "bad-date"],
)
def test_movements_bad_filter_is_a_400(lyon_api_key, lyon_store, params, field):
    response = api(lyon_api_key).get(f"/api/v1/stores/{lyon_store.slug}/movements/", params)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_movements_list_has_bounded_queries(
    lyon_api_key, lyon_store, lyon_stock, django_assert_max_num_queries
):
    variant = lyon_stock["secateur"].variant
    for _n in range(30):
        adjust_on_hand(store=lyon_store, variant=variant, delta=1, reason="return",
                       source="system", actor=None)  # fmt: skip
    client = api(lyon_api_key)

    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/stores/{lyon_store.slug}/movements/")

    assert response.json()["count"] == 30
