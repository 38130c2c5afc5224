"""Small wrongs that made orders look unfinished: a delivery address on a click & collect
order, "Served by" repeating a store, the catchment card counting more orders than it lists."""

from __future__ import annotations

from django.urls import reverse

from fulfillment.order_selectors import attributed_orders
from orders.models import Order
from tests.factories import UserFactory

from .conftest import click_and_collect, home, order_for


def followed_page(client, order) -> str:
    user = UserFactory(email=f"{order.number.lower()}@example.com")
    Order.objects.filter(pk=order.pk).update(customer=user)
    client.force_login(user)
    return client.get(reverse("orders:detail", args=[order.number])).content.decode()


def test_a_click_and_collect_order_shows_no_delivery_address(client, network):
    collect = order_for(click_and_collect(network.secateur, network.lyon))
    Order.objects.filter(pk=collect.pk).update(address_line="3 rue Mercière")

    assert "Adresse de livraison" not in followed_page(client, collect)


def test_an_order_sent_home_shows_its_delivery_address(client, network):
    parcel = order_for(home(network.secateur))

    assert "Adresse de livraison" in followed_page(client, parcel)


def test_the_catchment_card_names_each_serving_store_once(network):
    # Given one order served by the Lyon store twice: collected there and sent from there
    for other in (network.warehouse, network.villeurbanne, network.caluire):
        network.stock(other).delete()
    order = order_for(click_and_collect(network.secateur, network.lyon), home(network.secateur))
    Order.objects.filter(pk=order.pk).update(attributed_store=network.lyon)
    assert order.fulfilments.filter(store=network.lyon).count() == 2

    (recent,) = attributed_orders(store=network.lyon).recent

    assert recent.served_by == [network.lyon.name]


def test_the_catchment_card_says_its_list_holds_the_latest_of_the_orders_it_counts(
    client, network, lyon_staff
):
    for _ in range(6):
        order = order_for(home(network.secateur))
        Order.objects.filter(pk=order.pk).update(attributed_store=network.lyon)
    client.force_login(lyon_staff)

    page = client.get(reverse("backoffice:dashboard", args=[network.lyon.slug])).content.decode()

    card = page.split('data-testid="attributed-card"')[1].split("</section>")[0]
    assert '<p class="stat">6 ' in card
    assert "Les 5 plus récentes de ces 6 commandes\u00a0:" in card
    assert card.count("<tr>") == 1 + 5  # the header and five orders
