"""A customer's account beyond the sign-in: how to reach her, where to deliver, her store.

The sign-in itself (e-mail addresses, password, sessions, second factor) is allauth's; the name
is on the user (`network_marketplace.User`). What the checkout and the storefront reuse lives
here: the phone, the address book with its one default address, and her favourite store.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Enough for home, work and family; more is a sign of misuse, not of a real customer.
MAX_ADDRESSES = 10


class CustomerProfile(models.Model):
    """One per customer who saved anything on her account page (made on first save)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="customer_profile",
        verbose_name=_("user"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    favourite_store = models.ForeignKey(
        "stores.Store",
        verbose_name=_("favourite store"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self) -> str:
        return str(self.user)


class Address(models.Model):
    """A delivery address of the customer's address book; the default one fills the checkout."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("user"),
    )
    label = models.CharField(_("name of the address"), max_length=60, blank=True)
    address_line = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("town"), max_length=100)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "created_at", "id"]
        constraints = [
            # At most one default per customer, whatever two requests do at the same time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="address_one_default_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address_line}, {self.postal_code} {self.city}"
