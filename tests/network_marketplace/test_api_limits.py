"""The API's limits answer in its one error shape: 429 past a client's rate (per key, per account,
per address), 414 past the address length; the pages get a plain 414."""

from __future__ import annotations

import uuid

import pytest

from stores.models import StockLevel
from tests.api_clients import api_client

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
ROOT = "/api/v1/"  # the one route open to anonymous callers
STOCK = "/api/v1/stores/{slug}/stock/"


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"client": "3/min", "anonymous": "2/min"}


def an_address() -> str:
    """An address of this test's own: the per-address counters outlive a test by a minute."""
    return f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"


def test_an_api_key_past_its_rate_gets_a_429_in_the_error_shape(low_rates, lyon_key, lyon_store):
    client = api_client(key=lyon_key)

    answers = [client.get(STOCK.format(slug=lyon_store.slug)) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["code"] == "throttled"
    assert set(answers[-1].json()) == {"code", "detail", "fields"}
    assert int(answers[-1]["Retry-After"]) > 0


def test_each_key_has_its_own_budget(low_rates, lyon_key, paris_key, lyon_store):
    lyon = api_client(key=lyon_key)
    for _ in range(3):
        lyon.get(STOCK.format(slug=lyon_store.slug))

    assert lyon.get(STOCK.format(slug=lyon_store.slug)).status_code == 429
    assert api_client(key=paris_key).get(PRODUCTS).status_code == 200


def test_a_signed_in_account_has_its_own_budget(low_rates, customer):
    client = api_client(user=customer)

    answers = [client.get("/api/v1/my/returns/") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]


def test_anonymous_callers_are_counted_per_address(low_rates, client):
    address = an_address()
    first = [client.get(ROOT, REMOTE_ADDR=address) for _ in range(3)]
    other = client.get(ROOT, REMOTE_ADDR=an_address())

    assert [answer.status_code for answer in first] == [200, 200, 429]
    assert first[-1].json()["code"] == "throttled"
    assert other.status_code == 200


def test_the_429_speaks_the_callers_language(low_rates, client):
    address = an_address()
    for _ in range(2):
        client.get(ROOT, REMOTE_ADDR=address)

    english = client.get(ROOT, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(ROOT, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="fr")

    assert english.json()["detail"].startswith("Request was throttled.")
    assert french.json()["detail"].startswith("Requête ralentie.")


def test_an_address_too_long_for_the_api_is_a_414_in_the_error_shape(lyon_key, lyon_store):
    before = list(StockLevel.objects.values_list("pk", "on_hand"))

    response = api_client(key=lyon_key).get(
        STOCK.format(slug=lyon_store.slug) + "?search=" + "x" * 5000
    )

    assert response.status_code == 414
    assert response.json()["code"] == "uri_too_long"
    assert set(response.json()) == {"code", "detail", "fields"}
    assert "4096" in response.json()["detail"]
    assert list(StockLevel.objects.values_list("pk", "on_hand")) == before


def test_an_address_too_long_for_a_page_is_a_plain_414(client):
    response = client.get("/c/bricolage/?q=" + "a" * 5000)

    assert response.status_code == 414
    assert response["Content-Type"].startswith("text/plain")
