"""The OpenAPI schema documents every checkout, order and fulfilment endpoint: a summary, the
request body, the answer and the errors an integrator must handle."""

from __future__ import annotations

import pytest

ENDPOINTS = {
    ("/api/v1/checkout/quote/", "post"): {"200", "400", "401"},
    ("/api/v1/orders/", "get"): {"200", "400", "401"},
    ("/api/v1/orders/", "post"): {"201", "400", "401", "402", "409", "422"},
    ("/api/v1/orders/{number}/", "get"): {"200", "401", "404"},
    ("/api/v1/stores/{store_slug}/fulfilments/", "get"): {"200", "400", "401", "404"},
    ("/api/v1/stores/{store_slug}/fulfilments/{id}/", "get"): {"200", "401", "404"},
    **{
        (f"/api/v1/stores/{{store_slug}}/fulfilments/{{id}}/{step}/", "post"): {
            "200", "400", "401", "404", "409",
        }
        for step in ("accept", "reject", "picked", "ready", "handover", "ship", "outcome")
    },
}  # fmt: skip
WITH_BODY = {"quote", "orders", "reject", "handover", "ship", "outcome"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client
    from drf_spectacular.validation import validate_schema

    with django_db_blocker.unblock():
        found = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    validate_schema(found)
    return found


@pytest.mark.parametrize(("path", "method"), list(ENDPOINTS), ids=lambda value: value)
def test_every_endpoint_is_documented(schema, path, method):
    operation = schema["paths"][path][method]

    assert operation["summary"]
    assert operation.get("description")
    assert ENDPOINTS[(path, method)] <= set(operation["responses"])
    for code, response in operation["responses"].items():
        assert response["description"] or code.startswith("2"), code
    last_word = path.rstrip("/").rsplit("/", 1)[-1]
    if method == "post" and last_word in WITH_BODY:
        assert "requestBody" in operation


def test_the_order_answer_documents_lines_fulfilments_and_events(schema):
    answer = schema["paths"]["/api/v1/orders/{number}/"]["get"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][name]["properties"]

    assert {"number", "status", "lines", "fulfilments", "events", "total_cents"} <= set(properties)


def test_the_idempotency_key_header_is_documented(schema):
    parameters = schema["paths"]["/api/v1/orders/"]["post"]["parameters"]

    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in parameters)
