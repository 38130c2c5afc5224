"""Returns: the withdrawal period, what may be returned, receiving, inspecting and restocking."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from fulfillment.models import Fulfilment, FulfilmentLine, Return, ReturnEvent, ReturnLine
from fulfillment.selectors import returnable_lines, withdrawal_deadline
from fulfillment.services import (
    LineInspection,
    NotThisStoresReturn,
    ReturnInvalid,
    ReturnRequestLine,
    cancel_return,
    inspect_return,
    mark_delivered,
    receive_return,
    request_return,
)
from network_marketplace.errors import DomainError, IllegalTransition
from network_marketplace.models import OutboxMessage, WebhookDelivery
from network_marketplace.webhooks import create_endpoint
from stores.models import StockLevel, StockMovement, Store
from tests.factories import StoreFactory

from .conftest import make_fulfilment
from .returns_helpers import M, Sold, all_of, fulfilment_lines, received_order

R = Return.Status
C = ReturnLine.Condition


# A day whose 14-day periods end on working days (no weekend or holiday extension).
A_WEDNESDAY = datetime(2026, 6, 17, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


def start(order, store, *, lines=None, method=Return.Method.IN_STORE, actor="customer"):
    return request_return(
        order=order, lines=lines or all_of(order), reason=Return.Reason.CHANGED_MIND,
        method=method, store=store, actor=actor,
    )  # fmt: skip


def inspect_all(return_request, store, actor, *, condition=C.RESALABLE, restock=True, refund=None):
    return inspect_return(
        return_request=return_request, store=store, actor=actor,
        inspections=[
            LineInspection(line, condition, restock,
                           line.max_refund_cents if refund is None else refund)
            for line in return_request.lines.all()
        ],
    )  # fmt: skip


# Starting a return -------------------------------------------------------------------------


def test_an_order_delivered_from_lyon_can_be_returned_to_paris(lyon_store, paris_store):
    order = received_order(Sold(lyon_store, quantity=2, unit_price_cents=1500))

    started = start(order, paris_store)

    assert (started.status, started.store, started.method) == (R.REQUESTED, paris_store, "in_store")
    line = started.lines.get()
    assert (line.seller_store, line.quantity, line.refund_cents) == (lyon_store, 2, 3000)
    assert started.number.startswith("R-")
    assert len(started.number) == 10
    assert ReturnEvent.objects.filter(return_request=started, to_status=R.REQUESTED).exists()
    email = OutboxMessage.objects.get(dedupe_key=f"email:return-requested:{started.pk}")
    assert email.payload["to"] == ["lea@example.com"]
    assert email.payload["context"]["store_name"] == paris_store.name


def test_the_return_e_mail_carries_its_qr_code_as_an_inline_attachment(
    lyon_store, paris_store, settings
):
    from django.core import mail

    from network_marketplace.notifications import qr_png
    from network_marketplace.outbox import deliver_due_messages

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    started = start(received_order(Sold(lyon_store)), paris_store)

    deliver_due_messages()

    (email,) = [sent for sent in mail.outbox if started.number in sent.subject]
    html = next(content for content, mimetype in email.alternatives if mimetype == "text/html")
    (image,) = email.attachments
    # Mail clients block data: URIs; an inline part named by Content-ID shows everywhere.
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert "data:image" not in html
    assert image.get_payload(decode=True) == qr_png(started.number)


def test_a_return_by_post_goes_to_the_warehouse(lyon_store):
    warehouse = StoreFactory(kind=Store.Kind.WAREHOUSE, name="Entrepôt central")
    order = received_order(Sold(lyon_store))

    started = start(order, None, method=Return.Method.POST)

    assert started.store == warehouse


def test_no_post_return_without_a_warehouse_taking_returns(lyon_store):
    StoreFactory(kind=Store.Kind.WAREHOUSE, accepts_returns=False)
    order = received_order(Sold(lyon_store))

    with pytest.raises(ReturnInvalid) as refused:
        start(order, None, method=Return.Method.POST)

    assert "method" in refused.value.facts


@pytest.mark.parametrize(
    "store_fields",
    [{"accepts_returns": False}, {"status": Store.Status.SUSPENDED}],
    ids=["no-returns", "suspended"],
)
def test_a_store_that_does_not_take_returns_cannot_be_chosen(lyon_store, store_fields):
    elsewhere = StoreFactory(**store_fields)
    order = received_order(Sold(lyon_store))

    with pytest.raises(ReturnInvalid) as refused:
        start(order, elsewhere)

    assert "store" in refused.value.facts


@pytest.mark.parametrize(
    ("method", "days_ago", "delivered", "returnable"),
    [
        (M.CLICK_COLLECT, 13, True, True),
        (M.CLICK_COLLECT, 14, True, True),  # the 14th day is still in the period
        (M.CLICK_COLLECT, 15, True, False),
        (M.HOME_DELIVERY, 14, True, True),
        (M.HOME_DELIVERY, 15, True, False),
        # No delivery scan: counted from shipping + 3 days.
        (M.HOME_DELIVERY, 16, False, True),
        (M.HOME_DELIVERY, 18, False, False),
    ],
    ids=["collected-13d", "collected-14d", "collected-15d", "delivered-14d", "delivered-15d",
         "shipped-16d-no-scan", "shipped-18d-no-scan"],
)  # fmt: skip
@time_machine.travel(A_WEDNESDAY, tick=False)
def test_the_withdrawal_period_is_14_days_from_receipt(
    lyon_store, method, days_ago, delivered, returnable
):
    order = received_order(
        Sold(lyon_store, method=method), received_days_ago=days_ago, delivered=delivered
    )

    line = returnable_lines(order)[0]

    assert (line.returnable_quantity == 1) is returnable
    if not returnable:
        with pytest.raises(ReturnInvalid, match="14"):
            start(order, lyon_store)


@time_machine.travel(A_WEDNESDAY, tick=False)
def test_the_period_ends_at_the_end_of_the_14th_day(lyon_store):
    order = received_order(Sold(lyon_store, method=M.CLICK_COLLECT))
    fulfilment = order.fulfilments.get()

    deadline = timezone.localtime(withdrawal_deadline(fulfilment))

    assert deadline.date() == timezone.localtime(fulfilment.closed_at).date() + timedelta(days=14)
    assert (deadline.hour, deadline.minute) == (23, 59)


def test_reserve_and_collect_purchases_are_not_returnable_online(lyon_store):
    order = received_order(Sold(lyon_store, method=M.RESERVE_COLLECT))

    line = returnable_lines(order)[0]

    assert line.returnable_quantity == 0
    assert "not a distance sale" in line.refusal or "vente à distance" in line.refusal
    with pytest.raises(ReturnInvalid):
        start(order, lyon_store)


def test_goods_not_received_yet_cannot_be_returned(lyon_store):
    fulfilment = make_fulfilment(store=lyon_store, method=M.HOME_DELIVERY)

    assert returnable_lines(fulfilment.order)[0].returnable_quantity == 0


def test_a_part_rejected_and_rerouted_is_not_offered(lyon_store, paris_store):
    order = received_order(Sold(paris_store))
    rejected = Fulfilment.objects.create(
        order=order, store=lyon_store, method=M.HOME_DELIVERY, status=Fulfilment.Status.REJECTED
    )
    line = fulfilment_lines(order)[0]
    FulfilmentLine.objects.create(fulfilment=rejected, order_line=line.order_line, quantity=1)

    lines = returnable_lines(order)

    assert [(each.seller_store, each.returnable_quantity) for each in lines] == [(paris_store, 1)]


def test_no_more_than_received_minus_what_is_already_returning(lyon_store, paris_store):
    order = received_order(Sold(lyon_store, quantity=3))
    line = fulfilment_lines(order)[0]
    first = start(order, lyon_store, lines=[ReturnRequestLine(line, 2)])

    with pytest.raises(ReturnInvalid) as refused:
        start(order, paris_store, lines=[ReturnRequestLine(line, 2)])
    assert refused.value.facts["returnable"] == 1

    second = start(order, paris_store, lines=[ReturnRequestLine(line, 1)])
    assert second.lines.get().quantity == 1
    assert returnable_lines(order)[0].returnable_quantity == 0

    cancel_return(return_request=first, actor="customer")
    assert returnable_lines(order)[0].returnable_quantity == 2


def test_a_line_named_twice_adds_up(lyon_store):
    order = received_order(Sold(lyon_store, quantity=2))
    line = fulfilment_lines(order)[0]

    made = start(order, lyon_store, lines=[ReturnRequestLine(line, 1), ReturnRequestLine(line, 1)])

    assert made.lines.get().quantity == 2
    with pytest.raises(ReturnInvalid):
        start(order, lyon_store, lines=[ReturnRequestLine(line, 1), ReturnRequestLine(line, 1)])


def test_more_than_received_is_refused(lyon_store):
    order = received_order(Sold(lyon_store, quantity=1))

    with pytest.raises(ReturnInvalid):
        start(order, lyon_store, lines=[ReturnRequestLine(fulfilment_lines(order)[0], 2)])


def test_a_line_of_another_order_is_refused(lyon_store):
    order, other = received_order(Sold(lyon_store)), received_order(Sold(lyon_store))

    with pytest.raises(ReturnInvalid):
        start(order, lyon_store, lines=all_of(other))


def test_a_return_needs_lines_a_reason_and_a_store(lyon_store):
    order = received_order(Sold(lyon_store))

    with pytest.raises(ReturnInvalid) as refused:
        request_return(order=order, lines=[], reason="", method="in_store", actor="customer")

    assert set(refused.value.facts) == {"reason", "store", "lines"}


# Receiving, inspecting, restocking ----------------------------------------------------------


def test_the_receiving_store_restocks_into_its_own_stock(lyon_store, paris_store, paris_owner):
    order = received_order(Sold(lyon_store, quantity=2))
    started = start(order, paris_store)
    variant = started.lines.get().order_line.variant

    receive_return(return_request=started, store=paris_store, actor=paris_owner)
    inspected = inspect_all(started, paris_store, paris_owner)

    assert inspected.status == R.INSPECTED
    assert StockLevel.objects.get(store=paris_store, variant=variant).on_hand == 2
    assert not StockLevel.objects.filter(store=lyon_store, variant=variant).exists()
    movement = StockMovement.objects.get(store=paris_store, variant=variant)
    assert (movement.reason, movement.delta, movement.reference, movement.actor_label) == (
        StockMovement.Reason.RETURN, 2, started.number, paris_owner.email,
    )  # fmt: skip
    assert started.lines.get().restocked_quantity == 2


def test_damaged_goods_are_not_restocked(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store, quantity=1, unit_price_cents=4000))
    started = start(order, lyon_store)
    receive_return(return_request=started, store=lyon_store, actor=lyon_owner)

    inspect_all(started, lyon_store, lyon_owner, condition=C.DAMAGED, restock=False, refund=1000)

    line = started.lines.get()
    assert (line.condition, line.restocked_quantity, line.refund_cents) == (C.DAMAGED, 0, 1000)
    assert not StockMovement.objects.filter(reference=started.number).exists()


def test_damaged_goods_cannot_be_put_back_in_stock(lyon_store, lyon_owner):
    started = start(received_order(Sold(lyon_store)), lyon_store)
    receive_return(return_request=started, store=lyon_store, actor=lyon_owner)

    with pytest.raises(ReturnInvalid):
        inspect_all(started, lyon_store, lyon_owner, condition=C.DAMAGED, restock=True)

    assert Return.objects.get(pk=started.pk).status == R.RECEIVED


@pytest.mark.parametrize("refund", [-1, 2991], ids=["negative", "above-price-paid"])
def test_a_line_refund_stays_between_zero_and_the_price_paid(lyon_store, lyon_owner, refund):
    started = start(received_order(Sold(lyon_store, unit_price_cents=2990)), lyon_store)
    receive_return(return_request=started, store=lyon_store, actor=lyon_owner)

    with pytest.raises(ReturnInvalid):
        inspect_all(started, lyon_store, lyon_owner, refund=refund)

    assert not StockMovement.objects.filter(reference=started.number).exists()


def test_every_line_must_be_inspected(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store), Sold(lyon_store))
    started = start(order, lyon_store)
    receive_return(return_request=started, store=lyon_store, actor=lyon_owner)
    first = started.lines.first()

    with pytest.raises(ReturnInvalid):
        inspect_return(
            return_request=started, store=lyon_store, actor=lyon_owner,
            inspections=[LineInspection(first, C.RESALABLE, True, 100)],
        )  # fmt: skip


def test_a_customer_may_walk_into_another_store_than_chosen(lyon_store, paris_store, paris_owner):
    started = start(received_order(Sold(lyon_store)), lyon_store)

    received = receive_return(return_request=started, store=paris_store, actor=paris_owner)

    assert (received.status, received.store) == (R.RECEIVED, paris_store)
    assert received.received_at is not None


def test_receiving_twice_is_harmless_but_another_store_cannot(lyon_store, paris_store, lyon_owner):
    started = start(received_order(Sold(lyon_store)), lyon_store)
    receive_return(return_request=started, store=lyon_store, actor=lyon_owner)

    again = receive_return(return_request=started, store=lyon_store, actor=lyon_owner)

    assert again.status == R.RECEIVED
    assert ReturnEvent.objects.filter(return_request=started, to_status=R.RECEIVED).count() == 1
    with pytest.raises(NotThisStoresReturn):
        receive_return(return_request=started, store=paris_store, actor="paris")


def test_only_the_receiving_store_inspects(lyon_store, paris_store, lyon_owner, paris_owner):
    started = start(received_order(Sold(paris_store)), lyon_store)
    receive_return(return_request=started, store=lyon_store, actor=lyon_owner)

    with pytest.raises(NotThisStoresReturn):
        inspect_all(started, paris_store, paris_owner)


def test_the_delivery_fee_is_refunded_when_the_whole_order_comes_back(lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store, quantity=2), shipping_cents=490)
    line = fulfilment_lines(order)[0]
    first = start(order, lyon_store, lines=[ReturnRequestLine(line, 1)])
    receive_return(return_request=first, store=lyon_store, actor=lyon_owner)
    assert inspect_all(first, lyon_store, lyon_owner).shipping_refund_cents == 0

    last = start(order, lyon_store, lines=[ReturnRequestLine(line, 1)])
    receive_return(return_request=last, store=lyon_store, actor=lyon_owner)
    last = inspect_all(last, lyon_store, lyon_owner)

    assert last.shipping_refund_cents == 490
    assert last.refund_total_cents == 2990 + 490


# Lifecycle --------------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["inspect", "refund"])
def test_steps_out_of_order_are_illegal_transitions(lyon_store, lyon_owner, step):
    from fulfillment.services import refund_return

    started = start(received_order(Sold(lyon_store)), lyon_store)
    act = {
        "inspect": lambda: inspect_all(started, lyon_store, lyon_owner),
        "refund": lambda: refund_return(return_request=started, store=lyon_store, actor=lyon_owner),
    }[step]

    with pytest.raises(IllegalTransition) as refused:
        act()

    assert refused.value.facts["current"] == R.REQUESTED


def test_a_received_return_can_no_longer_be_cancelled(lyon_store, lyon_owner):
    started = start(received_order(Sold(lyon_store)), lyon_store)
    receive_return(return_request=started, store=lyon_store, actor=lyon_owner)

    with pytest.raises(IllegalTransition):
        cancel_return(return_request=started, actor="customer")


def test_a_cancelled_return_cannot_be_received(lyon_store, lyon_owner):
    started = start(received_order(Sold(lyon_store)), lyon_store)
    cancel_return(return_request=started, actor="customer")

    with pytest.raises(IllegalTransition):
        receive_return(return_request=started, store=lyon_store, actor=lyon_owner)


# Webhooks ---------------------------------------------------------------------------------


def test_return_events_go_to_the_seller_and_the_receiving_store(lyon_store, paris_store):
    for store in (lyon_store, paris_store):
        create_endpoint(store=store, url="https://erp.example.com/hook", event_types=["*"],
                        actor="test")  # fmt: skip
    other = StoreFactory()
    create_endpoint(store=other, url="https://erp.example.com/other", event_types=["*"],
                    actor="test")  # fmt: skip
    create_endpoint(store=None, url="https://bi.example.com/hq", event_types=["*"], actor="test")
    started = start(received_order(Sold(lyon_store)), paris_store)

    deliveries = WebhookDelivery.objects.filter(event_type="return.created")

    assert sorted(d.endpoint.store.slug if d.endpoint.store else "HQ" for d in deliveries) == [
        "HQ", lyon_store.slug, paris_store.slug,
    ]  # fmt: skip
    payload = OutboxMessage.objects.filter(kind="webhook").last().payload["event"]["data"]
    assert payload["return"] == started.number
    assert payload["lines"][0]["seller_store"] == lyon_store.slug
    assert payload["receiving_store"] == paris_store.slug


# Delivery ---------------------------------------------------------------------------------


@time_machine.travel(A_WEDNESDAY, tick=False)
def test_a_carrier_marks_a_parcel_delivered(lyon_store):
    fulfilment = make_fulfilment(
        store=lyon_store, method=M.HOME_DELIVERY, status=Fulfilment.Status.SHIPPED,
        closed_at=timezone.now() - timedelta(days=2),
    )  # fmt: skip
    create_endpoint(store=lyon_store, url="https://erp.example.com/hook", event_types=["*"],
                    actor="test")  # fmt: skip
    at = timezone.now() - timedelta(days=1)

    delivered = mark_delivered(fulfilment=fulfilment, actor="carrier", delivered_at=at)

    assert (delivered.status, delivered.delivered_at) == (Fulfilment.Status.DELIVERED, at)
    assert WebhookDelivery.objects.filter(event_type="fulfillment.delivered").count() == 1
    assert timezone.localtime(withdrawal_deadline(delivered)).date() == (
        timezone.localtime(at).date() + timedelta(days=14)
    )


@pytest.mark.parametrize("when", ["future", "before-shipping"])
def test_a_delivery_time_must_make_sense(lyon_store, when):
    shipped_at = timezone.now() - timedelta(days=2)
    fulfilment = make_fulfilment(
        store=lyon_store, method=M.HOME_DELIVERY, status=Fulfilment.Status.SHIPPED,
        closed_at=shipped_at,
    )  # fmt: skip
    at = timezone.now() + timedelta(days=1) if when == "future" else shipped_at - timedelta(hours=1)

    with pytest.raises(DomainError):
        mark_delivered(fulfilment=fulfilment, actor="carrier", delivered_at=at)


def test_a_click_and_collect_order_is_never_delivered(click_collect):
    with pytest.raises(IllegalTransition):
        mark_delivered(fulfilment=click_collect, actor="carrier")
