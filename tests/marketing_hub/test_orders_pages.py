"""The back-office's marketing cart and orders pages: add to cart (M1's item page posts here),
errors shown clearly and nothing changed, the shares and budget before placing, placing, the
order page; another store's orders are a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketing_hub.models import MarketingOrder, MarketingOrderLine

from .order_helpers import (
    make_budget,
    make_item,
    make_proof,
    make_rule,
    make_supplier,
    placed_order,
)

pytestmark = pytest.mark.django_db
MO = MarketingOrder.Status


@pytest.fixture
def flyer(db):
    return make_item(supplier=make_supplier())


def url(name, store, *args):
    return reverse(f"backoffice:{name}", args=[store.slug, *args])


def test_a_store_adds_to_its_cart_sees_the_shares_and_places(client, lyon_store, lyon_owner, flyer):
    make_budget(lyon_store, 20_000)
    make_rule(item=flyer, percent_bp=5000, cap_cents=100_000)
    client.force_login(lyon_owner)
    proof = make_proof(lyon_store, flyer)

    added = client.post(
        url("marketing-cart-add", lyon_store),
        {"item": flyer.pk, "quantity": 1_000, "proof": proof.pk},
    )
    cart = client.get(url("marketing-cart", lyon_store))

    assert added.status_code == 302
    page = cart.content.decode()
    assert "49,50" in page  # HQ pays half of 99 €
    assert "150,50" in page  # budget left after: 200 € - 49,50 €
    placed = client.post(url("marketing-cart-place", lyon_store))
    order = MarketingOrder.objects.get(store=lyon_store)
    assert placed.url == url("marketing-order", lyon_store, order.pk)
    detail = client.get(placed.url)
    assert order.number in detail.content.decode()
    assert client.get(url("marketing-orders", lyon_store)).status_code == 200
    assert (
        client.get(
            url("marketing-order-line-proof", lyon_store, order.pk, order.lines.get().pk)
        ).status_code
        == 200
    )


def test_a_bad_quantity_is_refused_with_a_clear_message(client, lyon_store, lyon_owner, flyer):
    client.force_login(lyon_owner)
    item_page = f"http://testserver/store/{lyon_store.slug}/marketing/catalogue/{flyer.pk}/"

    back = client.post(
        url("marketing-cart-add", lyon_store),
        {"item": flyer.pk, "quantity": 42, "proof": make_proof(lyon_store, flyer).pk},
        HTTP_REFERER=item_page,
    )
    response = client.get(url("marketing-cart", lyon_store))

    assert back.url == item_page

    assert "42" in response.content.decode()
    assert "250, " in response.content.decode()
    assert not MarketingOrderLine.objects.exists()


def test_another_stores_proof_is_refused(client, lyon_store, paris_store, lyon_owner, flyer):
    client.force_login(lyon_owner)

    client.post(
        url("marketing-cart-add", lyon_store),
        {"item": flyer.pk, "quantity": 250, "proof": make_proof(paris_store, flyer).pk},
    )

    assert not MarketingOrderLine.objects.exists()


def test_an_order_over_budget_shows_why_and_is_not_placed(client, lyon_store, lyon_owner, flyer):
    make_budget(lyon_store, 1_000)
    client.force_login(lyon_owner)
    client.post(
        url("marketing-cart-add", lyon_store),
        {"item": flyer.pk, "quantity": 250, "proof": make_proof(lyon_store, flyer).pk},
    )

    cart = client.get(url("marketing-cart", lyon_store))
    placed = client.post(url("marketing-cart-place", lyon_store), follow=True)

    assert 'data-testid="cart-problems"' in cart.content.decode()
    assert "39,00" in placed.content.decode()
    assert MarketingOrder.objects.get().status == MO.CART


def test_another_stores_order_is_a_404(
    client, lyon_store, paris_store, lyon_owner, paris_owner, flyer
):
    order = placed_order(lyon_store, lyon_owner, flyer)
    line = order.lines.get()
    client.force_login(paris_owner)

    assert client.get(url("marketing-order", paris_store, order.pk)).status_code == 404
    assert client.get(url("marketing-order", lyon_store, order.pk)).status_code == 404
    assert (
        client.get(url("marketing-order-line-proof", paris_store, order.pk, line.pk)).status_code
        == 404
    )
    assert client.post(url("marketing-order-cancel", paris_store, order.pk)).status_code == 404
    assert order.number not in client.get(url("marketing-orders", paris_store)).content.decode()


def test_the_store_cancels_then_confirms_nothing_else(client, lyon_store, lyon_owner, flyer):
    order = placed_order(lyon_store, lyon_owner, flyer)
    client.force_login(lyon_owner)

    client.post(url("marketing-order-cancel", lyon_store, order.pk), {"reason": "Doublon"})

    order.refresh_from_db()
    assert order.status == MO.CANCELLED


def test_the_orders_list_and_api_read_in_a_fixed_number_of_queries(
    client, lyon_store, lyon_owner, lyon_key, flyer, django_assert_max_num_queries
):
    for _ in range(6):
        placed_order(lyon_store, lyon_owner, flyer)
    client.force_login(lyon_owner)

    with django_assert_max_num_queries(15):
        page = client.get(url("marketing-orders", lyon_store))
    with django_assert_max_num_queries(15):
        api = client.get("/api/v1/marketing/orders/", HTTP_AUTHORIZATION=f"Api-Key {lyon_key}")

    assert page.status_code == 200
    assert len(api.json()["results"]) == 6
