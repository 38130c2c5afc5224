"""The API holds a session to the back-office's rule on the second factor (issue 17): an account
that can move money or stock and has no second factor reaches neither through the API with its
session; API keys are not sessions and are not asked; customers are not asked."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from stores.models import StockLevel, StockMovement
from tests.api_clients import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_enforced(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def batch_body(sku, on_hand):
    return {"reference": "till-1", "rows": [{"sku": sku, "on_hand": on_hand, "sequence": 1}]}


def assert_second_factor_required(response):
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "second_factor_required"
    assert "double authentification" in body["detail"]
    assert body["fields"] == {}


def test_an_owner_without_a_second_factor_cannot_push_stock_with_the_session(
    lyon_owner, lyon_store, lyon_stock, secateur
):
    client = api_client(user=lyon_owner)

    response = client.post(
        f"/api/v1/stores/{lyon_store.slug}/stock/batch/",
        batch_body(secateur.sku, 99),
        format="json",
    )

    assert_second_factor_required(response)
    assert StockLevel.objects.get(store=lyon_store, variant=secateur).on_hand == 8
    assert not StockMovement.objects.filter(store=lyon_store, on_hand_after=99).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stores/{store}/stock/",
        "/api/v1/stores/{store}/movements/",
        "/api/v1/stores/{store}/fulfilments/",
        "/api/v1/payments/payouts/",
        "/api/v1/payments/invoices/",
        "/api/v1/webhooks/",
    ],
    ids=["stock", "movements", "fulfilments", "payouts", "invoices", "webhooks"],
)
def test_an_owner_without_a_second_factor_cannot_read_money_or_stock_with_the_session(
    path, lyon_owner, lyon_store, lyon_stock
):
    response = api_client(user=lyon_owner).get(path.format(store=lyon_store.slug))

    assert_second_factor_required(response)


def test_hq_staff_without_a_second_factor_cannot_read_payouts_with_the_session(hq_admin):
    assert_second_factor_required(api_client(user=hq_admin).get("/api/v1/payments/payouts/"))


def test_the_catalogue_stays_readable_without_a_second_factor(lyon_owner, lyon_store, secateur):
    client = api_client(user=lyon_owner)

    assert client.get("/api/v1/products/").status_code == 200
    assert client.get(f"/api/v1/variants/{secateur.sku}/").status_code == 200
    assert client.get("/api/v1/stores/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_with_a_second_factor_the_session_reaches_stock(
    lyon_owner, lyon_store, lyon_stock, secateur
):
    TOTP.activate(lyon_owner, generate_totp_secret())
    client = api_client(user=lyon_owner)

    assert client.get(f"/api/v1/stores/{lyon_store.slug}/stock/").status_code == 200
    pushed = client.post(
        f"/api/v1/stores/{lyon_store.slug}/stock/batch/",
        batch_body(secateur.sku, 12),
        format="json",
    )
    assert pushed.status_code == 200, pushed.content
    assert StockLevel.objects.get(store=lyon_store, variant=secateur).on_hand == 12


def test_the_stores_api_key_is_not_asked(lyon_key, lyon_store, lyon_stock, secateur):
    client = api_client(key=lyon_key)

    assert client.get(f"/api/v1/stores/{lyon_store.slug}/stock/").status_code == 200
    pushed = client.post(
        f"/api/v1/stores/{lyon_store.slug}/stock/batch/",
        batch_body(secateur.sku, 5),
        format="json",
    )
    assert pushed.status_code == 200, pushed.content


def test_customers_are_not_asked(customer):
    assert api_client(user=customer).get("/api/v1/orders/").status_code == 200


def test_without_the_rule_the_session_reaches_stock(settings, lyon_owner, lyon_store, lyon_stock):
    settings.REQUIRE_SECOND_FACTOR = False

    response = api_client(user=lyon_owner).get(f"/api/v1/stores/{lyon_store.slug}/stock/")

    assert response.status_code == 200
