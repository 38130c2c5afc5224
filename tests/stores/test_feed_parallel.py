"""Large feed batches applied in parts by parallel connections (stores.services.feeds).

These tests commit (each part has its own connection, which sees only committed data)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from catalog.models import Variant
from stores.models import StockLevel, StockMovement
from stores.services import StockFeedRejected, apply_stock_feed, feed_bulk, issue_api_key
from tests.factories import CategoryFactory, ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_parts(monkeypatch, settings):
    """Split batches of a few hundred rows, so the tests stay small."""
    settings.STOCK_FEED_WORKERS = 2
    monkeypatch.setattr(feed_bulk, "PARALLEL_FEED_MIN_ROWS", 100)


@pytest.fixture
def store():
    return StoreFactory(name="Ardoise Lille", slug="lille")


@pytest.fixture
def skus():
    product = ProductFactory(category=CategoryFactory())
    Variant.objects.bulk_create(
        Variant(product=product, sku=f"PAR-{n:04d}", rrp_cents=900) for n in range(400)
    )
    return [f"PAR-{n:04d}" for n in range(400)]


def feed(store, rows):
    return apply_stock_feed(store=store, rows=rows, source="api", actor="erp", reference="b1")


def on_hand(store):
    return dict(StockLevel.objects.for_store(store).values_list("variant__sku", "on_hand"))


def test_a_large_batch_is_applied_in_parts_by_their_own_connections(
    small_parts, store, skus, monkeypatch
):
    seen_threads = set()
    apply_staged = feed_bulk._apply_staged

    def spy(cursor, part, plan):
        seen_threads.add(threading.current_thread().name)
        return apply_staged(cursor, part, plan)

    monkeypatch.setattr(feed_bulk, "_apply_staged", spy)
    rows = [{"sku": sku, "on_hand": n % 5, "sequence": 1} for n, sku in enumerate(skus)]

    result = feed(store, rows)

    assert feed_bulk.parallel_parts(len(rows)) == 2
    assert len(seen_threads) == 2
    assert (result.applied, result.movements, result.ignored_stale) == (400, 320, 0)
    assert on_hand(store) == {sku: n % 5 for n, sku in enumerate(skus)}
    assert StockMovement.objects.filter(store=store).count() == 320


def test_a_bad_row_in_one_part_applies_nothing_of_any_part(small_parts, store, skus):
    rows = [{"sku": sku, "on_hand": 3, "sequence": 1} for sku in skus]
    rows[0]["on_hand"] = "three"  # first SKU range
    rows[-1]["sku"] = "NOT-A-SKU"  # last SKU range

    with pytest.raises(StockFeedRejected) as rejected:
        feed(store, rows)

    assert [(error.row, error.field) for error in rejected.value.errors] == [
        (1, "on_hand"),
        (400, "sku"),
    ]
    assert rejected.value.error_count == 2
    assert not StockLevel.objects.filter(store=store).exists()
    assert not StockMovement.objects.exists()


def test_a_bad_row_in_only_one_part_still_applies_nothing(small_parts, store, skus):
    rows = [{"sku": sku, "on_hand": 3, "sequence": 1} for sku in skus]
    rows[-1]["sequence"] = "later"

    with pytest.raises(StockFeedRejected) as rejected:
        feed(store, rows)

    assert [(error.row, error.field) for error in rejected.value.errors] == [(400, "sequence")]
    assert not StockLevel.objects.filter(store=store).exists()


def test_parts_keep_the_feed_rules_replay_order_and_duplicates(small_parts, store, skus):
    rows = [{"sku": sku, "on_hand": 4, "sequence": 10} for sku in skus]
    feed(store, rows)

    replay = feed(store, rows)
    older = feed(store, [{**row, "on_hand": 1, "sequence": 9} for row in rows])
    twice = [{"sku": sku, "on_hand": 6, "sequence": 11} for sku in skus] + [
        {"sku": sku, "on_hand": 7, "sequence": 12} for sku in reversed(skus)
    ]
    newest = feed(store, twice)

    assert (replay.applied, replay.ignored_stale, replay.movements) == (0, 400, 0)
    assert (older.applied, older.movements) == (0, 0)
    assert (newest.applied, newest.ignored_stale, newest.movements) == (400, 400, 400)
    assert set(on_hand(store).values()) == {7}


def test_a_batch_inside_a_callers_transaction_stays_on_its_connection(small_parts):
    from django.db import transaction

    with transaction.atomic():
        assert connection.in_atomic_block
        assert feed_bulk.parallel_parts(10_000) == 1
    assert feed_bulk.parallel_parts(10_000) == 2
    assert feed_bulk.parallel_parts(99) == 1


def test_a_failing_part_rolls_back_and_its_error_is_raised(small_parts, store, skus, monkeypatch):
    apply_staged = feed_bulk._apply_staged

    def fail_in_one_part(cursor, part, plan):
        if threading.current_thread().name.endswith("_1"):
            raise RuntimeError("disk full")
        return apply_staged(cursor, part, plan)

    monkeypatch.setattr(feed_bulk, "_apply_staged", fail_in_one_part)
    rows = [{"sku": sku, "on_hand": 2, "sequence": 1} for sku in skus]

    with pytest.raises(RuntimeError, match="disk full"):
        feed(store, rows)

    # The other part committed on its own (the price of parallel commits); sending the batch
    # again completes it, and the part already applied is skipped by its positions.
    monkeypatch.setattr(feed_bulk, "_apply_staged", apply_staged)
    applied_before = StockLevel.objects.filter(store=store).count()
    again = feed(store, rows)
    assert applied_before < 400
    assert again.applied == 400 - applied_before
    assert set(on_hand(store).values()) == {2}


def test_a_feed_in_parts_and_baskets_across_its_parts_never_deadlock(small_parts, store, skus):
    """Each part locks its rows in variant order and never waits for another part while it holds
    them, so baskets holding one unit of a SKU of each part, at the same time, all go through."""
    from stores.services import reserve_lines
    from tests.stores.test_reservations import run_concurrently

    feed(store, [{"sku": sku, "on_hand": 20, "sequence": 1} for sku in skus])
    first, last = Variant.objects.get(sku=skus[0]), Variant.objects.get(sku=skus[-1])
    rows = [{"sku": sku, "on_hand": 30, "sequence": 2} for sku in skus]

    def work(index):
        if index == 0:
            return feed(store, rows)
        return reserve_lines(
            lines=[(store, last, 1), (store, first, 1)],
            holder=f"order:{index}",
            kind="order",
            ttl=None,
            actor="shop",
        )

    results = run_concurrently(6, work)

    assert not [result for result in results if isinstance(result, Exception)]
    assert results[0].applied == 400
    for variant in (first, last):
        level = StockLevel.objects.get(store=store, variant=variant)
        assert (level.on_hand, level.reserved) == (30, 5)
        assert level.available == 30 - 5 - level.safety_stock


def test_the_stock_batch_endpoint_applies_a_large_batch_in_parts(
    small_parts, store, skus, monkeypatch
):
    from rest_framework.test import APIClient

    from stores.services import issue_api_key

    parts = []
    apply_staged = feed_bulk._apply_staged

    def spy(cursor, part, plan):
        parts.append(threading.current_thread().name)
        return apply_staged(cursor, part, plan)

    monkeypatch.setattr(feed_bulk, "_apply_staged", spy)

    client = APIClient()
    secret = issue_api_key(store=store, name="ERP Lille", actor=None).secret
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    url = f"/api/v1/stores/{store.slug}/stock/batch/"
    rows = [{"sku": sku, "on_hand": 9, "sequence": 3} for sku in skus]

    applied = client.post(url, {"reference": "erp-1", "rows": rows}, format="json")
    rows[250]["sku"] = "PAR-9999"
    rejected = client.post(url, {"reference": "erp-2", "rows": rows}, format="json")

    assert applied.status_code == 200, applied.content
    assert applied.json()["applied"] == 400
    assert len(set(parts)) == 2
    assert rejected.status_code == 400
    assert [(e["row"], e["field"]) for e in rejected.json()["errors"]] == [(251, "sku")]
    assert set(on_hand(store).values()) == {9}


def test_row_errors_of_a_batch_in_parts_speak_the_callers_language(small_parts, store, skus):
    client = APIClient()
    secret = issue_api_key(store=store, name="ERP Lille", actor=None).secret
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    rows = [{"sku": sku, "on_hand": 9, "sequence": 3} for sku in skus]
    rows[10]["on_hand"] = "plenty"
    rows[300]["on_hand"] = "beaucoup"
    url = f"/api/v1/stores/{store.slug}/stock/batch/"

    english = client.post(url, {"rows": rows}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    french = client.post(url, {"rows": rows}, format="json", HTTP_ACCEPT_LANGUAGE="fr")

    assert [e["message"] for e in english.json()["errors"]] == ["A whole number is expected."] * 2
    assert french.json()["errors"][0]["message"] != "A whole number is expected."
    assert on_hand(store) == {}
