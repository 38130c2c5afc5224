"""The marketing orders and budgets API: a store key orders for its own store (lines with item,
quantity, proof, options), reads the state, shares and proof URLs, cancels; bad input is a 400
with the error shape and changes nothing; over budget a 409; another store's order or budget a
404; HQ sees all."""

from __future__ import annotations

import pytest

from marketing_hub.models import MarketingOrder
from stores.services import issue_api_key

from .order_helpers import make_budget, make_item, make_proof, make_supplier, placed_order

pytestmark = pytest.mark.django_db
MO = MarketingOrder.Status
ORDERS = "/api/v1/marketing/orders/"


@pytest.fixture
def flyer(db):
    return make_item(supplier=make_supplier())


@pytest.fixture
def hq_key(hq_admin):
    return issue_api_key(store=None, name="ERP HQ", actor=hq_admin).secret


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


def test_a_store_key_creates_and_places_an_order_and_reads_its_proof(
    client, lyon_store, lyon_key, flyer
):
    make_budget(lyon_store, 50_000)
    proof = make_proof(lyon_store, flyer)

    response = client.post(
        ORDERS,
        {"lines": [{"item": "FLY-A5", "quantity": 1000, "proof": proof.pk}]},
        content_type="application/json",
        **auth(lyon_key),
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["store"], body["store_share_cents"]) == (
        MO.APPROVED,
        lyon_store.slug,
        9_900,
    )
    pdf = client.get(body["lines"][0]["proof"]["pdf_url"], **auth(lyon_key))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(f"{ORDERS}{body['id']}/", **auth(lyon_key)).json()["number"] == body["number"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"item": "FLY-A5", "quantity": 300}, "lines.0.quantity"),
        ({"item": "NOPE", "quantity": 250}, "lines.0.item"),
        ({"item": "FLY-A5", "quantity": 250}, "lines.0.proof"),
    ],
    ids=["quantity-outside-tiers", "unknown-item", "no-proof"],
)
def test_bad_lines_are_a_400_naming_the_field_and_change_nothing(
    client, lyon_key, flyer, line, field
):
    response = client.post(
        ORDERS, {"lines": [line]}, content_type="application/json", **auth(lyon_key)
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_line"
    assert field in body["fields"]
    assert not MarketingOrder.objects.exists()


def test_a_foreign_proof_is_refused(client, lyon_key, paris_store, flyer):
    foreign = make_proof(paris_store, flyer)

    response = client.post(
        ORDERS,
        {"lines": [{"item": "FLY-A5", "quantity": 250, "proof": foreign.pk}]},
        content_type="application/json",
        **auth(lyon_key),
    )

    assert response.status_code == 400
    assert "lines.0.proof" in response.json()["fields"]


def test_a_malformed_body_is_a_400_with_the_error_shape(client, lyon_key):
    response = client.post(
        ORDERS, {"lines": "x"}, content_type="application/json", **auth(lyon_key)
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"code", "detail", "fields"}


def test_an_order_over_budget_is_a_409_and_leaves_nothing(client, lyon_store, lyon_key, flyer):
    make_budget(lyon_store, 1_000)

    response = client.post(
        ORDERS,
        {"lines": [{"item": "FLY-A5", "quantity": 250, "proof": make_proof(lyon_store, flyer).pk}]},
        content_type="application/json",
        **auth(lyon_key),
    )

    assert response.status_code == 409
    assert response.json()["code"] == "over_budget"
    assert not MarketingOrder.objects.exists()


def test_another_stores_orders_and_budgets_are_404_and_hq_sees_all(
    client, lyon_store, lyon_owner, paris_store, paris_key, hq_key, flyer
):
    order = placed_order(lyon_store, lyon_owner, flyer)
    budget = make_budget(lyon_store)
    line = order.lines.get()

    assert client.get(f"{ORDERS}{order.pk}/", **auth(paris_key)).status_code == 404
    assert (
        client.get(f"{ORDERS}{order.pk}/lines/{line.pk}/proof/", **auth(paris_key)).status_code
        == 404
    )
    assert client.post(f"{ORDERS}{order.pk}/cancel/", **auth(paris_key)).status_code == 404
    assert client.get(ORDERS, **auth(paris_key)).json()["results"] == []
    assert (
        client.get(f"/api/v1/marketing/budgets/{budget.pk}/", **auth(paris_key)).status_code == 404
    )
    assert client.get("/api/v1/marketing/budgets/", **auth(paris_key)).json()["results"] == []
    assert [o["number"] for o in client.get(ORDERS, **auth(hq_key)).json()["results"]] == [
        order.number
    ]
    budgets = client.get("/api/v1/marketing/budgets/", **auth(hq_key)).json()["results"]
    assert [(b["store"], b["left_cents"]) for b in budgets] == [(lyon_store.slug, 100_000)]


def test_hq_orders_for_a_store_it_names_and_the_store_cancels(
    client, lyon_store, lyon_key, hq_key, flyer
):
    created = client.post(
        ORDERS,
        {
            "store": lyon_store.slug,
            "place": False,
            "lines": [
                {"item": "FLY-A5", "quantity": 250, "proof": make_proof(lyon_store, flyer).pk}
            ],
        },
        content_type="application/json",
        **auth(hq_key),
    ).json()
    assert created["status"] == MO.CART

    placed = client.post(f"{ORDERS}{created['id']}/place/", **auth(lyon_key)).json()
    cancelled = client.post(f"{ORDERS}{created['id']}/cancel/", **auth(lyon_key)).json()

    assert placed["status"] == MO.APPROVED
    assert cancelled["status"] == MO.CANCELLED
    again = client.post(f"{ORDERS}{created['id']}/place/", **auth(lyon_key))
    assert again.status_code == 409


def test_a_retried_create_with_the_same_idempotency_key_makes_one_order(
    client, lyon_store, lyon_key, flyer
):
    body = {
        "lines": [{"item": "FLY-A5", "quantity": 250, "proof": make_proof(lyon_store, flyer).pk}]
    }
    headers = {**auth(lyon_key), "HTTP_IDEMPOTENCY_KEY": "pos-42"}

    first = client.post(ORDERS, body, content_type="application/json", **headers)
    again = client.post(ORDERS, body, content_type="application/json", **headers)
    other = client.post(
        ORDERS, {**body, "note": "autre"}, content_type="application/json", **headers
    )

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json()["number"] == first.json()["number"]
    assert other.json()["code"] == "idempotency_key_reused"
    assert MarketingOrder.objects.count() == 1
