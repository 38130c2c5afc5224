"""Changes to a customer's account. Each takes the actor and leaves an audit row."""

from __future__ import annotations

from django.db import transaction

from network_marketplace.audit import Actor, record_audit_event
from network_marketplace.models import User
from stores.models import Store
from stores.selectors import selling_stores

from .errors import AddressBookFull, StoreNotSelling
from .models import MAX_ADDRESSES, Address, CustomerProfile


def _profile_for_update(user: User) -> CustomerProfile:
    """The customer's profile, made on first use, locked until the transaction ends."""
    CustomerProfile.objects.get_or_create(user=user)
    return CustomerProfile.objects.select_for_update().get(user=user)


def update_profile(
    *, user: User, first_name: str, last_name: str, phone: str, actor: Actor
) -> CustomerProfile:
    """Save the customer's name (on the user) and phone (on her profile)."""
    with transaction.atomic():
        profile = _profile_for_update(user)
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
        profile.phone = phone
        profile.save(update_fields=["phone", "updated_at"])
        record_audit_event(actor=actor, action="account.profile_updated", target=user)
    return profile


def choose_favourite_store(*, user: User, store: Store | None, actor: Actor) -> CustomerProfile:
    """Make `store` the customer's store (None: no favourite). Only a selling store may be."""
    if store is not None and not selling_stores().filter(pk=store.pk).exists():
        raise StoreNotSelling(store=store.slug)
    with transaction.atomic():
        profile = _profile_for_update(user)
        profile.favourite_store = store
        profile.save(update_fields=["favourite_store", "updated_at"])
        record_audit_event(
            actor=actor,
            action="account.favourite_store_chosen",
            target=user,
            data={"store": store.slug if store else None},
        )
    return profile


def save_address(
    *,
    user: User,
    address: Address | None = None,
    label: str,
    address_line: str,
    postal_code: str,
    city: str,
    make_default: bool,
    actor: Actor,
) -> Address:
    """Add an address to the book (`address` None) or change one. The first address is the
    default; `make_default` moves the default to this one. The book holds MAX_ADDRESSES: the
    customer's row is locked so that two tabs adding at once cannot pass it."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        book = Address.objects.filter(user=user)
        if address is None:
            if book.count() >= MAX_ADDRESSES:
                raise AddressBookFull(limit=MAX_ADDRESSES)
            address = Address(user=user)
        make_default = make_default or not book.exclude(pk=address.pk).filter(is_default=True)
        if make_default:
            book.exclude(pk=address.pk).filter(is_default=True).update(is_default=False)
        address.label = label
        address.address_line = address_line
        address.postal_code = postal_code
        address.city = city
        address.is_default = address.is_default or make_default
        address.save()
        record_audit_event(actor=actor, action="account.address_saved", target=address)
    return address


def make_default_address(*, user: User, address: Address, actor: Actor) -> Address:
    """Make `address` the one the checkout fills in."""
    return save_address(
        user=user,
        address=address,
        label=address.label,
        address_line=address.address_line,
        postal_code=address.postal_code,
        city=address.city,
        make_default=True,
        actor=actor,
    )


def delete_address(*, user: User, address: Address, actor: Actor) -> None:
    """Remove `address`; when it was the default, the oldest remaining one becomes it."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        record_audit_event(
            actor=actor, action="account.address_deleted", target=user, data={"id": address.pk}
        )
        was_default = address.is_default
        address.delete()
        if was_default:
            successor = Address.objects.filter(user=user).order_by("created_at", "id").first()
            if successor is not None:
                successor.is_default = True
                successor.save(update_fields=["is_default", "updated_at"])
