"""Two customers of the network: Léa (orders from Lyon and Paris) and Bob (an order from
Paris), each with an account, an address, a profile; e-mails sent to both."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

from accounts.services import choose_favourite_store, save_address, update_profile
from network_marketplace.notifications import send_templated_email
from tests.factories import PASSWORD, UserFactory
from tests.fulfillment.returns_helpers import Sold, received_order


def client_for(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def files_of(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


@pytest.fixture
def lea(db, lyon_store):
    user = UserFactory(email="lea.martin@example.com", first_name="Léa", last_name="Martin")
    update_profile(user=user, actor=user, first_name="Léa", last_name="Martin", phone="0611223344")
    save_address(
        user=user, actor=user, label="Maison", address_line="3 rue Mercière",
        postal_code="69002", city="Lyon", make_default=True,
    )  # fmt: skip
    choose_favourite_store(user=user, store=lyon_store, actor=user)
    return user


@pytest.fixture
def bob(db):
    return UserFactory(email="bob.durand@example.com", first_name="Bob", last_name="Durand")


@pytest.fixture
def orders(lea, bob, lyon_store, paris_store):
    """Léa bought in Lyon (a 149 € parcel) and Paris (12,90 €); Bob in Paris. All received."""
    lea_lyon = received_order(
        Sold(lyon_store, unit_price_cents=14900), customer=lea, email=lea.email,
        number="ARD-LEA-LYON",
    )  # fmt: skip
    lea_paris = received_order(
        Sold(paris_store, unit_price_cents=1290), customer=lea, email=lea.email,
        number="ARD-LEA-PARIS",
    )  # fmt: skip
    bob_paris = received_order(
        Sold(paris_store, unit_price_cents=2590), customer=bob, email=bob.email,
        number="ARD-BOB-PARIS",
    )  # fmt: skip
    for order in (lea_lyon, lea_paris, bob_paris):
        order.first_name = order.customer.first_name
        order.last_name = order.customer.last_name
        order.phone = "0611223344" if order.customer == lea else "0699887766"
        order.address_line = "3 rue Mercière" if order.customer == lea else "8 rue de Lappe"
        order.save(update_fields=["first_name", "last_name", "phone", "address_line"])
        send_templated_email(
            to=order.email, template="order_shipped",
            context={"number": order.number, "first_name": order.first_name,
                     "carrier": "Colissimo", "tracking_number": "6A1", "tracking_url": ""},
            dedupe_key=f"test-shipped:{order.pk}",
        )  # fmt: skip
    return lea_lyon, lea_paris, bob_paris
