"""What fulfillment sets off in payments goes through the hooks payments registers at start-up
(fulfillment imports nothing from payments, the app above it)."""

from __future__ import annotations

import pytest

from fulfillment import hooks
from payments import customer_invoice_links, customer_invoices, services


@pytest.mark.parametrize(
    ("hook", "implementation"),
    [
        # The sale booked (postings.record_sale), then invoiced to the customer.
        pytest.param(
            hooks.record_sale, customer_invoices.record_sale_and_invoice, id="sale-booked"
        ),
        pytest.param(hooks.refund_payment, services.refund_payment, id="return-refunded"),
        # The sales reversed (postings.reverse_return_sales), then credited to the customer.
        pytest.param(
            hooks.reverse_return_sales,
            customer_invoices.reverse_return_sales_and_credit,
            id="return-sales-reversed",
        ),
        pytest.param(
            hooks.customer_invoices,
            customer_invoice_links.order_documents,
            id="order-page-invoices",
        ),
    ],
)
def test_payments_registers_what_fulfillment_sets_off_there(hook, implementation):
    assert hook.call is implementation
