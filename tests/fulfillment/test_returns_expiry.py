"""A return announced online but never brought back is cancelled after 30 days by a beat job:
its units no longer count as being returned, and the customer is told once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fulfillment import tasks
from fulfillment.models import Return
from fulfillment.selectors import returnable_lines
from fulfillment.services import RETURN_BRING_BACK_DAYS, receive_return
from network_marketplace.models import OutboxMessage

from .returns_helpers import Sold, received_order
from .test_returns_services import start


def started_days_ago(days: float, store) -> Return:
    order = received_order(Sold(store), received_days_ago=1)
    started = start(order, store)
    Return.objects.filter(pk=started.pk).update(created_at=timezone.now() - timedelta(days=days))
    return started


def test_a_return_never_brought_back_is_cancelled_and_the_customer_told_once(lyon_store):
    forgotten = started_days_ago(RETURN_BRING_BACK_DAYS + 1, lyon_store)
    recent = started_days_ago(RETURN_BRING_BACK_DAYS - 1, lyon_store)

    assert tasks.expire_unreturned_returns() == 1
    assert tasks.expire_unreturned_returns() == 0  # a second run finds nothing to do

    forgotten.refresh_from_db()
    recent.refresh_from_db()
    assert (forgotten.status, recent.status) == (Return.Status.CANCELLED, Return.Status.REQUESTED)
    assert forgotten.events.last().reason == "Non rapporté sous 30 jours."
    mails = OutboxMessage.objects.filter(payload__template="return_expired")
    assert [mail.payload["context"]["number"] for mail in mails] == [forgotten.number]
    # Its units may be returned again (the order was received yesterday: still within 14 days).
    [line] = returnable_lines(forgotten.order)
    assert line.returnable_quantity == line.received_quantity


def test_a_return_the_desk_already_received_is_left_alone(lyon_store, lyon_owner):
    received = started_days_ago(RETURN_BRING_BACK_DAYS + 5, lyon_store)
    receive_return(return_request=received, store=lyon_store, actor=lyon_owner)

    assert tasks.expire_unreturned_returns() == 0
    received.refresh_from_db()
    assert received.status == Return.Status.RECEIVED
