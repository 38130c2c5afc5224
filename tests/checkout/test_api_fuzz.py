"""Random JSON against the two busiest write endpoints (issue 17): whatever a client sends, the
answer is never a 5xx. Bodies are random JSON, and valid bodies with one field replaced by
random JSON (which reaches further into the code than noise does)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api_clients import api_client

ORDERS = "/api/v1/orders/"

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", "\x00", "ARD-SEC-01", "2031-02-30", "9" * 5000, "-1", "1e400"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

VALID_ORDER = {
    "customer": {"email": "lea.martin@example.com", "first_name": "Léa", "last_name": "Martin"},
    "delivery_address": {"address_line": "3 rue Mercière", "postal_code": "69002", "city": "Lyon"},
    "lines": [
        {"sku": "ARD-SEC-01", "quantity": 1, "method": "click_collect", "store": "lyon-presquile"},
        {"sku": "ARD-ARR-10", "quantity": 1, "method": "home_delivery"},
    ],
    "payment_token": "tok_visa",
}
VALID_ROW = {"sku": "ARD-SEC-01", "on_hand": 3, "sequence": 5, "price": "28,90"}

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mutated(valid: dict):
    """A valid body with one of its fields (or a nested one) replaced by random JSON."""

    def replace(body, path, value):
        body = json.loads(json.dumps(body))
        target = body
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return body

    paths = [(key,) for key in valid] + [
        (key, 0, inner) if isinstance(valid[key], list) else (key, inner)
        for key in valid
        if isinstance(valid[key], dict | list)
        for inner in (valid[key][0] if isinstance(valid[key], list) else valid[key])
    ]
    return st.builds(replace, st.just(valid), st.sampled_from(paths), json_values)


def assert_no_server_error(response):
    assert response.status_code < 500, response.content[:500]


@FUZZ
@given(body=json_values | mutated(VALID_ORDER))
def test_the_orders_endpoint_never_answers_5xx(api_network, hq_key, body):
    assert_no_server_error(api_client(key=hq_key).post(ORDERS, body, format="json"))


@FUZZ
@given(body=json_values | mutated({"reference": "till-1", "rows": [VALID_ROW]}))
def test_the_stock_batch_endpoint_never_answers_5xx(api_network, lyon_key, lyon_store, body):
    url = f"/api/v1/stores/{lyon_store.slug}/stock/batch/"
    assert_no_server_error(api_client(key=lyon_key).post(url, body, format="json"))


def test_the_valid_bodies_the_mutations_start_from_are_accepted(
    api_network, hq_key, lyon_key, lyon_store
):
    placed = api_client(key=hq_key).post(ORDERS, VALID_ORDER, format="json")
    url = f"/api/v1/stores/{lyon_store.slug}/stock/batch/"
    fed = api_client(key=lyon_key).post(url, {"rows": [VALID_ROW]}, format="json")

    assert placed.status_code == 201, placed.content
    assert fed.status_code == 200, fed.content


@pytest.mark.parametrize(
    "raw",
    [b"", b"null", b"\xff\xfe", b'{"rows": [' + b"1," * 50_000 + b"1]}", b"[" * 5000],
)
def test_odd_raw_bodies_never_answer_5xx(api_network, lyon_key, lyon_store, raw):
    client = api_client(key=lyon_key)
    for url in (ORDERS, f"/api/v1/stores/{lyon_store.slug}/stock/batch/"):
        response = client.generic("POST", url, raw, content_type="application/json")
        assert_no_server_error(response)
