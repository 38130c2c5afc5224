"""A store's stock feed is ordered by sequences or by source timestamps, never both (issue 17).

A source timestamp is a position in microseconds (~1e15): once a till had sent one, its later
sequences were all "older" and silently ignored. Now a batch that mixes the two is rejected row
by row, the store's first batch sets its kind, a batch of the other kind is refused (409
`feed_positions_conflict`), and HQ can reset the positions for a till that switches."""

import html
import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from network_marketplace.models import AuditEvent
from stores.models import StockLevel, StockMovement, Store
from stores.services import (
    FeedPositionsConflict,
    StockFeedRejected,
    apply_stock_feed,
    reset_feed_positions,
)
from stores.services import feeds as feeds_module

from .test_reservations import run_concurrently
from .test_stock_api import levels, stock_url

STAMP = "2026-11-23T10:00:00+01:00"


@pytest.fixture(params=["bulk", "portable"])
def feed_path(request, monkeypatch):
    """Both apply paths: PostgreSQL's COPY path and the portable ORM path."""
    if request.param == "portable":
        monkeypatch.setattr(feeds_module, "use_bulk_path", lambda: False)
    return request.param


def push(secret, store, rows):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client.post(stock_url(store, "batch/"), {"rows": rows}, format="json")


def feed(store, rows):
    return apply_stock_feed(store=store, rows=rows, source="api", actor="till", reference="b")


@pytest.mark.django_db
def test_a_till_that_sent_timestamps_is_told_why_its_sequences_are_refused(
    lyon_api_key, lyon_store, lyon_stock
):
    push(lyon_api_key, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "source_timestamp": STAMP}])
    before = (levels(lyon_store), StockMovement.objects.count())

    response = push(lyon_api_key, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 2, "sequence": 1}])

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "feed_positions_conflict"
    assert "ordonné par horodatages source" in body["detail"]
    assert "réinitialiser les positions" in body["detail"]
    assert body["errors"][0]["row"] == 0
    assert (levels(lyon_store), StockMovement.objects.count()) == before
    assert levels(lyon_store)["ARD-SEC-01"] == (5, None)


@pytest.mark.django_db
def test_a_store_fed_by_sequences_refuses_timestamps_too(lyon_store, lyon_stock, feed_path):
    feed(lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 3}])

    with pytest.raises(FeedPositionsConflict) as refused:
        feed(lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 1, "source_timestamp": STAMP}])

    assert "ordonné par numéros d'ordre" in refused.value.message
    assert levels(lyon_store)["ARD-SEC-01"] == (5, None)
    lyon_store.refresh_from_db()
    assert lyon_store.feed_positions == Store.FeedPositions.SEQUENCE


@pytest.mark.django_db
def test_a_batch_that_mixes_sequences_and_timestamps_is_rejected_row_by_row(
    lyon_api_key, lyon_store, lyon_stock
):
    response = push(
        lyon_api_key,
        lyon_store,
        [
            {"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 7},
            {"sku": "ARD-ARR-10", "on_hand": 4, "source_timestamp": STAMP},
        ],
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "feed_rejected"
    assert body["errors"] == [
        {
            "row": 2,
            "field": "source_timestamp",
            "message": "La ligne 1 a un numéro d'ordre (sequence)\u00a0: chaque ligne d'un lot "
            "en demande un, pas un source_timestamp.",
        }
    ]
    assert levels(lyon_store) == {"ARD-SEC-01": (8, None), "ARD-ARR-10": (0, 1250)}
    lyon_store.refresh_from_db()
    assert lyon_store.feed_positions == Store.FeedPositions.NONE


@pytest.mark.django_db
def test_a_rejected_first_batch_does_not_set_the_kind(lyon_store, lyon_stock, feed_path):
    with pytest.raises(StockFeedRejected):
        feed(lyon_store, [{"sku": "NO-SUCH-SKU", "on_hand": 1, "source_timestamp": STAMP}])
    lyon_store.refresh_from_db()
    assert lyon_store.feed_positions == Store.FeedPositions.NONE

    feed(lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 6, "sequence": 1}])

    assert levels(lyon_store)["ARD-SEC-01"] == (6, None)


@pytest.mark.django_db
def test_after_hq_resets_the_positions_the_till_is_heard_with_sequences(
    client, hq_admin, lyon_api_key, lyon_store, lyon_stock
):
    push(lyon_api_key, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "source_timestamp": STAMP}])
    client.force_login(hq_admin)

    response = client.post(
        "/admin/stores/store/",
        {"action": "reset_stock_feed_positions", "_selected_action": [lyon_store.pk]},
        follow=True,
    )

    assert response.status_code == 200
    told = "les positions du flux sont réinitialisées (1 ligne de stock)"
    assert told in response.content.decode()
    heard = push(lyon_api_key, lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 2, "sequence": 1}])
    assert heard.status_code == 200, heard.content
    assert levels(lyon_store)["ARD-SEC-01"] == (2, None)
    lyon_store.refresh_from_db()
    assert lyon_store.feed_positions == Store.FeedPositions.SEQUENCE
    reset = AuditEvent.objects.get(action="stock.feed_positions_reset")
    assert reset.data == {"was": "timestamp", "stock_rows": 1}


@pytest.mark.django_db
def test_a_reset_puts_every_position_of_the_store_back_to_zero(lyon_store, lyon_stock, hq_admin):
    feed(lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 90}])

    assert reset_feed_positions(store=lyon_store, actor=hq_admin) == 1

    assert set(
        StockLevel.objects.for_store(lyon_store).values_list("feed_position", flat=True)
    ) == {0}


@pytest.mark.django_db(transaction=True)
def test_two_first_batches_of_different_kinds_at_once_apply_exactly_one(
    lyon_api_key, lyon_store, lyon_stock
):
    bodies = [
        [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 10}],
        [{"sku": "ARD-SEC-01", "on_hand": 7, "source_timestamp": STAMP}],
    ]

    answers = run_concurrently(2, lambda index: push(lyon_api_key, lyon_store, bodies[index]))

    assert sorted(answer.status_code for answer in answers) == [200, 409]
    applied = next(index for index, answer in enumerate(answers) if answer.status_code == 200)
    assert levels(lyon_store)["ARD-SEC-01"][0] == bodies[applied][0]["on_hand"]
    lyon_store.refresh_from_db()
    assert lyon_store.feed_positions == ["sequence", "timestamp"][applied]


@pytest.mark.django_db
def test_the_migration_gives_fed_stores_the_kind_their_positions_show(
    lyon_store, paris_store, lyon_stock, paris_stock
):
    StockLevel.objects.filter(store=lyon_store).update(feed_position=1_764_000_000_000_000)
    StockLevel.objects.filter(store=paris_store).update(feed_position=42)
    migration = importlib.import_module("stores.migrations.0013_store_feed_positions")

    migration.infer_feed_positions(apps, None)

    lyon_store.refresh_from_db()
    paris_store.refresh_from_db()
    assert lyon_store.feed_positions == Store.FeedPositions.TIMESTAMP
    assert paris_store.feed_positions == Store.FeedPositions.SEQUENCE


@pytest.mark.django_db
def test_the_stock_file_page_names_the_row_of_the_other_kind_and_why(
    client, lyon_owner, lyon_store, lyon_stock
):
    client.force_login(lyon_owner)
    mixed = "sku;on_hand;sequence;source_timestamp\nARD-SEC-01;5;3;\nARD-ARR-10;4;;" + STAMP + "\n"

    response = client.post(
        f"/store/{lyon_store.slug}/stock/import/",
        {"file": SimpleUploadedFile("stock.csv", mixed.encode(), content_type="text/csv")},
    )

    assert response.status_code == 400
    assert [(error.row, error.field) for error in response.context["errors"]] == [
        (3, "source_timestamp")
    ]
    assert "La ligne 2 a un numéro d'ordre" in html.unescape(response.content.decode())
    assert levels(lyon_store)["ARD-SEC-01"] == (8, None)


@pytest.mark.django_db
def test_the_stock_file_page_says_what_the_store_expects(
    client, lyon_owner, lyon_store, lyon_stock
):
    feed(lyon_store, [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 3}])
    client.force_login(lyon_owner)
    stamped = "sku;on_hand;source_timestamp\nARD-SEC-01;1;" + STAMP + "\n"

    response = client.post(
        f"/store/{lyon_store.slug}/stock/import/",
        {"file": SimpleUploadedFile("stock.csv", stamped.encode(), content_type="text/csv")},
    )

    assert response.status_code == 400
    assert "ordonné par numéros d'ordre" in html.unescape(response.content.decode())
    assert levels(lyon_store)["ARD-SEC-01"] == (5, None)
