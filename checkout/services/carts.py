"""The customer's cart: what they mean to buy, how each line is served, kept in the database
(a guest's by the token in their session, a customer's with their account).

A cart holds no stock: what it shows is re-checked on every view (checkout.selectors) and once
more by place_order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Variant
from orders.models import COLLECT_METHODS, MAX_LINE_QUANTITY, Cart, CartLine, FulfilmentMethod
from orders.selectors import home_delivery_available, transfer_source_units
from stores.models import Store
from stores.selectors import available_to_reserve

from ..errors import CartInvalid


def get_or_create_cart(*, user: Any = None, token: str | None = None) -> Cart:
    """The signed-in customer's cart (made on first use), else the guest cart of `token`, else a
    new guest cart."""
    if getattr(user, "is_authenticated", False):
        cart, _created = Cart.objects.get_or_create(customer=user)
        return cart
    if token:
        cart = Cart.objects.filter(token=token, customer__isnull=True).first()
        if cart is not None:
            return cart
    return Cart.objects.create()


def _check_cart_line(variant: Variant, method: str, store: Store | None) -> None:
    if method not in FulfilmentMethod.values:
        raise CartInvalid(_("Choose how you want to get this item."), method=_("Unknown choice."))
    if not variant.is_active or variant.product.status != "published":
        raise CartInvalid(_("This item is no longer sold."), variant=variant.sku)
    if method == FulfilmentMethod.HOME_DELIVERY:
        return
    if store is None:
        raise CartInvalid(_("Choose the store where you will collect it."), store=_("Required."))
    if store.status != Store.Status.ACTIVE or store.kind == Store.Kind.WAREHOUSE:
        raise CartInvalid(_("%(store)s is not open for orders.") % {"store": store.name})
    if not store.offers(method):
        raise CartInvalid(
            _("%(store)s does not offer %(method)s.")
            % {"store": store.name, "method": FulfilmentMethod(method).label.lower()},
            store=_("Not offered by this store."),
        )


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise CartInvalid(
            _("Choose a quantity between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY},
            quantity=_("Between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY},
        )


def _check_stock(variant: Variant, method: str, store: Store | None, quantity: int) -> None:
    if method == FulfilmentMethod.HOME_DELIVERY:
        available = home_delivery_available([variant.pk]).get(variant.pk, 0)
        where = _("for home delivery")
    else:
        available = available_to_reserve([(store.pk, variant.pk)])[(store.pk, variant.pk)]
        where = _("at %(store)s") % {"store": store.name}
        if (
            available < quantity
            and transfer_source_units(variant_id=variant.pk, pickup_store=store) >= quantity
        ):
            return  # another location sends it to the store: the cart shows the longer promise
    if available < quantity:
        if available == 0:
            message = _("%(product)s is not available %(where)s right now.")
        else:
            message = ngettext(
                "Only %(available)s of %(product)s available %(where)s.",
                "Only %(available)s of %(product)s available %(where)s.",
                available,
            )
        raise CartInvalid(
            message % {"product": variant, "available": available, "where": where},
            quantity=_("At most %(available)s.") % {"available": available},
            available=available,
        )


def add_to_cart(
    *, cart: Cart, variant: Variant, quantity: int, method: str, store: Store | None = None
) -> CartLine:
    """Add `quantity` of `variant`, served by `method` (at `store` for a collect method); the
    same item served the same way raises the existing line's quantity. Raises CartInvalid when
    the store does not offer the method or has not that many available and no other location
    may send them there (a store-to-store transfer, with its longer promise in the cart)."""
    store = store if method in COLLECT_METHODS else None
    _check_cart_line(variant, method, store)
    _check_quantity(quantity)
    with transaction.atomic():
        Cart.objects.select_for_update().filter(pk=cart.pk).first()
        line = CartLine.objects.filter(
            cart=cart, variant=variant, method=method, store=store
        ).first()
        total = quantity + (line.quantity if line else 0)
        _check_quantity(total)
        _check_stock(variant, method, store, total)
        if line is None:
            line = CartLine.objects.create(
                cart=cart, variant=variant, quantity=quantity, method=method, store=store
            )
        else:
            line.quantity = total
            line.save(update_fields=["quantity", "updated_at"])
        cart.save(update_fields=["updated_at"])
    return line


def update_cart_line(
    *,
    cart: Cart,
    line_id: int,
    quantity: int,
    method: str | None = None,
    store: Store | None = None,
) -> CartLine:
    """Change a line's quantity and, when given, how it is served. Moving it onto another line
    of the same item served the same way merges the two. Raises CartInvalid."""
    with transaction.atomic():
        line = (
            CartLine.objects.select_for_update(of=("self",))
            .select_related("variant__product", "store")
            .filter(cart=cart, pk=line_id)
            .first()
        )
        if line is None:
            raise CartInvalid(_("This line is no longer in your cart."))
        method = method or line.method
        store = (store if store is not None else line.store) if method in COLLECT_METHODS else None
        _check_cart_line(line.variant, method, store)
        _check_quantity(quantity)
        twin = (
            CartLine.objects.filter(cart=cart, variant=line.variant, method=method, store=store)
            .exclude(pk=line.pk)
            .first()
        )
        if twin is not None:
            quantity += twin.quantity
            _check_quantity(quantity)
        _check_stock(line.variant, method, store, quantity)
        if twin is not None:
            twin.delete()
        line.quantity, line.method, line.store = quantity, method, store
        line.save(update_fields=["quantity", "method", "store", "updated_at"])
        cart.save(update_fields=["updated_at"])
    return line


def remove_cart_line(*, cart: Cart, line_id: int) -> None:
    """Remove a line; removing one that is already gone is not an error."""
    CartLine.objects.filter(cart=cart, pk=line_id).delete()
    cart.save(update_fields=["updated_at"])


def merge_carts(*, source: Cart, target: Cart) -> Cart:
    """Move a guest cart's lines into the customer's cart at log-in, then delete it. The same
    item served the same way adds up (at most MAX_LINE_QUANTITY); stock is checked on display."""
    if source.pk == target.pk:
        return target
    with transaction.atomic():
        carts = list(Cart.objects.select_for_update().filter(pk__in=[source.pk, target.pk]))
        if len(carts) < 2:
            return target
        existing = {
            (line.variant_id, line.method, line.store_id): line for line in target.lines.all()
        }
        for line in source.lines.all():
            twin = existing.get((line.variant_id, line.method, line.store_id))
            if twin is None:
                line.cart = target
                line.save(update_fields=["cart", "updated_at"])
            else:
                twin.quantity = min(MAX_LINE_QUANTITY, twin.quantity + line.quantity)
                twin.save(update_fields=["quantity", "updated_at"])
        source.delete()
        target.save(update_fields=["updated_at"])
    return target


def join_guest_cart(*, guest: Cart, user: Any) -> Cart:
    """At log-in: the guest cart becomes the customer's cart, or joins the one they have."""
    with transaction.atomic():
        cart = Cart.objects.select_for_update().filter(customer=user).first()
        if cart is None:
            updated = Cart.objects.filter(pk=guest.pk, customer__isnull=True).update(
                customer=user, updated_at=timezone.now()
            )
            if updated:
                guest.refresh_from_db()
                return guest
            cart, _created = Cart.objects.get_or_create(customer=user)
        return merge_carts(source=guest, target=cart)


def delete_stale_guest_carts(*, now: datetime | None = None) -> int:
    """Delete the guest carts untouched for GDPR_RETENTION_DAYS["abandoned_carts"] days (a
    customer's cart stays with their account); the retention job runs it. Uses the
    cart_updated_idx index. Returns how many carts went."""
    days = settings.GDPR_RETENTION_DAYS["abandoned_carts"]
    cutoff = (now or timezone.now()) - timedelta(days=days)
    stale = Cart.objects.filter(customer__isnull=True, updated_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True)[:5000])  # a bounded batch per run
    _total, by_model = Cart.objects.filter(pk__in=ids).delete()
    return by_model.get(Cart._meta.label, 0)


def clear_cart(*, cart: Cart) -> None:
    """Empty the cart once its order is placed (the cart itself stays with the customer)."""
    CartLine.objects.filter(cart=cart).delete()
