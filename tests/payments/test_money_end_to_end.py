"""The money issue's acceptance, end to end through the public surfaces and the official Stripe
SDK against our local Stripe server: a 3-store order is paid once, each store's completed
fulfilment transfers it its net, a partial return reverses the right amounts on the right
store, a replayed webhook changes nothing, and a declined card leaves no order paid.

The customer orders through the order API, each store works through its POS key, the outbox
delivers what the provider must hear; what Stripe holds is read back from the server.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail

from network_marketplace.outbox import deliver_due_messages
from orders.models import Order
from payments import ledger
from payments.models import JournalEntry, Payment, SaleSplit, Transfer
from payments.reconciliation import reconcile_payments
from stores.models import StockLevel
from stores.services import issue_api_key, update_offer
from tests.api_clients import api_client
from tests.factories import StoreFactory, UserFactory, VariantFactory

from .stripe_server import stripe_fee

pytestmark = pytest.mark.django_db
WEBHOOK_URL = "/payments/stripe/webhook/"


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def network(lyon_store, paris_store, stripe_server):
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", slug="villeurbanne", city="Villeurbanne",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    secateur = VariantFactory(sku="ARD-SEC-01", rrp_cents=2990, product__name="Sécateur")
    gloves = VariantFactory(sku="ARD-GNT-01", rrp_cents=1450, product__name="Gants")
    for store in (lyon_store, paris_store, villeurbanne):
        for variant in (secateur, gloves):
            update_offer(store=store, variant=variant, on_hand=5, source="system", actor="hq")
    StockLevel.objects.update(safety_stock=0)
    return {"lyon": lyon_store, "paris": paris_store, "villeurbanne": villeurbanne,
            "secateur": secateur, "gloves": gloves}  # fmt: skip


@pytest.fixture
def lea(db):
    return UserFactory(email="lea@example.com", first_name="Léa", last_name="Martin")


def pos(store):
    return api_client(key=issue_api_key(store=store, name="Caisse", actor="hq").secret)


def step(client, store, fulfilment_id, action, **body):
    response = client.post(
        f"/api/v1/stores/{store.slug}/fulfilments/{fulfilment_id}/{action}/", body, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def collect_at(store, order_number):
    """The store accepts, picks, readies and hands over with the code the customer was sent."""
    till = pos(store)
    [part] = [
        f
        for f in till.get(f"/api/v1/stores/{store.slug}/fulfilments/").json()["results"]
        if f["order"]["number"] == order_number
    ]
    for action in ("accept", "picked", "ready"):
        step(till, store, part["id"], action)
    deliver_due_messages()
    [ready] = [m for m in mail.outbox if "prête" in m.subject and store.name in m.subject]
    code = re.search(r"code de retrait\s: (\d{6})", ready.body).group(1)
    step(till, store, part["id"], "handover", code=code)
    deliver_due_messages()  # the outbox tells Stripe: the store's transfer


def place(customer, lines, *, token="tok_visa"):  # noqa: S107 (a test card token)
    return api_client(user=customer).post(
        "/api/v1/orders/",
        {"customer": {"first_name": "Léa", "last_name": "Martin"}, "lines": lines,
         "payment_token": token},
        format="json",
    )  # fmt: skip


def ledger_balances():
    assert ledger.unbalanced_entries() == []
    assert sum(ledger.trial_balance().values()) == 0


def test_a_three_store_order_is_paid_once_each_store_gets_its_net_and_a_return_reverses_it(
    network, lea, stripe_server
):
    lyon, paris, villeurbanne = network["lyon"], network["paris"], network["villeurbanne"]
    secateur, gloves = network["secateur"], network["gloves"]

    # Given Léa's order of click & collect lines at three stores, paid through Stripe
    response = place(lea, [
        {"sku": secateur.sku, "quantity": 2, "method": "click_collect", "store": lyon.slug},
        {"sku": gloves.sku, "quantity": 1, "method": "click_collect", "store": paris.slug},
        {"sku": secateur.sku, "quantity": 1, "method": "click_collect",
         "store": villeurbanne.slug},
    ])  # fmt: skip
    assert response.status_code == 201, response.json()
    number = response.json()["number"]
    order = Order.objects.get(number=number)
    [intent] = stripe_server.of_type("payment_intent")
    assert (intent["amount"], intent["transfer_group"]) == (3 * 2990 + 1450, number)
    assert order.payments.get().status == Payment.Status.SUCCEEDED
    assert stripe_server.of_type("transfer") == []  # nothing moves before the goods leave

    # When each store hands its part over
    for store in (lyon, paris, villeurbanne):
        collect_at(store, number)

    # Then each store's connected account received its net of this sale, from the one charge
    transfers = stripe_server.of_type("transfer")
    nets = {}
    for split in SaleSplit.objects.filter(order=order):
        nets[split.seller_store_id] = nets.get(split.seller_store_id, 0) + split.net_cents
    accounts = {store.payment_account.reference: store for store in (lyon, paris, villeurbanne)}
    sales = set(
        Transfer.objects.filter(kind=Transfer.Kind.SALE).values_list("reference", flat=True)
    )
    sale_transfers = [t for t in transfers if t["id"] in sales]
    assert {accounts[t["destination"]].pk: t["amount"] for t in sale_transfers} == nets
    assert len(sale_transfers) == 3
    assert all(t["source_transaction"] == intent["latest_charge"] for t in transfers)
    assert {t["transfer_group"] for t in transfers} == {number}
    # ...and what Léa paid is every store's net plus HQ's commission (catchment shares
    # included) and its VAT, to the cent; Stripe's fee is HQ's, out of its commission
    splits = SaleSplit.objects.filter(order=order)
    assert intent["amount"] == sum(s.net_cents + s.commission_cents + s.commission_vat_cents
                                   for s in splits)  # fmt: skip
    assert sum(s.fee_cents for s in splits) == ledger.account_balance_cents(ledger.PROVIDER_FEES)
    assert ledger.account_balance_cents(ledger.PROVIDER_FEES) == stripe_fee(intent["amount"])
    ledger_balances()
    lyon_transfer = next(t for t in sale_transfers if accounts[t["destination"]] == lyon)

    # When Léa brings back one of Lyon's two secateurs to the Paris store, which refunds it
    customer = api_client(user=lea)
    returnable = customer.get("/api/v1/my/returns/returnable/", {"order": number}).json()
    [lyon_line] = [line for line in returnable if line["seller_store"] == lyon.slug]
    started = customer.post(
        "/api/v1/my/returns/",
        {"order": number, "reason": "changed_mind", "method": "in_store", "store": paris.slug,
         "lines": [{"fulfilment_line": lyon_line["fulfilment_line"], "quantity": 1}]},
        format="json",
    )  # fmt: skip
    assert started.status_code == 201, started.json()
    desk, base = pos(paris), f"/api/v1/stores/{paris.slug}/returns/{started.json()['number']}"
    assert desk.post(f"{base}/receive/").status_code == 200
    line = desk.get(f"{base}/").json()["lines"][0]
    inspected = desk.post(
        f"{base}/inspect/",
        {"lines": [{"line": line["id"], "condition": "resalable", "restock": True,
                    "refund_cents": line["max_refund_cents"]}]},
        format="json",
    )  # fmt: skip
    assert inspected.status_code == 200, inspected.json()
    assert desk.post(f"{base}/refund/").status_code == 200
    deliver_due_messages()

    # Then Stripe refunded 29.90 € of the one charge, and took back from Lyon alone its net
    # of one secateur (half its transfer); Paris and Villeurbanne keep theirs
    [refund] = stripe_server.of_type("refund")
    assert refund["amount"] == 2990
    transfers = {t["id"]: t for t in stripe_server.of_type("transfer")}
    lyon_split = SaleSplit.objects.get(order=order, seller_store=lyon)
    reversed_cents = transfers[lyon_transfer["id"]]["amount_reversed"]
    assert reversed_cents == lyon_split.reversals.get().net_cents
    assert abs(2 * reversed_cents - lyon_split.net_cents) <= 1  # one unit of two
    assert all(t["amount_reversed"] == 0 for t in sale_transfers if t["id"] != lyon_transfer["id"])
    ledger_balances()
    report = reconcile_payments()
    assert report.provider_checked
    assert report.differences == [], report.differences


def test_a_replayed_payment_webhook_changes_nothing(client, network, lea, stripe_server):
    lyon, secateur = network["lyon"], network["secateur"]
    response = place(lea, [{"sku": secateur.sku, "quantity": 1, "method": "click_collect",
                            "store": lyon.slug}])  # fmt: skip
    assert response.status_code == 201
    [intent] = stripe_server.of_type("payment_intent")
    event = stripe_server.event("payment_intent.succeeded", intent)
    body, signature = stripe_server.signed_event(event)
    entries_before = JournalEntry.objects.count()

    answers = [
        client.post(WEBHOOK_URL, data=body, content_type="application/json",
                    HTTP_STRIPE_SIGNATURE=signature).json()
        for _ in range(2)
    ]  # fmt: skip
    deliver_due_messages()

    assert [answer["duplicate"] for answer in answers] == [False, True]
    assert JournalEntry.objects.count() == entries_before  # the capture was booked once
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    ledger_balances()


def test_a_declined_card_leaves_no_order_paid(network, lea, stripe_server):
    lyon, secateur = network["lyon"], network["secateur"]

    response = place(lea, [{"sku": secateur.sku, "quantity": 1, "method": "click_collect",
                            "store": lyon.slug}], token="tok_decline")  # fmt: skip

    assert response.status_code == 402
    assert not Order.objects.exclude(status=Order.Status.CANCELLED).exists()
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()
    assert not JournalEntry.objects.exists()
    assert StockLevel.objects.get(store=lyon, variant=secateur).available == 5
