"""Refunding a return: the amount the inspection decided, once, through the order's payment;
the seller store's sale is reversed wherever the goods came back."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from fulfillment.models import Return, ReturnLine
from fulfillment.selectors import return_summary
from fulfillment.services import (
    LineInspection,
    NotThisStoresReturn,
    ReturnRequestLine,
    inspect_return,
    receive_return,
    refund_return,
    request_return,
)
from network_marketplace.models import OutboxMessage, WebhookDelivery
from network_marketplace.outbox import deliver_due_messages
from network_marketplace.webhooks import create_endpoint
from payments.models import Refund
from stores.services import issue_api_key

from .returns_helpers import Sold, all_of, fulfilment_lines, received_order

R = Return.Status
C = ReturnLine.Condition


def inspected(order, store, actor, *, lines=None, refunds=None, condition=C.RESALABLE):
    """A return of `order` received and inspected at `store`; `refunds` maps a line's index
    to its refund in cents (default: the price paid)."""
    made = request_return(
        order=order, lines=lines or all_of(order), reason=Return.Reason.CHANGED_MIND,
        method=Return.Method.IN_STORE, store=store, actor="customer",
    )  # fmt: skip
    receive_return(return_request=made, store=store, actor=actor)
    refunds = refunds or {}
    return inspect_return(
        return_request=made, store=store, actor=actor,
        inspections=[
            LineInspection(line, condition, condition == C.RESALABLE,
                           refunds.get(index, line.max_refund_cents))
            for index, line in enumerate(made.lines.order_by("pk"))
        ],
    )  # fmt: skip


def test_the_customer_is_refunded_what_the_lines_cost(lyon_store, paris_store, paris_owner):
    order = received_order(Sold(lyon_store, quantity=2, unit_price_cents=1500), Sold(lyon_store))
    line = fulfilment_lines(order)[0]
    made = inspected(order, paris_store, paris_owner, lines=[ReturnRequestLine(line, 1)])

    refunded = refund_return(return_request=made, store=paris_store, actor=paris_owner)

    refund = Refund.objects.get(order=order)
    assert (refunded.status, refunded.refunded_cents) == (R.REFUNDED, 1500)
    assert (refund.amount_cents, refund.idempotency_key) == (1500, f"return:{made.pk}")
    assert refunded.refunded_at is not None


def test_a_partial_refund_gives_back_what_the_inspection_decided(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store, unit_price_cents=4000), Sold(lyon_store))
    made = inspected(order, lyon_store, lyon_owner, refunds={0: 2500}, condition=C.DAMAGED)

    refunded = refund_return(return_request=made, store=lyon_store, actor=lyon_owner)

    assert refunded.refunded_cents == 2500 + 2990
    assert Refund.objects.get(order=order).amount_cents == 5490


def test_a_refund_is_made_once(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store))
    made = inspected(order, lyon_store, lyon_owner)

    first = refund_return(return_request=made, store=lyon_store, actor=lyon_owner)
    again = refund_return(return_request=made, store=lyon_store, actor=lyon_owner)

    assert first.refunded_cents == again.refunded_cents == 2990
    assert Refund.objects.filter(order=order).count() == 1
    assert order.payments.get().refunded_cents == 2990


def test_the_whole_order_back_refunds_the_delivery_fee_too(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store, unit_price_cents=2000), shipping_cents=490)
    made = inspected(order, lyon_store, lyon_owner)

    refunded = refund_return(return_request=made, store=lyon_store, actor=lyon_owner)

    assert refunded.refunded_cents == 2490
    assert order.payments.get().refundable_cents == 0


def test_only_the_receiving_store_refunds(lyon_store, paris_store, lyon_owner, paris_owner):
    made = inspected(received_order(Sold(paris_store)), lyon_store, lyon_owner)

    with pytest.raises(NotThisStoresReturn):
        refund_return(return_request=made, store=paris_store, actor=paris_owner)

    assert not Refund.objects.exists()


def test_nothing_to_refund_closes_the_return_and_tells_the_customer(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store))
    made = inspected(order, lyon_store, lyon_owner, refunds={0: 0}, condition=C.DAMAGED)

    closed = refund_return(return_request=made, store=lyon_store, actor=lyon_owner)

    assert (closed.status, closed.refunded_cents) == (R.REFUNDED, 0)
    assert not Refund.objects.exists()
    assert OutboxMessage.objects.filter(dedupe_key=f"email:return-closed:{made.pk}").exists()


def test_an_order_not_paid_online_is_refunded_by_the_store(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store), paid=False)
    made = inspected(order, lyon_store, lyon_owner)

    closed = refund_return(return_request=made, store=lyon_store, actor=lyon_owner)

    assert closed.refunded_cents == 0
    message = OutboxMessage.objects.get(dedupe_key=f"email:return-closed:{made.pk}")
    assert message.payload["context"]["refund_cents"] == 2990


def test_the_sellers_sale_is_reversed_and_both_stores_are_told(
    lyon_store, paris_store, paris_owner
):
    for store in (lyon_store, paris_store):
        create_endpoint(store=store, url=f"https://erp.example.com/{store.slug}",
                        event_types=["return.refunded"], actor="test")  # fmt: skip
    made = inspected(received_order(Sold(lyon_store, unit_price_cents=2000)), paris_store,
                     paris_owner)  # fmt: skip

    refund_return(return_request=made, store=paris_store, actor=paris_owner)

    deliveries = WebhookDelivery.objects.filter(event_type="return.refunded")
    assert sorted(d.endpoint.store.slug for d in deliveries) == ["lyon-presquile",
                                                                 "paris-bastille"]  # fmt: skip
    data = deliveries.first().message.payload["event"]["data"]
    assert data["lines"][0]["seller_store"] == "lyon-presquile"
    assert (data["receiving_store"], data["refunded_cents"]) == ("paris-bastille", 2000)
    assert return_summary(lyon_store)["reversed_cents"] == 2000
    assert return_summary(paris_store)["reversed_cents"] == 0


def test_the_customer_gets_the_refund_email(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store))
    made = inspected(order, lyon_store, lyon_owner)
    refund_return(return_request=made, store=lyon_store, actor=lyon_owner)

    deliver_due_messages()

    subjects = [message.subject for message in mail.outbox]
    assert any("rembours" in subject for subject in subjects)
    assert any(made.number in subject for subject in subjects)


def test_the_desk_refunds_with_one_button(client, lyon_store, lyon_owner):
    made = inspected(received_order(Sold(lyon_store)), lyon_store, lyon_owner)
    client.force_login(lyon_owner)

    response = client.post(
        reverse("backoffice:return-refund", args=[lyon_store.slug, made.number]), follow=True
    )

    assert Return.objects.get(pk=made.pk).status == R.REFUNDED
    assert "remboursé" in response.content.decode()


def test_a_store_key_refunds_through_the_api(lyon_store, lyon_owner):
    made = inspected(received_order(Sold(lyon_store)), lyon_store, lyon_owner)
    secret = issue_api_key(store=lyon_store, name="Caisse", actor=lyon_owner).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    url = f"/api/v1/stores/{lyon_store.slug}/returns/{made.number}/refund/"

    first, again = client.post(url), client.post(url)

    assert first.status_code == again.status_code == 200
    assert (again.json()["status"], again.json()["refunded_cents"]) == ("refunded", 2990)
    assert Refund.objects.count() == 1


@pytest.mark.parametrize("paid", [True, False], ids=["nothing-due", "not-paid-online"])
def test_the_return_closed_email_says_why_no_card_refund(lyon_store, lyon_owner, paid):
    order = received_order(Sold(lyon_store), paid=paid)
    refunds = {0: 0} if paid else None
    made = inspected(order, lyon_store, lyon_owner, refunds=refunds, condition=C.DAMAGED)
    refund_return(return_request=made, store=lyon_store, actor=lyon_owner)

    deliver_due_messages()

    closed = next(message for message in mail.outbox if "clos" in message.subject)
    if paid:
        assert "abîmés après la livraison" in closed.body
    else:
        assert "le magasin vous rembourse directement 29,90" in closed.body
