"""Store-to-store transfers end to end through the public surfaces: the customer's quote and
order API, each store's POS key on the fulfilment API, the e-mails the outbox delivers, the
beat job's timeout. Lyon Presqu'île (the customer's store) has no sécateur; Villeurbanne and
Vénissieux have some."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from fulfillment.models import Fulfilment
from fulfillment.tasks import time_out_overdue_fulfilments
from network_marketplace.models import WebhookDelivery
from network_marketplace.outbox import deliver_due_messages
from stores.models import StockLevel, StockMovement
from stores.services import update_offer
from tests.api_clients import api_client
from tests.factories import StoreFactory, UserFactory, VariantFactory
from tests.test_scenarios import inbox, on_hand, pos, step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def network(lyon_store, hq_admin):
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", slug="villeurbanne", city="Villeurbanne",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    venissieux = StoreFactory(
        name="Ardoise Vénissieux", slug="venissieux", city="Vénissieux",
        latitude=Decimal("45.697000"), longitude=Decimal("4.886000"),
    )  # fmt: skip
    secateur = VariantFactory(sku="ARD-SEC-01", rrp_cents=2990, product__name="Sécateur Ardoise")
    for store, units in ((lyon_store, 0), (villeurbanne, 5), (venissieux, 2)):
        update_offer(store=store, variant=secateur, on_hand=units, source="system", actor="hq")
        StockLevel.objects.filter(store=store, variant=secateur).update(safety_stock=0)
    return {
        "lyon": lyon_store, "villeurbanne": villeurbanne, "venissieux": venissieux,
        "secateur": secateur,
    }  # fmt: skip


@pytest.fixture
def lea(db):
    return UserFactory(email="lea@example.com", first_name="Léa", last_name="Martin")


def collect_at_lyon(network, quantity=2, method="click_collect") -> list[dict]:
    return [
        {"sku": network["secateur"].sku, "quantity": quantity, "method": method,
         "store": network["lyon"].slug}
    ]  # fmt: skip


def place(customer, lines) -> dict:
    response = api_client(user=customer).post(
        "/api/v1/orders/",
        {"customer": {"first_name": "Léa", "last_name": "Martin"}, "lines": lines,
         "payment_token": "tok_visa"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    return response.json()


def post(client, store, fulfilment_id, action, **body):
    return client.post(
        f"/api/v1/stores/{store.slug}/fulfilments/{fulfilment_id}/{action}/", body, format="json"
    )


def the_transfer(order_number: str) -> Fulfilment:
    return Fulfilment.objects.exclude(status__in=["rejected", "timed_out"]).get(
        order__number=order_number
    )


def test_quote_offers_a_transfer_with_the_longer_promise(network, lea):
    # given Lyon has none, Villeurbanne has five
    # when the customer asks for a quote for click & collect at Lyon
    response = api_client(user=lea).post(
        "/api/v1/checkout/quote/", {"lines": collect_at_lyon(network)}, format="json"
    )
    # then the line is available, sent from Villeurbanne, with collect + transfer days
    assert response.status_code == 200, response.json()
    [line] = response.json()["lines"]
    assert line["available"] is True
    assert line["transfer"]["from"] == "villeurbanne"
    assert "Lyon Presqu'île" in line["transfer"]["message"]
    assert line["served_by"][0]["location"]["slug"] == "villeurbanne"
    assert line["delay_days"] >= 3


def test_click_and_collect_by_transfer_from_checkout_to_handover(network, lea):
    lyon, villeurbanne, secateur = network["lyon"], network["villeurbanne"], network["secateur"]
    lyon_before = on_hand(lyon, secateur)

    # given an order for click & collect at Lyon, which has none
    order = place(lea, collect_at_lyon(network, quantity=2))
    [confirmation] = inbox(order["number"])
    assert "envoyé depuis un autre magasin" in confirmation.body
    assert StockLevel.objects.get(store=villeurbanne, variant=secateur).reserved == 2
    source_till, pickup_till = pos(villeurbanne), pos(lyon)

    # when Villeurbanne accepts, picks and sends it by the internal shuttle
    [awaiting] = [
        f
        for f in source_till.get(f"/api/v1/stores/{villeurbanne.slug}/fulfilments/").json()[
            "results"
        ]
    ]
    assert awaiting["transfer"]["pickup_store"] == lyon.slug
    assert set(awaiting["allowed_actions"]) == {"accept", "reject"}
    fulfilment_id = awaiting["id"]
    # the pickup store can't accept for the source
    assert post(pickup_till, lyon, fulfilment_id, "accept").status_code == 409
    step(source_till, villeurbanne, fulfilment_id, "accept")
    step(source_till, villeurbanne, fulfilment_id, "picked")
    # receiving before it was sent is refused
    early = post(pickup_till, lyon, fulfilment_id, "receive")
    assert early.status_code == 409
    assert early.json()["code"] == "illegal_transition"
    shipped = step(source_till, villeurbanne, fulfilment_id, "ship-transfer")
    assert shipped["status"] == "in_transit"
    assert on_hand(villeurbanne, secateur) == 3

    # then the customer's tracking says it is on its way to their store
    tracked = api_client(user=lea).get(f"/api/v1/orders/{order['number']}/").json()
    [part] = tracked["fulfilments"]
    assert part["status"] == "in_transit"
    assert part["pickup_store"]["slug"] == lyon.slug
    page = Client()
    page.force_login(lea)
    tracking_page = page.get(f"/orders/{order['number']}/").content.decode()
    assert "En route vers votre magasin" in tracking_page
    assert "Ardoise Lyon Presqu&#x27;île" in tracking_page

    # when Lyon's incoming queue shows it, and handing over before receiving is refused
    incoming = pickup_till.get(
        f"/api/v1/stores/{lyon.slug}/fulfilments/", {"status": "in_transit"}
    ).json()["results"]
    assert [f["id"] for f in incoming] == [fulfilment_id]
    assert incoming[0]["allowed_actions"] == ["receive"]
    refused = post(pickup_till, lyon, fulfilment_id, "handover", code="123456")
    assert refused.status_code == 409
    assert inbox("prête") == []

    # when Lyon receives it: the units are in its stock, held for the order
    step(pickup_till, lyon, fulfilment_id, "receive")
    level = StockLevel.objects.get(store=lyon, variant=secateur)
    assert (level.on_hand, level.reserved, level.available) == (lyon_before + 2, 2, 0)
    assert inbox("prête") == []  # not before Lyon marks it ready

    # and marks it ready, then hands it over with the e-mailed code
    step(pickup_till, lyon, fulfilment_id, "ready")
    [ready_mail] = inbox("prête")
    assert "Lyon Presqu'île" in ready_mail.body
    code = re.search(r"code de retrait\s: (\d{6})", ready_mail.body).group(1)
    done = step(pickup_till, lyon, fulfilment_id, "handover", code=code)

    # then it is collected, the sale Villeurbanne's, the handover Lyon's
    assert done["status"] == "collected"
    fulfilment = Fulfilment.objects.get(pk=fulfilment_id)
    assert (fulfilment.store, fulfilment.pickup_store) == (villeurbanne, lyon)
    assert (
        api_client(user=lea).get(f"/api/v1/orders/{order['number']}/").json()["status"]
        == "completed"
    )
    # and the stock adds up: Villeurbanne down by two, Lyon back where it was
    assert on_hand(villeurbanne, secateur) == 3
    assert on_hand(lyon, secateur) == lyon_before
    reasons = list(
        StockMovement.objects.filter(variant=secateur, reference=order["number"])
        .order_by("id")
        .values_list("store__slug", "reason", "delta")
    )
    assert reasons == [
        ("villeurbanne", "transfer_out", -2),
        ("lyon-presquile", "transfer_in", 2),
        ("lyon-presquile", "sale", -2),
    ]
    assert StockLevel.objects.get(store=villeurbanne, variant=secateur).reserved == 0
    assert StockLevel.objects.get(store=lyon, variant=secateur).reserved == 0


def test_a_transfer_sent_by_carrier_needs_its_tracking_number(network, lea):
    villeurbanne = network["villeurbanne"]
    order = place(lea, collect_at_lyon(network, quantity=1))
    till = pos(villeurbanne)
    fulfilment = the_transfer(order["number"])
    step(till, villeurbanne, fulfilment.pk, "accept")
    step(till, villeurbanne, fulfilment.pk, "picked")

    missing = post(till, villeurbanne, fulfilment.pk, "ship-transfer", carrier="Colissimo")
    shipped = step(
        till, villeurbanne, fulfilment.pk, "ship-transfer",
        carrier="Colissimo", tracking_number="6A12345678901",
    )  # fmt: skip

    assert missing.status_code == 400
    assert shipped["transfer"]["carrier"] == "Colissimo"
    assert shipped["tracking_number"] == "6A12345678901"


def test_a_source_that_times_out_is_replaced_by_the_next_source(network, lea):
    lyon, villeurbanne, venissieux = network["lyon"], network["villeurbanne"], network["venissieux"]
    secateur = network["secateur"]
    # given a transfer from Villeurbanne that nobody accepts
    order = place(lea, collect_at_lyon(network, quantity=2))
    first = the_transfer(order["number"])
    assert first.store == villeurbanne

    # when its deadline passes and the beat job runs
    Fulfilment.objects.filter(pk=first.pk).update(
        accept_deadline=timezone.now() - timedelta(minutes=1)
    )
    time_out_overdue_fulfilments()

    # then Vénissieux is asked to send it to Lyon, its stock held, Villeurbanne's given back
    second = the_transfer(order["number"])
    assert (second.store, second.pickup_store, second.status) == (
        venissieux, lyon, "awaiting_acceptance",
    )  # fmt: skip
    assert StockLevel.objects.get(store=villeurbanne, variant=secateur).reserved == 0
    assert StockLevel.objects.get(store=venissieux, variant=secateur).reserved == 2
    till = pos(venissieux)
    assert [f["id"] for f in till.get(f"/api/v1/stores/{venissieux.slug}/fulfilments/").json()[
        "results"
    ]] == [second.pk]  # fmt: skip


def test_a_transfer_no_source_can_serve_is_cancelled_and_refunded(network, lea):
    villeurbanne = network["villeurbanne"]
    # given five units wanted: only Villeurbanne has so many
    order = place(lea, collect_at_lyon(network, quantity=5))
    fulfilment = the_transfer(order["number"])

    # when Villeurbanne rejects it
    step(pos(villeurbanne), villeurbanne, fulfilment.pk, "reject", reason="Stock abîmé.")

    # then the line is cancelled, refunded and the customer told
    tracked = api_client(user=lea).get(f"/api/v1/orders/{order['number']}/").json()
    assert tracked["status"] == "cancelled"
    deliver_due_messages()
    assert any(order["number"] in email.subject for email in mail.outbox[1:])


def test_another_store_gets_404_on_a_transfer_between_two_others(network, lea):
    villeurbanne = network["villeurbanne"]
    order = place(lea, collect_at_lyon(network, quantity=1))
    fulfilment = the_transfer(order["number"])
    outsider = StoreFactory(slug="grenoble", city="Grenoble")
    till = pos(outsider)

    for action in ("ship-transfer", "receive"):
        assert post(till, outsider, fulfilment.pk, action).status_code == 404
    assert till.get(f"/api/v1/stores/{outsider.slug}/fulfilments/{fulfilment.pk}/").status_code == (
        404
    )
    assert post(pos(villeurbanne), villeurbanne, fulfilment.pk, "receive").status_code == 409


def test_transfer_steps_send_their_webhooks_to_both_stores(network, lea):
    from network_marketplace.webhooks import create_endpoint

    lyon, villeurbanne = network["lyon"], network["villeurbanne"]
    for store in (lyon, villeurbanne):
        create_endpoint(
            store=store,
            url="https://pos.example.com/hook",
            actor="hq",
            event_types=["fulfillment.transfer_shipped", "fulfillment.transfer_received"],
        )
    order = place(lea, collect_at_lyon(network, quantity=1))
    fulfilment = the_transfer(order["number"])
    till = pos(villeurbanne)
    for action in ("accept", "picked", "ship-transfer"):
        step(till, villeurbanne, fulfilment.pk, action)
    step(pos(lyon), lyon, fulfilment.pk, "receive")

    sent = set(
        WebhookDelivery.objects.filter(event_type__startswith="fulfillment.transfer").values_list(
            "endpoint__store__slug", "event_type"
        )
    )
    assert sent == {
        (slug, event)
        for slug in ("lyon-presquile", "villeurbanne")
        for event in ("fulfillment.transfer_shipped", "fulfillment.transfer_received")
    }
