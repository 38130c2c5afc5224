"""The demo's people look real: the customer has a full name and an account to show (phone,
home address, her store), and each store's phone number has its region's prefix."""

from __future__ import annotations

import pytest

from accounts.selectors import checkout_details, favourite_store_of
from demo.loader import load_network
from demo.network import network
from network_marketplace.models import User
from stores.models import Store


@pytest.fixture
def demo_network(db):
    load_network()
    return network()


def test_the_demo_customer_has_a_last_name_and_an_account_to_show(demo_network):
    customer = User.objects.get(email=demo_network.customer.email)

    assert customer.get_full_name() == "Léa Martin"
    assert checkout_details(customer) | {"email": ""} == {
        "email": "", "first_name": "Léa", "last_name": "Martin", "phone": "06 12 34 56 78",
        "address_line": "3 rue Mercière", "postal_code": "69002", "city": "Lyon",
    }  # fmt: skip
    assert favourite_store_of(customer).slug == demo_network.orders_store


def test_loading_the_network_again_keeps_what_she_changed(demo_network):
    customer = User.objects.get(email=demo_network.customer.email)
    customer.customer_profile.favourite_store = None
    customer.customer_profile.save()

    load_network()

    assert favourite_store_of(customer) is None


@pytest.mark.parametrize(
    ("slug", "prefix"),
    [
        ("paris-bastille", "+33 1 "),
        ("lyon-presquile", "+33 4 "),
        ("marseille", "+33 4 "),
        ("bordeaux", "+33 5 "),
        ("lille", "+33 3 "),
    ],
    ids=str,
)
def test_a_store_phone_has_its_regions_prefix(demo_network, slug, prefix):
    assert Store.objects.get(slug=slug).phone.startswith(prefix)


def test_every_store_phone_has_a_prefix_of_its_region(demo_network):
    zones = {"75": "1", "69": "4", "13": "4", "33": "5", "59": "3", "35": "2", "31": "5"}
    for store in Store.objects.all():
        expected = zones.get(store.postal_code[:2])
        if expected:
            assert store.phone.startswith(f"+33 {expected} "), (store.slug, store.phone)
