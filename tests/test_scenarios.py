"""The omnichannel scenarios of the design brief, end to end through the public surfaces.

The customer orders through the order API as a signed-in customer (what the web shop's pages
call too), each store works through its POS's API key, and what the customer reads is the
e-mails the outbox actually delivers. Nothing below calls a service directly.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail

from network_marketplace.outbox import deliver_due_messages
from orders.models import Order
from stores.models import PostalCode, StockLevel, StockMovement, Store
from stores.services import issue_api_key, update_offer
from tests.api_clients import api_client
from tests.factories import StoreFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def network(lyon_store, paris_store, hq_admin):
    """Lyon and Villeurbanne near the customer, Paris far away, the warehouse near Lyon."""
    PostalCode.objects.create(code="69002", city="Lyon", latitude=45.7550, longitude=4.8290)
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", slug="villeurbanne", city="Villeurbanne",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    warehouse = StoreFactory(
        name="Entrepôt central", slug="entrepot", kind=Store.Kind.WAREHOUSE,
        latitude=Decimal("45.643600"), longitude=Decimal("5.110600"),
    )  # fmt: skip
    secateur = VariantFactory(sku="ARD-SEC-01", rrp_cents=2990, product__name="Sécateur Ardoise")
    for store, units in ((lyon_store, 3), (villeurbanne, 4), (paris_store, 2), (warehouse, 0)):
        # Counted into stock, with its movement, as a store's first feed would.
        update_offer(store=store, variant=secateur, on_hand=units, source="system", actor="hq")
        StockLevel.objects.filter(store=store, variant=secateur).update(safety_stock=0)
    return {
        "lyon": lyon_store, "villeurbanne": villeurbanne, "paris": paris_store,
        "warehouse": warehouse, "secateur": secateur,
    }  # fmt: skip


@pytest.fixture
def lea(db):
    return UserFactory(email="lea@example.com", first_name="Léa", last_name="Martin")


def pos(store) -> object:
    """The store's POS: an API client with the store's key."""
    return api_client(key=issue_api_key(store=store, name="Caisse", actor="hq").secret)


def step(client, store, fulfilment_id, action, **body):
    response = client.post(
        f"/api/v1/stores/{store.slug}/fulfilments/{fulfilment_id}/{action}/", body, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def queue(client, store, status="awaiting_acceptance") -> list[dict]:
    response = client.get(f"/api/v1/stores/{store.slug}/fulfilments/", {"status": status})
    assert response.status_code == 200
    return response.json()["results"]


def place(customer, lines, **extra) -> dict:
    response = api_client(user=customer).post(
        "/api/v1/orders/",
        {"customer": {"first_name": "Léa", "last_name": "Martin"}, "lines": lines,
         "payment_token": "tok_visa", **extra},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    return response.json()


def inbox(subject_contains: str) -> list:
    deliver_due_messages()
    return [email for email in mail.outbox if subject_contains in email.subject]


def on_hand(store, variant) -> int:
    level = StockLevel.objects.get(store=store, variant=variant)
    moved = sum(StockMovement.objects.filter(store=store, variant=variant).values_list(
        "delta", flat=True))  # fmt: skip
    assert level.on_hand == moved, "on hand must be the sum of its movements"
    assert level.available >= 0
    return level.on_hand


def test_click_and_collect_from_checkout_to_handover(network, lea):
    lyon, secateur = network["lyon"], network["secateur"]
    order = place(lea, [{"sku": secateur.sku, "quantity": 1, "method": "click_collect",
                         "store": lyon.slug}])  # fmt: skip
    [confirmation] = inbox(order["number"])
    assert confirmation.to == ["lea@example.com"]
    till = pos(lyon)

    [awaiting] = queue(till, lyon)
    step(till, lyon, awaiting["id"], "accept")
    step(till, lyon, awaiting["id"], "picked")
    step(till, lyon, awaiting["id"], "ready")
    [ready_mail] = inbox("prête")
    code = re.search(r"code de retrait\s: (\d{6})", ready_mail.body).group(1)
    wrong = till.post(
        f"/api/v1/stores/{lyon.slug}/fulfilments/{awaiting['id']}/handover/",
        {"code": "000000" if code != "000000" else "111111"}, format="json",
    )  # fmt: skip
    assert wrong.status_code == 400
    collected = step(till, lyon, awaiting["id"], "handover", code=code)

    assert collected["status"] == "collected"
    assert on_hand(lyon, secateur) == 2  # sold out of Lyon's own stock
    assert Order.objects.get(number=order["number"]).status == Order.Status.COMPLETED
    mine = api_client(user=lea).get(f"/api/v1/orders/{order['number']}/").json()
    assert mine["status"] == "completed"


def test_ship_from_store_rerouted_after_a_rejection(network, lea):
    secateur = network["secateur"]
    stores = {network[name].slug: network[name] for name in ("lyon", "villeurbanne")}
    order = place(
        lea, [{"sku": secateur.sku, "quantity": 1, "method": "home_delivery"}],
        delivery_address={"address_line": "3 rue Mercière", "postal_code": "69002",
                          "city": "Lyon"},
    )  # fmt: skip
    customer = api_client(user=lea)

    def open_parts():
        fulfilments = customer.get(f"/api/v1/orders/{order['number']}/").json()["fulfilments"]
        return [part for part in fulfilments if part["status"] == "awaiting_acceptance"]

    # The warehouse has none: a store near the customer with stock is asked, and refuses.
    [first] = open_parts()
    refusing = stores[first["store"]["slug"]]
    step(pos(refusing), refusing, first["id"], "reject", reason="Article abîmé en rayon")
    [second] = open_parts()
    serving = stores[second["store"]["slug"]]
    assert serving != refusing
    till = pos(serving)
    step(till, serving, second["id"], "accept")
    step(till, serving, second["id"], "picked")
    shipped = step(till, serving, second["id"], "ship", carrier="Colissimo",
                   tracking_number="6A12345678901")  # fmt: skip

    assert shipped["status"] == "shipped"
    [shipped_mail] = inbox("en route")
    assert "6A12345678901" in shipped_mail.body
    placed = Order.objects.get(number=order["number"])
    assert placed.routing_log[0]["reason"] == "placed"
    assert len(placed.routing_log) == 2  # the placement, then the re-route after the refusal
    assert on_hand(refusing, secateur) == StockLevel.objects.get(
        store=refusing, variant=secateur).available  # its unit went back on its shelf  # fmt: skip
    assert on_hand(serving, secateur) in (2, 3)  # one unit sold out of 3 or 4


def test_reserve_and_collect_paid_in_store(network, lea):
    paris, secateur = network["paris"], network["secateur"]
    order = place(lea, [{"sku": secateur.sku, "quantity": 1, "method": "reserve_collect",
                         "store": paris.slug}], payment_token="")  # fmt: skip
    assert Order.objects.get(number=order["number"]).online_payment_cents == 0
    till = pos(paris)
    [held] = queue(till, paris)
    step(till, paris, held["id"], "accept")
    step(till, paris, held["id"], "picked")
    step(till, paris, held["id"], "ready")
    assert inbox("prête")
    bought = step(till, paris, held["id"], "outcome", purchased=True)

    assert bought["status"] == "purchased_in_store"
    assert on_hand(paris, secateur) == 1


def test_a_web_order_returned_in_another_store_is_restocked_there_and_refunded(network, lea):
    lyon, paris, secateur = network["lyon"], network["paris"], network["secateur"]
    order = place(lea, [{"sku": secateur.sku, "quantity": 1, "method": "click_collect",
                         "store": lyon.slug}])  # fmt: skip
    till = pos(lyon)
    [fulfilment] = queue(till, lyon)
    for action in ("accept", "picked", "ready"):
        step(till, lyon, fulfilment["id"], action)
    code = re.search(r"code de retrait\s: (\d{6})", inbox("prête")[0].body).group(1)
    step(till, lyon, fulfilment["id"], "handover", code=code)

    customer = api_client(user=lea)
    [returnable] = customer.get("/api/v1/my/returns/returnable/", {"order": order["number"]}).json()
    started = customer.post(
        "/api/v1/my/returns/",
        {"order": order["number"], "reason": "changed_mind", "method": "in_store",
         "store": paris.slug,
         "lines": [{"fulfilment_line": returnable["fulfilment_line"], "quantity": 1}]},
        format="json",
    )  # fmt: skip
    assert started.status_code == 201, started.json()
    number = started.json()["number"]
    desk, base = pos(paris), f"/api/v1/stores/{paris.slug}/returns/{number}"
    assert desk.post(f"{base}/receive/").status_code == 200
    line = desk.get(f"{base}/").json()["lines"][0]
    inspected = desk.post(
        f"{base}/inspect/",
        {"lines": [{"line": line["id"], "condition": "resalable", "restock": True,
                    "refund_cents": line["max_refund_cents"]}]},
        format="json",
    )  # fmt: skip
    assert inspected.status_code == 200, inspected.json()
    refunded = desk.post(f"{base}/refund/")

    assert refunded.status_code == 200, refunded.json()
    assert on_hand(paris, secateur) == 3  # restocked into Paris, the receiving store
    assert on_hand(lyon, secateur) == 2  # Lyon's sale stays sold; its revenue is reversed
    assert line["seller_store"] == lyon.slug
    [refund_mail] = inbox("rembours")
    assert "29,90" in refund_mail.body


def test_endless_aisle_a_walk_in_customer_orders_what_another_store_has(network):
    lyon, villeurbanne, secateur = network["lyon"], network["villeurbanne"], network["secateur"]
    update_offer(store=lyon, variant=secateur, on_hand=0, source="system", actor="lyon")
    till = pos(lyon)
    response = till.post(
        "/api/v1/orders/",
        {"customer": {"email": "paul@example.com", "first_name": "Paul", "last_name": "Durand"},
         "lines": [{"sku": secateur.sku, "quantity": 1, "method": "home_delivery"}],
         "delivery_address": {"address_line": "3 rue Mercière", "postal_code": "69002",
                              "city": "Lyon"},
         "payment_token": "tok_till"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    order = Order.objects.get(number=response.json()["number"])
    assert (order.channel, order.placed_by_store) == (Order.Channel.ENDLESS_AISLE, lyon)
    [served_by] = {f.store for f in order.fulfilments.all()}
    assert served_by == villeurbanne
    assert queue(pos(villeurbanne), villeurbanne)
    assert inbox(order.number)[0].to == ["paul@example.com"]
