from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from stores import hooks as stores_hooks


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from .selectors import transfer_pickup_choices

        # The product page's "have it sent to your store" (orders' store-to-store transfers).
        stores_hooks.transfer_pickup_offer.register(transfer_pickup_choices)
