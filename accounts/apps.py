from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from stores import hooks as stores_hooks


class AccountsConfig(AppConfig):
    """The customer's account: profile, address book, favourite store, and the account pages
    that frame allauth's own (e-mail, password, sessions)."""

    name = "accounts"
    verbose_name = _("Customer accounts")

    def ready(self) -> None:
        from .selectors import favourite_store_of

        # The storefront starts "near me" from the customer's store and lists it first.
        stores_hooks.customer_store.register(favourite_store_of)
