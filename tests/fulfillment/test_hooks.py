"""What fulfillment sets off in payments goes through the hooks payments registers at start-up
(fulfillment imports nothing from payments, the app above it)."""

from __future__ import annotations

import pytest

from fulfillment import hooks
from payments import postings, services


@pytest.mark.parametrize(
    ("hook", "implementation"),
    [
        pytest.param(hooks.record_sale, postings.record_sale, id="sale-booked"),
        pytest.param(hooks.refund_payment, services.refund_payment, id="return-refunded"),
        pytest.param(
            hooks.reverse_return_sales, postings.reverse_return_sales, id="return-sales-reversed"
        ),
    ],
)
def test_payments_registers_what_fulfillment_sets_off_there(hook, implementation):
    assert hook.call is implementation
