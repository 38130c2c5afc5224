"""What the account pages, the checkout and the storefront read of a customer's account."""

from __future__ import annotations

from django.db.models import QuerySet

from network_marketplace.models import User
from stores.models import Store

from .models import Address, CustomerProfile


def profile_of(user: User) -> CustomerProfile | None:
    """The customer's profile, or None before she saved anything on her account page."""
    if not user.is_authenticated:
        return None
    return CustomerProfile.objects.select_related("favourite_store").filter(user=user).first()


def address_book(user: User) -> QuerySet[Address]:
    """Her addresses, the default first."""
    return Address.objects.filter(user=user)


def default_address(user: User) -> Address | None:
    return address_book(user).filter(is_default=True).first()


def favourite_store_of(user: User) -> Store | None:
    """Her store, while it still sells (a closed store stops being anyone's default)."""
    if not user.is_authenticated:
        return None
    return (
        Store.objects.selling()
        .filter(pk__in=CustomerProfile.objects.filter(user=user).values("favourite_store"))
        .first()
    )


def checkout_details(user: User) -> dict[str, str]:
    """What the checkout form starts with for a signed-in customer: her name and e-mail, her
    phone, and her default address (empty strings where she saved none)."""
    details = {"email": user.email, "first_name": user.first_name, "last_name": user.last_name}
    profile = profile_of(user)
    if profile is not None and profile.phone:
        details["phone"] = profile.phone
    address = default_address(user)
    if address is not None:
        details.update(
            address_line=address.address_line, postal_code=address.postal_code, city=address.city
        )
    return details
