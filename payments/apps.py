from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fulfillment import hooks as fulfillment_hooks


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The outbox handlers (refunds, payouts, transfers and their reversals, provider events).
        from . import payouts, postings, provider_events, services  # noqa: F401

        # What fulfillment sets off here: the sale booked, a return refunded and reversed.
        fulfillment_hooks.record_sale.register(postings.record_sale)
        fulfillment_hooks.refund_payment.register(services.refund_payment)
        fulfillment_hooks.reverse_return_sales.register(postings.reverse_return_sales)
