from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from orders import hooks as orders_hooks


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The outbox handlers (refunds, payouts, transfers and their reversals, provider events).
        from . import payouts, postings, provider_events, services  # noqa: F401

        register_orders_hooks()


def register_orders_hooks() -> None:
    """What orders (below payments) asks of payments: the refund of cancelled units."""
    from .services import refund_payment

    orders_hooks.refund_order.register(refund_payment)
