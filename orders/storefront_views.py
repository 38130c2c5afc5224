"""The customer's side of buying: cart, checkout, confirmation, "my orders" and tracking.

The cart lives in the database; a guest's is found by the token in their session, a signed-in
customer's by their account. The first page a customer sees after logging in joins the guest
cart of the session to theirs (Django keeps the session's data across the log-in).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Variant
from payments.providers import DECLINED_TEST_TOKEN, DELAYED_TEST_TOKEN, get_provider
from payments.services import PaymentDeclined, PaymentUnavailable, check_order_payment
from stores.models import Store
from stores.opening_hours import describe_status, opening_status, weekly_hours
from stores.selectors import NEAR_RADIUS_KM, CustomerLocation, locate

from . import tracking
from .attempts import OrderAttemptLimit
from .models import COLLECT_METHODS, Cart, FulfilmentMethod, Order, OrderPolicy
from .routing import Point
from .selectors import (
    cart_count,
    cart_summary,
    collect_choices,
    customer_cart_count,
    guest_cart_count,
    order_for_tracking,
    orders_of_customer,
    promise_for,
)
from .services import (
    CartInvalid,
    CheckoutInvalid,
    CheckoutLine,
    CustomerDetails,
    NoLongerAvailable,
    add_to_cart,
    clear_cart,
    get_or_create_cart,
    join_guest_cart,
    place_order,
    remove_cart_line,
    update_cart_line,
)
from .storefront_forms import AddToCartForm, CartLineForm, CheckoutForm, TrackOrderForm

logger = logging.getLogger(__name__)

CART_SESSION_KEY = "cart_token"
TRACKED_SESSION_KEY = "tracked_orders"
LOCATION_SESSION_KEY = "storefront_location"  # stores.storefront_views keeps it
DECLINE_TEST_CARD = "4000000000000002"
# Stripe's 3-D Secure test card: the payment is confirmed later (webhook, sweeper, or the
# customer's "check again" on the confirmation page).
DELAYED_TEST_CARD = "4000000000003220"
MAX_TRACKED = 20


# The visitor's cart ------------------------------------------------------------------------


def current_cart(request, *, create: bool = False) -> Cart | None:
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


def current_cart_count(request) -> int:
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


def _customer_place(request) -> Point | None:
    """The customer's remembered place (a postal code, a town or their position), if any."""
    location = CustomerLocation.from_dict(request.session.get(LOCATION_SESSION_KEY) or {})
    return Point(location.latitude, location.longitude) if location else None


def _remember_place(request, postal_code: str) -> None:
    location = locate(postal_code) if postal_code else None
    if location is not None:
        request.session[LOCATION_SESSION_KEY] = location.as_dict()


def _customer_point(request, summary) -> tuple[float, float] | None:
    """Where to look for other pickup stores: the customer's remembered location, else the
    first pickup store of the cart."""
    location = CustomerLocation.from_dict(request.session.get(LOCATION_SESSION_KEY) or {})
    if location is not None:
        return location.latitude, location.longitude
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
        for method, offered, label in (
            (FulfilmentMethod.CLICK_COLLECT, "offers_click_collect", _("Click & collect at %s")),
            (
                FulfilmentMethod.RESERVE_COLLECT,
                "offers_reserve_collect",
                _("Reserve & collect at %s"),
            ),
        ):
            for store in stores:
                value = f"{method}:{store.slug}"
                if value not in seen and (getattr(store, offered) or line.store == store):
                    seen.add(value)
                    values.append((value, label % store.name))
        options[line.pk] = values
    return options


def _line_value(line) -> str:
    if line.store is None:
        return FulfilmentMethod.HOME_DELIVERY.value
    return f"{line.method}:{line.store.slug}"


def cart(request):
    cart = current_cart(request)
    policy = OrderPolicy.current()
    summary = cart_summary(cart, policy=policy, near=_customer_place(request))
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
def cart_add(request):
    form = AddToCartForm(request.POST)
    variant = (
        Variant.objects.select_related("product")
        .filter(sku=str(request.POST.get("variant", ""))[:64])
        .first()
    )
    if variant is None:
        messages.error(request, _("We could not add this item: choose it again."))
        return redirect(_back(request, reverse("orders:cart")))
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
    return redirect("orders:cart")


@require_POST
def cart_line_update(request, line_id: int):
    cart = current_cart(request)
    if cart is None:
        return redirect("orders:cart")
    form = CartLineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("orders:cart")
    method = store = None
    if form.cleaned_data["serve"]:
        method, slug = form.cleaned_data["serve"]
        if slug:
            store = Store.objects.filter(slug=slug).first()
            if store is None:
                messages.error(request, _("Choose the store where you will collect it."))
                return redirect("orders:cart")
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
    return redirect("orders:cart")


@require_POST
def cart_line_remove(request, line_id: int):
    cart = current_cart(request)
    if cart is not None:
        remove_cart_line(cart=cart, line_id=line_id)
        messages.success(request, _("The item was removed from your cart."))
    return redirect("orders:cart")


# Checkout -------------------------------------------------------------------------------------


def _groups_with_promises(summary, policy):
    now = timezone.now()
    return [(group, promise_for(group, policy=policy, now=now)) for group in summary.groups]


def _initial(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    initial = {"email": user.email, "first_name": user.first_name, "last_name": user.last_name}
    last = Order.objects.filter(customer=user).exclude(address_line="").order_by("-id").first()
    if last is not None:
        initial.update(
            phone=last.phone,
            address_line=last.address_line,
            postal_code=last.postal_code,
            city=last.city,
        )
    return initial


def _payment_token(card_number: str) -> str:
    """The test provider's stand-in for the token a provider's card form returns: the decline
    test card gives its declined token, the 3-D Secure one a payment confirmed later, any other
    valid number a token that pays. (A real provider's card fields and tokenisation run in the
    browser, never through this server.)"""
    return {DECLINE_TEST_CARD: DECLINED_TEST_TOKEN, DELAYED_TEST_CARD: DELAYED_TEST_TOKEN}.get(
        card_number, "tok_visa"
    )


def checkout(request):
    cart = current_cart(request)
    policy = OrderPolicy.current()
    summary = cart_summary(cart, policy=policy, near=_customer_place(request))
    if summary.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    if summary.problems:
        messages.error(
            request, _("Some items can't be ordered as they are: change them, then check out.")
        )
        return redirect("orders:cart")
    groups = _groups_with_promises(summary, policy)
    slot_groups = [(group.store, promise.slots) for group, promise in groups if promise.slots]
    form_kwargs = {
        "home_delivery": summary.has_home_delivery,
        "pay_online": summary.pay_online_cents > 0,
        "slot_groups": slot_groups,
    }
    declined = ""
    if request.method == "POST":
        form = CheckoutForm(request.POST, **form_kwargs)
        if form.is_valid():
            outcome = _place(request, cart, summary, form)
            if isinstance(outcome, Order):
                return redirect("orders:confirmation", number=outcome.number)
            if outcome == "gone":
                return redirect("orders:cart")
            if outcome == "declined":
                declined = _(
                    "Your payment was declined: nothing was ordered and nothing was charged. "
                    "Check the card, or use another one."
                )
            if outcome == "unavailable":
                declined = _(
                    "The payment service did not answer: nothing was ordered. Try again in a "
                    "moment."
                )
        # Card details are never sent back to the browser: the customer types them again.
        form.data = form.data.copy()
        for name in ("card_number", "card_expiry", "card_cvc"):
            form.data[name] = ""
    else:
        form = CheckoutForm(initial=_initial(request), **form_kwargs)
    return render(
        request,
        "storefront/checkout.html",
        {
            "cart": summary,
            "groups": groups,
            "form": form,
            "policy": policy,
            "declined": declined,
            "test_payments": get_provider().is_test_mode,
        },
    )


def _place(request, cart, summary, form):
    data = form.cleaned_data
    customer = CustomerDetails(
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        phone=data["phone"],
        address_line=data["address_line"] if summary.has_home_delivery else "",
        postal_code=data["postal_code"] if summary.has_home_delivery else "",
        city=data["city"] if summary.has_home_delivery else "",
        user=request.user if request.user.is_authenticated else None,
        language=get_language() or settings.LANGUAGE_CODE,
    )
    # A line is placed as a transfer only if the page the customer posted promised it so.
    shown = set(request.POST.getlist("transfer_line"))
    lines = [
        CheckoutLine(
            item.line.variant,
            item.line.quantity,
            item.line.method,
            item.line.store,
            transfer_ok=str(item.line.pk) in shown,
        )
        for item in summary.items
    ]
    token = _payment_token(data["card_number"]) if summary.pay_online_cents else ""
    try:
        order = place_order(
            customer=customer,
            lines=lines,
            actor=_actor(request),
            payment_token=token,
            pickup_slots=form.chosen_slots(),
        )
    except CheckoutInvalid as error:
        for name, message in error.facts.items():
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)
        if not error.facts:
            form.add_error(None, error.message)
        return None
    except NoLongerAvailable as error:
        if summary.has_home_delivery:
            # The cart then counts home delivery from this address, as the routing did.
            _remember_place(request, data["postal_code"])
        skus = set(error.facts.get("skus") or ())
        names = [str(item.line.variant) for item in summary.items if item.line.variant.sku in skus]
        if names:
            messages.error(
                request,
                _(
                    "These items can't be served as you chose any more: %(items)s. Nothing was "
                    "ordered."
                )
                % {"items": ", ".join(names)},
            )
        else:
            messages.error(request, error.message)
        messages.info(
            request, _("Your cart is kept: change or remove the items marked below, then retry.")
        )
        return "gone"
    except PaymentDeclined:
        return "declined"
    except PaymentUnavailable:
        return "unavailable"
    clear_cart(cart=cart)
    _grant(request, order.number)
    return order


def _actor(request):
    return request.user if request.user.is_authenticated else "storefront guest"


# Confirmation, my orders, tracking ------------------------------------------------------------


def _grant(request, number: str) -> None:
    """Let this session follow `number` (after placing it, a signed link, or number + e-mail)."""
    tracked = [n for n in request.session.get(TRACKED_SESSION_KEY, []) if n != number]
    request.session[TRACKED_SESSION_KEY] = [number, *tracked][:MAX_TRACKED]


def may_follow(request, order: Order) -> bool:
    """Whether this visitor may follow `order`: its signed-in customer, or a browser that
    placed it, opened its signed link or gave its number and e-mail address."""
    if request.user.is_authenticated and order.customer_id == request.user.pk:
        return True
    return order.number in request.session.get(TRACKED_SESSION_KEY, [])


def _visible_order(request, number: str, *, placed_only: bool = True) -> Order:
    order = order_for_tracking(number, placed_only=placed_only)
    if order is None or not may_follow(request, order):
        raise Http404
    return order


def confirmation(request, number: str):
    """The order placed, or its payment still being confirmed by the bank (3-D Secure)."""
    order = _visible_order(request, number, placed_only=False)
    return render(
        request,
        "storefront/order_confirmation.html",
        {"order": order, "parts": _parts(order), "tracking_path": tracking.tracking_path(number)},
    )


@require_POST
def check_payment(request, number: str):
    """The customer asks whether the bank has confirmed a payment still pending."""
    order = _visible_order(request, number, placed_only=False)
    check_order_payment(order=order, actor=_actor(request))
    return redirect("orders:confirmation", number=number)


@login_required
def my_orders(request):
    orders = list(orders_of_customer(request.user)[:100])
    return render(
        request,
        "storefront/my_orders.html",
        {
            "orders": [
                {
                    "order": order,
                    "status": tracking.order_status_text(order),
                    "parts": [
                        (part, tracking.status_text(part), tracking.status_tone(part))
                        for part in order.fulfilments.all()
                    ],
                }
                for order in orders
            ]
        },
    )


def order_detail(request, number: str):
    order = _visible_order(request, number)
    parts = _parts(order)
    return render(
        request,
        "storefront/order_tracking.html",
        {
            "order": order,
            "status": tracking.order_status_text(order),
            "parts": parts,
            "placed": tracking.timeline(order),
            "can_return": any(part["completed"] for part in parts),
            "return_path": reverse("returns:start", args=[number]),
        },
    )


def _parts(order: Order) -> list[dict]:
    from fulfillment.models import Fulfilment
    from fulfillment.states import COMPLETED_STATUSES

    slots = {slot.store_id: slot for slot in order.pickup_slots.all()}
    parts = []
    for part in order.fulfilments.all():
        store = part.collect_store  # a transfer: the customer's store, not the one sending it
        collect = part.method in COLLECT_METHODS
        status = opening_status(store.opening_hours) if collect else None
        parts.append(
            {
                "fulfilment": part,
                "store": store,
                "collect": collect,
                "status_text": tracking.status_text(part),
                "tone": tracking.status_tone(part),
                "timeline": tracking.timeline(order, part),
                "lines": [(line.order_line, line.quantity) for line in part.lines.all()],
                "slot": slots.get(store.pk) if collect else None,
                "hours": weekly_hours(store.opening_hours) if collect else [],
                "open_label": describe_status(status) if status else "",
                "is_open": bool(status and status.is_open),
                "ready": part.status == Fulfilment.Status.READY_FOR_PICKUP,
                "shipped": part.status == Fulfilment.Status.SHIPPED,
                "transfer": part.is_transfer,
                "in_transit": part.is_transfer
                and part.status
                in {
                    Fulfilment.Status.ACCEPTED,
                    Fulfilment.Status.PICKED,
                    Fulfilment.Status.IN_TRANSIT,
                },
                "completed": part.status in COMPLETED_STATUSES
                and part.method != FulfilmentMethod.RESERVE_COLLECT,
            }
        )
    return parts


def track_link(request, number: str, token: str):
    """The signed link of the confirmation e-mail: it lets this browser follow the order."""
    if not tracking.check_tracking_token(number, token):
        raise Http404
    get_object_or_404(Order, number=number, placed_at__isnull=False)
    _grant(request, number)
    return redirect("orders:detail", number=number)


# An order number is printed on receipts and parcels: its e-mail must not be found by trying.
TRACKING_LOOKUP = OrderAttemptLimit(scope="orders-track")


def track(request):
    """A guest finds their order with its number and the e-mail address given with it."""
    form = TrackOrderForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        key = TRACKING_LOOKUP.key_for_order(number)
        if TRACKING_LOOKUP.exceeded(key):
            form.add_error(None, _("Too many attempts for this order: try again in an hour."))
            return render(request, "storefront/track_order.html", {"form": form}, status=429)
        order = Order.objects.filter(
            number=number, email__iexact=form.cleaned_data["email"], placed_at__isnull=False
        ).first()
        if order is not None:
            _grant(request, order.number)
            return redirect("orders:detail", number=order.number)
        TRACKING_LOOKUP.count_failure(key)
        form.add_error(
            None,
            _(
                "We found no order with this number and e-mail address. Check both, as written "
                "in your confirmation e-mail."
            ),
        )
    if form.errors:
        status = 400
    return render(request, "storefront/track_order.html", {"form": form}, status=status)
