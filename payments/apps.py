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
        from . import payouts, postings, provider_events, services  # noqa: F401
        from .einvoicing import transmission  # noqa: F401

        # What the apps below ask of payments (docs/architecture.md, "Calls up the layers"):
        # the refund of cancelled units; the sale booked, a return refunded and reversed.
        orders_hooks.refund_order.register(services.refund_payment)
        fulfillment_hooks.record_sale.register(postings.record_sale)
        fulfillment_hooks.refund_payment.register(services.refund_payment)
        fulfillment_hooks.reverse_return_sales.register(postings.reverse_return_sales)
