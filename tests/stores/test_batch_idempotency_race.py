"""Two stock batches sent at the same instant with one Idempotency-Key (issue 17): the key is
claimed in the database before the batch runs, so exactly one is applied; the other gets the
first answer (same body), a 409 while it still runs, or a 422 (another body)."""

import time

import pytest
from rest_framework.test import APIClient

from stores.api import views as stock_views
from stores.models import StockMovement

from .test_reservations import run_concurrently
from .test_stock_api import levels, stock_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_batches(monkeypatch):
    """Each batch takes half a second: long enough for the other request to arrive mid-way."""
    apply = stock_views.apply_stock_feed

    def slow_apply(**kwargs):
        time.sleep(0.5)
        return apply(**kwargs)

    monkeypatch.setattr(stock_views, "apply_stock_feed", slow_apply)


def send_together(secret, url, bodies, key="till-42"):
    def send(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
        return client.post(url, bodies[index], format="json", HTTP_IDEMPOTENCY_KEY=key)

    return run_concurrently(len(bodies), send)


@pytest.mark.parametrize("round_", [1, 2, 3])
def test_one_key_two_bodies_applies_exactly_one(
    round_, slow_batches, lyon_api_key, lyon_store, lyon_stock
):
    bodies = [
        {"rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 10}]},
        {"rows": [{"sku": "ARD-SEC-01", "on_hand": 7, "sequence": 10}]},
    ]
    movements_before = StockMovement.objects.count()

    answers = send_together(lyon_api_key, stock_url(lyon_store, "batch/"), bodies)

    assert sorted(a.status_code for a in answers) == [200, 422]
    applied = next(index for index, a in enumerate(answers) if a.status_code == 200)
    refused = answers[1 - applied]
    assert refused.json()["code"] == "idempotency_key_reused"
    assert levels(lyon_store)["ARD-SEC-01"][0] == bodies[applied]["rows"][0]["on_hand"]
    assert StockMovement.objects.count() == movements_before + 1


def test_one_key_same_body_applies_once_and_replays(
    slow_batches, lyon_api_key, lyon_store, lyon_stock
):
    body = {"rows": [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 20}]}
    movements_before = StockMovement.objects.count()

    answers = send_together(lyon_api_key, stock_url(lyon_store, "batch/"), [body, body])

    assert [a.status_code for a in answers] == [200, 200]
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["applied"] == 1
    assert StockMovement.objects.count() == movements_before + 1


def test_a_retry_that_cannot_wait_gets_409(
    slow_batches, settings, lyon_api_key, lyon_store, lyon_stock
):
    settings.IDEMPOTENCY_WAIT_SECONDS = 0
    body = {"rows": [{"sku": "ARD-SEC-01", "on_hand": 5, "sequence": 30}]}

    answers = send_together(lyon_api_key, stock_url(lyon_store, "batch/"), [body, body])

    assert sorted(a.status_code for a in answers) == [200, 409]
    busy = next(a for a in answers if a.status_code == 409)
    assert busy.json()["code"] == "request_in_progress"
    assert busy["Retry-After"] == "2"
