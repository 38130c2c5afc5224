from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fulfillment import hooks as fulfillment_hooks
from orders import hooks as orders_hooks


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The outbox handlers (refunds, payouts, transfers and their reversals, provider events,
        # e-invoices to the platform).
        from . import (  # noqa: F401
            customer_invoice_links,
            customer_invoices,
            payouts,
            postings,
            provider_events,
            services,
        )
        from .einvoicing import transmission  # noqa: F401

        # What the apps below ask of payments (docs/architecture.md, "Calls up the layers"):
        # the refund of cancelled units; the sale booked, a return refunded and reversed.
        orders_hooks.refund_order.register(services.refund_payment)
        # The sale booked is invoiced to the customer by the selling store, and a refund of
        # returned units credited (payments/customer_invoices.py).
        fulfillment_hooks.record_sale.register(customer_invoices.record_sale_and_invoice)
        fulfillment_hooks.refund_payment.register(services.refund_payment)
        fulfillment_hooks.reverse_return_sales.register(
            customer_invoices.reverse_return_sales_and_credit
        )
        fulfillment_hooks.customer_invoices.register(customer_invoice_links.order_documents)
        # Money between stores: a return taken back elsewhere, a transfer that ended.
        fulfillment_hooks.settle_return.register(postings.settle_return)
        fulfillment_hooks.settle_transfer.register(postings.settle_transfer)
