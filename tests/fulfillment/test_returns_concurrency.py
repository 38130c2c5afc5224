"""Two returns of the same units at the same time: the order row lock lets exactly one through."""

import threading

import pytest
from django.db import connection

from fulfillment.models import Return, ReturnLine
from fulfillment.services import ReturnInvalid, ReturnRequestLine, request_return

from .returns_helpers import Sold, fulfilment_lines, received_order


@pytest.mark.django_db(transaction=True)
def test_the_last_unit_is_returned_once_under_concurrent_requests(lyon_store, paris_store):
    order = received_order(Sold(lyon_store, quantity=1), paid=False)
    line = fulfilment_lines(order)[0]
    barrier = threading.Barrier(2)
    outcomes = []

    def ask(store):
        try:
            barrier.wait(timeout=10)
            request_return(
                order=order, lines=[ReturnRequestLine(line, 1)], store=store,
                reason=Return.Reason.CHANGED_MIND, method=Return.Method.IN_STORE,
                actor="customer",
            )  # fmt: skip
            outcomes.append("made")
        except ReturnInvalid:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(store,)) for store in (lyon_store, paris_store)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["made", "refused"]
    assert ReturnLine.objects.filter(fulfilment_line=line).count() == 1
