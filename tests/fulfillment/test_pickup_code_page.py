"""The pickup code and its QR on the customer's order page: once the part is ready, for the
customer who may follow the order (signed in, or through the tracking link), never before,
never after the handover, never for anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fulfillment.models import Fulfilment
from fulfillment.services import (
    accept_fulfilment,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
    reissue_pickup_code,
)
from orders.tracking import tracking_token
from tests.factories import UserFactory

from .conftest import click_and_collect, order_for


def ready(order) -> str:
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")
    return mark_ready_for_pickup(fulfilment=fulfilment, actor="store").pickup_code


@pytest.fixture
def lea(db):
    return UserFactory(email="lea@example.com")


@pytest.fixture
def leas_order(network, lea):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    order.customer = lea
    order.save(update_fields=["customer"])
    return order


def page(client, order) -> str:
    response = client.get(reverse("orders:detail", args=[order.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_signed_in_customer_sees_the_code_and_its_qr_once_ready(client, lea, leas_order):
    client.force_login(lea)
    assert 'data-testid="pickup-code"' not in page(client, leas_order)  # not before ready

    code = ready(leas_order)
    shown = page(client, leas_order)

    assert f'data-testid="pickup-code-digits">{code}<' in shown
    assert "<svg" in shown.split('data-testid="pickup-qr"')[1][:200]
    assert f"QR code de votre code de retrait {code}" in shown


def test_the_code_shown_is_the_one_the_counter_accepts(client, lea, leas_order):
    client.force_login(lea)
    ready(leas_order)
    shown = page(client, leas_order).split('data-testid="pickup-code-digits">')[1][:6]

    collected = hand_over(fulfilment=leas_order.fulfilments.get(), code=shown, actor="store")

    assert collected.status == Fulfilment.Status.COLLECTED
    assert 'data-testid="pickup-code"' not in page(client, leas_order)


def test_a_new_code_replaces_the_old_one_on_the_page(client, lea, leas_order):
    client.force_login(lea)
    old = ready(leas_order)

    new = reissue_pickup_code(fulfilment=leas_order.fulfilments.get(), actor="store").pickup_code

    shown = page(client, leas_order)
    assert f">{new}<" in shown
    assert new == old or f">{old}<" not in shown


def test_the_tracking_link_shows_the_code(client, leas_order):
    code = ready(leas_order)

    response = client.get(
        reverse("orders:track-link", args=[leas_order.number, tracking_token(leas_order.number)]),
        follow=True,
    )

    assert f'data-testid="pickup-code-digits">{code}<' in response.content.decode()


def test_another_customer_never_sees_the_code(client, leas_order):
    ready(leas_order)
    client.force_login(UserFactory(email="someone@example.com"))

    response = client.get(reverse("orders:detail", args=[leas_order.number]))

    assert response.status_code == 404


def test_the_code_is_not_kept_in_clear_with_the_fulfilment(leas_order):
    code = ready(leas_order)

    row = Fulfilment.objects.values().get(order=leas_order)

    assert all(code not in str(value) for value in row.values())
