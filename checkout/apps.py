from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from network_marketplace import retention
from payments import hooks as payments_hooks


class CheckoutConfig(AppConfig):
    """The checkout: cart, placing, confirming and abandoning an order, above orders,
    fulfillment and payments. It has no models (carts and orders are orders')."""

    name = "checkout"
    verbose_name = _("Checkout")

    def ready(self) -> None:
        from .services import delete_stale_guest_carts, finish_order_payment

        # A payment settled later (the provider's webhook, the sweeper, "check again") places
        # or cancels its order.
        payments_hooks.order_payment_settled.register(finish_order_payment)
        # The retention job (compliance) deletes the guest carts past their clock.
        retention.register_purpose("abandoned_carts", lambda now: delete_stale_guest_carts(now=now))
