"""Hostile and broken input against the stock API (issue 17): every refusal is a 4xx in the one
error shape {"code", "detail", "fields"}, and nothing changes."""

from __future__ import annotations

import json

import pytest
import yaml

from config import error_views
from stores.models import StockLevel, StockMovement

from .test_stock_api import api, levels, stock_url

BATCH_CASES = {
    "sequence above bigint": {"rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 2**63}]},
    "sequence 10^40": {"rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 10**40}]},
    "on_hand 5000 digits": {"rows": [{"sku": "ARD-SEC-01", "on_hand": "9" * 5000, "sequence": 5}]},
    "sequence 5000 digits": {"rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": "9" * 5000}]},
    "price 5000 digits": {
        "rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 5, "price": "9" * 5000}]
    },
    "price_cents above bigint": {
        "rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 5, "price_cents": 2**70}]
    },
    "on_hand above int": {"rows": [{"sku": "ARD-SEC-01", "on_hand": 2**40, "sequence": 5}]},
    "impossible date": {
        "rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "source_timestamp": "2031-02-30T10:00:00Z"}]
    },
    "hour 25": {
        "rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "source_timestamp": "2031-02-03T25:00:00Z"}]
    },
    "date at the low edge": {
        "rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "source_timestamp": "0001-01-01T00:30+01:00"}]
    },
    "date at the high edge": {
        "rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "source_timestamp": "9999-12-31T23:30-01:00"}]
    },
    "NUL in a SKU": {"rows": [{"sku": "ARD-SEC\x0001", "on_hand": 3, "sequence": 5}]},
    "NUL in the reference": {
        "reference": "till\x00",
        "rows": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 5}],
    },
    "rows not a list": {"rows": {"sku": "ARD-SEC-01"}},
    "row not an object": {"rows": ["ARD-SEC-01"]},
    "empty rows": {"rows": []},
    "body a list": [{"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 5}],
}


@pytest.mark.parametrize("case", BATCH_CASES, ids=list(BATCH_CASES))
def test_batch_refuses_broken_input_in_one_shape(case, lyon_api_key, lyon_store, lyon_stock):
    before = levels(lyon_store), StockMovement.objects.count()

    response = api(lyon_api_key).post(
        stock_url(lyon_store, "batch/"), BATCH_CASES[case], format="json"
    )

    assert 400 <= response.status_code < 500, response.content[:300]
    body = response.json()
    assert {"code", "detail", "fields"} <= set(body)
    assert (levels(lyon_store), StockMovement.objects.count()) == before


def test_a_client_row_number_is_never_trusted(lyon_api_key, lyon_store, lyon_stock):
    rows = [
        {"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 5},
        {"sku": "NOPE", "on_hand": 1, "sequence": 5, "_row": "banana"},
    ]
    response = api(lyon_api_key).post(
        stock_url(lyon_store, "batch/"), {"rows": rows}, format="json"
    )

    assert response.status_code == 400
    assert [error["row"] for error in response.json()["errors"]] == [2]


@pytest.mark.parametrize("depth", [1_000, 60_000])
def test_deeply_nested_json_is_refused_on_every_json_endpoint(depth, lyon_api_key, lyon_store):
    body = "[" * depth + "]" * depth
    client = api(lyon_api_key)
    for url in (stock_url(lyon_store, "batch/"), "/api/v1/orders/", "/api/v1/webhooks/"):
        response = client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        assert response.json()["code"] == "parse_error"


def test_unknown_api_route_answers_json_404(lyon_api_key):
    response = api(lyon_api_key).get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_object_not_found_names_no_model(lyon_api_key, lyon_store):
    response = api(lyon_api_key).get("/api/v1/stores/no-such-store/stock/")

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert "Store" not in body["detail"]
    assert "matches" not in body["detail"]


def test_a_body_over_the_limit_answers_json_413(lyon_api_key):
    response = api(lyon_api_key).generic(
        "POST",
        "/api/v1/webhooks/",
        json.dumps({"url": "x" * 11_000_000}),
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_payouts_filter_with_nul_is_a_400(hq_key):
    from tests.api_clients import api_client

    response = api_client(key=hq_key).get("/api/v1/payments/payouts/?store=%00")

    assert response.status_code == 400
    assert {"code", "detail", "fields"} <= set(response.json())


def test_nothing_moved(lyon_store, lyon_stock):
    assert StockLevel.objects.for_store(lyon_store).count() == 2


def test_a_nul_in_an_api_path_names_nothing(lyon_api_key):
    response = api(lyon_api_key).get("/api/v1/stores/lyon%00/stock/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("handler", "status", "code"),
    [
        ("bad_request", 400, "bad_request"),
        ("permission_denied", 403, "permission_denied"),
        ("not_found", 404, "not_found"),
        ("server_error", 500, "server_error"),
    ],
)
def test_what_django_answers_itself_under_api_has_the_one_shape(rf, handler, status, code):
    view = getattr(error_views, handler)

    def answer(path):
        request = rf.get(path)
        return view(request) if handler == "server_error" else view(request, Exception())

    api_answer, page_answer = answer("/api/v1/anything/"), answer("/p/anything/")

    assert api_answer.status_code == page_answer.status_code == status
    assert json.loads(api_answer.content)["code"] == code
    assert not page_answer["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("page_size", ["abc", "0", "-5", "501", "1e3", "99999999999999999999"])
def test_a_junk_page_size_is_a_400_not_the_default(page_size, lyon_api_key, lyon_store):
    response = api(lyon_api_key).get(stock_url(lyon_store), {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()["fields"]


def test_the_schema_says_what_the_api_sends(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    detail = schema["components"]["schemas"]["ProductDetail"]["properties"]["vat_percent"]
    page_size = next(
        parameter
        for parameter in schema["paths"]["/api/v1/products/"]["get"]["parameters"]
        if parameter["name"] == "page_size"
    )

    assert (detail["type"], detail["format"]) == ("string", "decimal")
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 500)
