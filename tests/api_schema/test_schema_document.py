"""The OpenAPI schema says what the API answers: every status in the one error shape with its
codes, request bodies only in the content types they can be sent in, list bounds, and the
content types of files."""

from __future__ import annotations

import pytest

OPERATIONS = ("get", "post", "put", "patch", "delete")
HANDOVER = "/api/v1/stores/{store_slug}/fulfilments/{id}/handover/"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client
    from drf_spectacular.validation import validate_schema

    with django_db_blocker.unblock():
        found = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    validate_schema(found)
    return found


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in OPERATIONS:
                yield path, method, operation


def resolve(schema, node):
    ref = node.get("$ref", "")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node


def test_every_operation_documents_the_platforms_errors_in_the_one_shape(schema):
    missing = []
    for path, method, operation in operations(schema):
        expected = {"400", "414", "429"}
        if {} not in operation.get("security", [{}]):
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"413", "415"}
        for status in expected - set(operation["responses"]):
            missing.append((method, path, status))
        for status in expected & set(operation["responses"]):
            answer = operation["responses"][status]
            body = resolve(schema, answer["content"]["application/json"]["schema"])
            assert {"code", "detail", "fields"} <= set(body["properties"]), (path, status)

    assert not missing


def test_the_handover_lists_each_code_it_answers(schema):
    responses = schema["paths"][HANDOVER]["post"]["responses"]
    body = resolve(schema, responses["400"]["content"]["application/json"]["schema"])
    codes = set(resolve(schema, body["properties"]["code"])["enum"])

    assert {"invalid", "parse_error", "wrong_pickup_code"} <= codes
    assert {"illegal_transition", "pickup_code_void"} <= codes
    assert "`illegal_transition`" in responses["409"]["description"]
    assert "`parse_error`" in responses["400"]["description"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/orders/", "post"),
        ("/api/v1/checkout/quote/", "post"),
        ("/api/v1/stores/{store_slug}/stock/batch/", "post"),
        ("/api/v1/webhooks/", "post"),
        ("/api/v1/stores/{store_slug}/returns/", "post"),
    ],
)
def test_a_body_with_nested_objects_or_lists_is_json_only(schema, path, method):
    content = schema["paths"][path][method]["requestBody"]["content"]

    assert set(content) == {"application/json"}


def test_a_flat_body_may_also_be_a_form(schema):
    content = schema["paths"][HANDOVER]["post"]["requestBody"]["content"]

    assert "application/x-www-form-urlencoded" in content


@pytest.mark.parametrize(
    ("component", "field", "bounds"),
    [
        ("StockBatchRequest", "rows", (1, 200_000)),
        ("QuoteInputRequest", "lines", (1, 100)),
        ("PlaceOrderInputRequest", "lines", (1, 100)),
        ("WebhookEndpointRequest", "event_types", (1, None)),
        ("ReturnCreateRequest", "lines", (1, None)),
    ],
)
def test_lists_show_their_bounds(schema, component, field, bounds):
    found = schema["components"]["schemas"][component]["properties"][field]

    assert (found.get("minItems"), found.get("maxItems")) == bounds


@pytest.mark.parametrize(
    ("path", "content_types"),
    [
        ("/api/v1/payments/exports/fec/", {"text/plain"}),
        ("/api/v1/payments/exports/orders/", {"text/csv"}),
        ("/api/v1/payments/invoices/{number}/pdf/", {"application/pdf"}),
        (
            "/api/v1/payments/stores/{store_slug}/statement/",
            {"application/json", "text/csv", "application/pdf"},
        ),
        ("/api/v1/marketing/stores/{store_slug}/proofs/{id}/pages/{page}/", {"image/png"}),
    ],
)
def test_files_are_documented_in_their_content_type(schema, path, content_types):
    answer = schema["paths"][path]["get"]["responses"]["200"]

    assert set(answer["content"]) == content_types


def test_an_empty_optional_filter_is_documented_as_allowed(schema):
    parameters = schema["paths"]["/api/v1/stores/{store_slug}/movements/"]["get"]["parameters"]
    sku = next(parameter for parameter in parameters if parameter["name"] == "sku")

    assert sku["allowEmptyValue"] is True


def test_examples_name_what_the_demo_has(schema):
    from demo.catalogue import demo_products

    demo_skus = {variant.sku for product in demo_products() for variant in product.variants}
    lines = schema["paths"]["/api/v1/orders/"]["post"]["requestBody"]["content"][
        "application/json"
    ]["examples"]["AnOrder"]["value"]["lines"]

    assert {line["sku"] for line in lines} <= demo_skus


def test_a_stock_rows_numbers_show_the_columns_ranges(schema):
    row = schema["components"]["schemas"]["StockFeedRowRequest"]["properties"]

    assert row["on_hand"]["maximum"] == 2**31 - 1
    assert row["sequence"]["maximum"] == 2**63 - 1
