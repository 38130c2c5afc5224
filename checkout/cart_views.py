"""The customer's cart pages: see it, add to it, change how a line is served, remove a line.

The cart lives in the database; a guest's is found by the token in their session, a signed-in
customer's by their account. The first page a customer sees after logging in joins the guest
cart of the session to theirs (Django keeps the session's data across the log-in).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import favourite_store_of
from catalog.models import Variant
from orders.models import COLLECT_METHODS, Cart, FulfilmentMethod, OrderPolicy
from orders.routing import Point
from orders.selectors import collect_choices
from stores.models import Store
from stores.remembered_place import remember_location, remembered_location
from stores.selectors import NEAR_RADIUS_KM, locate

from .forms import AddToCartForm, CartLineForm
from .selectors import cart_count, cart_summary, customer_cart_count, guest_cart_count
from .services import (
    CartInvalid,
    add_to_cart,
    get_or_create_cart,
    join_guest_cart,
    remove_cart_line,
    update_cart_line,
)

CART_SESSION_KEY = "cart_token"


def current_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The visitor's cart (None when they have none and `create` is False). A guest cart left in
    the session of a customer who just logged in joins their account's cart here."""
    if hasattr(request, "_storefront_cart") and (request._storefront_cart or not create):
        return request._storefront_cart
    token = request.session.get(CART_SESSION_KEY)
    user = request.user
    cart = None
    if user.is_authenticated:
        if token:
            guest = Cart.objects.filter(token=token, customer__isnull=True).first()
            del request.session[CART_SESSION_KEY]
            if guest is not None:
                cart = join_guest_cart(guest=guest, user=user)
        if cart is None:
            cart = Cart.objects.filter(customer=user).first()
        if cart is None and create:
            cart = get_or_create_cart(user=user)
    else:
        if token:
            cart = Cart.objects.filter(token=token, customer__isnull=True).first()
        if cart is None and create:
            cart = get_or_create_cart()
            request.session[CART_SESSION_KEY] = str(cart.token)
    request._storefront_cart = cart
    return cart


def current_cart_count(request: HttpRequest) -> int:
    """Units in the visitor's cart for the header: no query for a visitor who never filled a
    cart, one for a signed-in customer (joining a guest cart left in the session first)."""
    if hasattr(request, "_storefront_cart"):
        cart = request._storefront_cart
        return cart_count(cart.pk if cart else None)
    token = request.session.get(CART_SESSION_KEY)
    if request.user.is_authenticated:
        if token:
            current_cart(request)
        return customer_cart_count(request.user)
    return guest_cart_count(token) if token else 0


def customer_place(request: HttpRequest) -> Point | None:
    """The customer's remembered place (a postal code, a town or their position), else her
    favourite store's, if any."""
    location = remembered_location(request)
    if location is not None:
        return Point(location.latitude, location.longitude)
    if not hasattr(request, "_favourite_store"):
        request._favourite_store = favourite_store_of(request.user)
    store = request._favourite_store
    return Point(float(store.latitude), float(store.longitude)) if store else None


def remember_place(request: HttpRequest, postal_code: str) -> None:
    location = locate(postal_code) if postal_code else None
    if location is not None:
        remember_location(request, location)


def _customer_point(request, summary) -> tuple[float, float] | None:
    """Where to look for other pickup stores: the customer's remembered location or favourite
    store, else the first pickup store of the cart."""
    place = customer_place(request)
    if place is not None:
        return place.latitude, place.longitude
    for item in summary.items:
        if item.store is not None:
            return float(item.store.latitude), float(item.store.longitude)
    return None


def _serve_options(summary, point) -> dict[int, list[tuple[str, str]]]:
    """For each line: the ways it may be served instead, as (value, label) for its <select>."""
    choices = {}
    if point is not None and summary.items:
        choices = collect_choices(
            variant_ids={item.line.variant_id for item in summary.items},
            latitude=point[0],
            longitude=point[1],
            radius_km=NEAR_RADIUS_KM,
        )
    options = {}
    for item in summary.items:
        line = item.line
        values = [(FulfilmentMethod.HOME_DELIVERY.value, _("Home delivery"))]
        seen = {FulfilmentMethod.HOME_DELIVERY.value}
        stores = [choice.store for choice in choices.get(line.variant_id, [])]
        if line.store is not None and line.store.pk not in {s.pk for s in stores}:
            stores.insert(0, line.store)
        for method, label in (
            (FulfilmentMethod.CLICK_COLLECT, _("Click & collect at %s")),
            (FulfilmentMethod.RESERVE_COLLECT, _("Reserve & collect at %s")),
        ):
            for store in stores:
                value = f"{method}:{store.slug}"
                if value not in seen and (store.offers(method) or line.store == store):
                    seen.add(value)
                    values.append((value, label % store.name))
        options[line.pk] = values
    return options


def _line_value(line) -> str:
    if line.store is None:
        return FulfilmentMethod.HOME_DELIVERY.value
    return f"{line.method}:{line.store.slug}"


def cart(request: HttpRequest) -> HttpResponse:
    cart = current_cart(request)
    policy = OrderPolicy.current()
    summary = cart_summary(cart, policy=policy, near=customer_place(request))
    options = _serve_options(summary, _customer_point(request, summary))
    groups = [
        (
            group,
            [
                {
                    "item": item,
                    "options": options.get(item.line.pk, []),
                    "current": _line_value(item.line),
                }
                for item in group.items
            ],
        )
        for group in summary.groups
    ]
    return render(
        request,
        "storefront/cart.html",
        {"cart": summary, "groups": groups, "policy": policy},
    )


def _back(request, fallback: str) -> str:
    """Where to go back to after a refused addition: the page it came from, on this site only."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and target.startswith("/"):
        return target
    return fallback


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    variant = (
        Variant.objects.select_related("product")
        .filter(sku=str(request.POST.get("variant", ""))[:64])
        .first()
    )
    if variant is None:
        messages.error(request, _("We could not add this item: choose it again."))
        return redirect(_back(request, reverse("checkout:cart")))
    product_url = reverse("catalogue:product", args=[variant.product.slug])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, product_url))
    method = form.cleaned_data["method"]
    store = None
    if method in COLLECT_METHODS:
        store = Store.objects.filter(slug=form.cleaned_data["store"]).first()
        if store is None:
            messages.error(request, _("Choose the store where you will collect it."))
            return redirect(_back(request, product_url))
    cart = current_cart(request, create=True)
    try:
        add_to_cart(
            cart=cart,
            variant=variant,
            quantity=form.cleaned_data["quantity"],
            method=method,
            store=store,
        )
    except CartInvalid as error:
        messages.error(request, error.message)
        return redirect(_back(request, product_url))
    messages.success(
        request,
        _("%(product)s is in your cart (%(how)s).")
        % {
            "product": variant,
            "how": FulfilmentMethod(method).label.lower()
            if store is None
            else _("%(method)s at %(store)s")
            % {"method": FulfilmentMethod(method).label.lower(), "store": store.name},
        },
    )
    return redirect("checkout:cart")


@require_POST
def cart_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = current_cart(request)
    if cart is None:
        return redirect("checkout:cart")
    form = CartLineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("checkout:cart")
    method = store = None
    if form.cleaned_data["serve"]:
        method, slug = form.cleaned_data["serve"]
        if slug:
            store = Store.objects.filter(slug=slug).first()
            if store is None:
                messages.error(request, _("Choose the store where you will collect it."))
                return redirect("checkout:cart")
    try:
        update_cart_line(
            cart=cart,
            line_id=line_id,
            quantity=form.cleaned_data["quantity"],
            method=method,
            store=store,
        )
    except CartInvalid as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your cart is up to date."))
    return redirect("checkout:cart")


@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = current_cart(request)
    if cart is not None:
        remove_cart_line(cart=cart, line_id=line_id)
        messages.success(request, _("The item was removed from your cart."))
    return redirect("checkout:cart")
