"""The withdrawal (issue 13, acceptance 2 and 6): a withdrawal is recorded with its time, lines
and channel, acknowledged by an e-mail with a PDF giving the date and time, and opens the
return with "withdrawal" as its reason; refused with a clear error and nothing changed after
the deadline, on an exempt product, on reserve & collect, or twice for the same units; a
refund late against the 14-day rule is flagged to HQ and to the store."""

import threading
from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from pypdf import PdfReader

from catalog.models import WithdrawalExemption
from fulfillment.models import Return, ReturnLine, Withdrawal
from fulfillment.selectors import late_refunds, withdrawable_lines
from fulfillment.services import (
    LineInspection,
    ReturnRequestLine,
    WithdrawalRefused,
    inspect_return,
    receive_return,
    refund_return,
    withdraw,
)
from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import deliver_due_messages
from orders.models import FulfilmentMethod
from tests.fulfillment.returns_helpers import Sold, fulfilment_lines, received_order

PARIS = ZoneInfo("Europe/Paris")
M = FulfilmentMethod


def withdraw_all(order, store, **kwargs):
    return withdraw(
        order=order,
        lines=[ReturnRequestLine(line, line.quantity) for line in fulfilment_lines(order)],
        method=Return.Method.IN_STORE,
        store=store,
        actor=f"guest:{order.email}",
        **kwargs,
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_a_withdrawal_is_recorded_acknowledged_with_a_pdf_and_opens_the_return(
    lyon_store, paris_store
):
    order = received_order(Sold(lyon_store, quantity=2), Sold(paris_store, method=M.CLICK_COLLECT))
    at = datetime(2026, 6, 10, 14, 3, 27, tzinfo=PARIS)
    lyon_line = fulfilment_lines(order)[0]

    with time_machine.travel(at, tick=False):
        made = withdraw(
            order=order, lines=[ReturnRequestLine(lyon_line, 1)], method=Return.Method.IN_STORE,
            store=paris_store, reason="Trop grand", actor=f"guest:{order.email}",
        )  # fmt: skip

    assert made.declared_at == at
    assert made.channel == Withdrawal.Channel.WEB
    assert made.refund_due_at.astimezone(PARIS).date().isoformat() == "2026-06-24"
    assert [(line.fulfilment_line, line.quantity) for line in made.lines.all()] == [(lyon_line, 1)]
    returned = made.return_request
    assert (returned.reason, returned.store, returned.status) == (
        Return.Reason.WITHDRAWAL, paris_store, Return.Status.REQUESTED,
    )  # fmt: skip
    assert [(line.fulfilment_line, line.quantity) for line in returned.lines.all()] == [
        (lyon_line, 1)
    ]

    deliver_due_messages()
    (ack,) = [m for m in mail.outbox if made.reference in m.subject]
    assert ack.to == [order.email]
    ((name, content, mimetype),) = ack.attachments
    assert (name, mimetype) == (f"retractation-{made.reference}.pdf", "application/pdf")
    text = pdf_text(content)
    assert "10/06/2026" in text
    assert "14:03:27" in text
    assert made.reference in text
    assert lyon_line.order_line.sku in text
    assert returned.number in text
    assert "24/06/2026" in text  # the refund's due date
    # The return's own instructions follow, as for any return
    assert any(returned.number in m.subject for m in mail.outbox)


def test_an_exempt_product_is_refused_and_nothing_changes(lyon_store):
    order = received_order(Sold(lyon_store))
    product = fulfilment_lines(order)[0].order_line.variant.product
    product.withdrawal_exempt = True
    product.withdrawal_exemption = WithdrawalExemption.PERISHABLE
    product.save()
    messages_before = OutboxMessage.objects.count()

    with pytest.raises(WithdrawalRefused) as refused:
        withdraw_all(order, lyon_store)

    assert "Aucun droit de rétractation" in refused.value.message
    assert "se périmer rapidement" in refused.value.message
    assert not Withdrawal.objects.exists()
    assert not Return.objects.exists()
    assert OutboxMessage.objects.count() == messages_before


def test_the_same_units_cannot_be_withdrawn_twice(lyon_store):
    order = received_order(Sold(lyon_store, quantity=2))
    line = fulfilment_lines(order)[0]
    withdraw(order=order, lines=[ReturnRequestLine(line, 2)], method=Return.Method.IN_STORE,
             store=lyon_store, actor="customer")  # fmt: skip
    # Even once the return is cancelled, the withdrawn units stay withdrawn
    Return.objects.filter(order=order).update(status=Return.Status.CANCELLED)

    with pytest.raises(WithdrawalRefused, match=r"Déjà rétracté|Already withdrawn"):
        withdraw(order=order, lines=[ReturnRequestLine(line, 1)], method=Return.Method.IN_STORE,
                 store=lyon_store, actor="customer")  # fmt: skip

    assert Withdrawal.objects.count() == 1
    assert ReturnLine.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_once_take_the_units_once(lyon_store):
    order = received_order(Sold(lyon_store, quantity=1))
    line = fulfilment_lines(order)[0]
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            withdraw(order=order, lines=[ReturnRequestLine(line, 1)],
                     method=Return.Method.IN_STORE, store=lyon_store, actor="customer")  # fmt: skip
            outcomes.append("made")
        except WithdrawalRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["made", "refused"]
    assert Withdrawal.objects.count() == 1
    assert ReturnLine.objects.get().quantity == 1


def test_a_refund_late_against_the_14_days_is_flagged(client, lyon_store, lyon_owner, hq_admin):
    order = received_order(Sold(lyon_store, quantity=1))
    made = withdraw_all(order, lyon_store)
    receive_return(return_request=made.return_request, store=lyon_store, actor=lyon_owner)
    due = made.refund_due_at

    assert list(late_refunds(now=due)) == []
    assert list(late_refunds(now=due + timedelta(minutes=1))) == [made]
    assert list(late_refunds(now=due + timedelta(minutes=1), store=lyon_store)) == [made]

    with time_machine.travel(due + timedelta(days=1), tick=False):
        client.force_login(lyon_owner)
        desk = client.get(f"/store/{lyon_store.slug}/returns/?view=received").content.decode()
        client.force_login(hq_admin)
        admin_list = client.get("/admin/fulfillment/withdrawal/?refund=late").content.decode()
    assert 'data-testid="refund-late"' in desk
    assert 'data-testid="late-refunds"' in desk
    assert made.reference in admin_list
    assert "En retard" in admin_list

    # Refunded: no longer late, but HQ sees it was refunded late
    inspected = inspect_return(
        return_request=made.return_request, store=lyon_store, actor=lyon_owner,
        inspections=[LineInspection(line, ReturnLine.Condition.RESALABLE, True, line.quantity
                                    * line.order_line.unit_price_cents)
                     for line in made.return_request.lines.all()],
    )  # fmt: skip
    with time_machine.travel(due + timedelta(days=2), tick=False):
        refund_return(return_request=inspected, store=lyon_store, actor=lyon_owner)
        assert list(late_refunds()) == []
        admin_list = client.get("/admin/fulfillment/withdrawal/?refund=refunded_late").content
    assert made.reference in admin_list.decode()


def test_the_order_page_shows_each_parts_deadline_and_the_button(client, lyon_store, customer):
    order = received_order(
        Sold(lyon_store, method=M.CLICK_COLLECT),
        Sold(lyon_store, method=M.RESERVE_COLLECT),
        customer=customer,
    )
    client.force_login(customer)

    page = client.get(f"/orders/{order.number}/").content.decode()

    assert page.count('data-testid="withdrawal-period"') == 2
    assert "Vous pouvez vous rétracter jusqu\u2019au" in page
    assert "pas une vente à distance" in page
    assert page.count('data-testid="withdraw-button"') == 1
    assert withdrawable_lines(order)[0].quantity == 1


def test_the_confirmation_refuses_bad_input_with_400_and_changes_nothing(
    client, lyon_store, customer
):
    order = received_order(Sold(lyon_store, quantity=2), customer=customer)
    part = order.fulfilments.get()
    line = fulfilment_lines(order)[0]
    client.force_login(customer)
    url = f"/orders/{order.number}/withdraw/{part.pk}/"

    too_many = client.post(url, {f"qty_{line.pk}": "3", "method": "in_store",
                                 "store": lyon_store.pk})  # fmt: skip
    none = client.post(url, {f"qty_{line.pk}": "0", "method": "in_store", "store": lyon_store.pk})
    no_store = client.post(url, {f"qty_{line.pk}": "1", "method": "in_store"})

    assert (too_many.status_code, none.status_code, no_store.status_code) == (400, 400, 400)
    assert not Withdrawal.objects.exists()
    assert not Return.objects.exists()
