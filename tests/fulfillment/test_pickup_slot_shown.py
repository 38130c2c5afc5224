"""The pickup time the customer chose reaches HQ's admin and the customer's e-mails."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone

from checkout.services import CheckoutLine, place_order
from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from network_marketplace.outbox import deliver_due_messages
from orders.models import FulfilmentMethod
from stores.opening_hours import STORE_TIME_ZONE

from .conftest import LEA

EN_DASH = "\u2013"


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime(timezone.now(), STORE_TIME_ZONE).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STORE_TIME_ZONE)


@pytest.fixture
def order_with_slot(network):
    start = tomorrow_at(11, 30)
    return place_order(
        customer=LEA,
        lines=[
            CheckoutLine(network.secateur, 1, FulfilmentMethod.CLICK_COLLECT, network.lyon),
        ],
        actor="storefront",
        pickup_slots={network.lyon.pk: (start, start + timedelta(minutes=30))},
    )


def html_of(email) -> str:
    return next(content for content, mimetype in email.alternatives if mimetype == "text/html")


def the_email(subject_contains: str):
    deliver_due_messages()
    (email,) = [each for each in mail.outbox if subject_contains in each.subject]
    return email


def test_the_confirmation_e_mail_states_the_pickup_time(order_with_slot):
    email = the_email("votre commande")

    label = f"11:30{EN_DASH}12:00"
    assert "Votre créneau de retrait à Ardoise Lyon Presqu'île\u00a0: " in email.body
    assert label in email.body
    assert label in html_of(email)


def test_the_ready_e_mail_states_the_pickup_time(order_with_slot):
    fulfilment = order_with_slot.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")
    mark_ready_for_pickup(fulfilment=fulfilment, actor="store")

    email = the_email("prête")

    assert "Votre créneau de retrait\u00a0: " in email.body
    assert f"11:30{EN_DASH}12:00" in email.body
    assert f"11:30{EN_DASH}12:00" in html_of(email)


def test_hq_sees_the_pickup_time_in_the_admin_lists_and_pages(client, hq_admin, order_with_slot):
    fulfilment = order_with_slot.fulfilments.get()
    client.force_login(hq_admin)
    pages = {
        "orders": client.get("/admin/orders/order/"),
        "order": client.get(f"/admin/orders/order/{order_with_slot.pk}/change/"),
        "fulfilments": client.get("/admin/fulfillment/fulfilment/"),
        "fulfilment": client.get(f"/admin/fulfillment/fulfilment/{fulfilment.pk}/change/"),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert f"11:30{EN_DASH}12:00" in response.content.decode(), name


def test_the_customer_sees_her_pickup_time_on_her_orders_list(
    client, network, customer, django_assert_max_num_queries
):
    start = tomorrow_at(11, 30)
    lines = [CheckoutLine(network.secateur, 1, FulfilmentMethod.CLICK_COLLECT, network.lyon)]
    for slot in ({network.lyon.pk: (start, start + timedelta(minutes=30))}, None):
        place_order(
            customer=replace(LEA, user=customer),
            lines=lines,
            actor="storefront",
            pickup_slots=slot,
        )
    client.force_login(customer)
    client.get(reverse("orders:mine"))

    with django_assert_max_num_queries(12):
        page = client.get(reverse("orders:mine")).content.decode()

    # One line for the order with a slot, none for the one without
    assert page.count('data-testid="pickup-slot"') == 1
    day = formats.date_format(start, "l j F")
    assert f"Retrait\u00a0: {day}, 11:30{EN_DASH}12:00" in page
