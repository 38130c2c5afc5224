"""The checkout page (the customer's details, the promises, the payment) and, once placed, the
confirmation page, where a payment the bank has not confirmed yet can be checked again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import checkout_details
from fulfillment.order_pages import order_parts, visible_order
from orders.hooks import record_marketing_choices
from orders.models import Cart, Order, OrderPolicy
from orders.tracking import grant_following, tracking_path
from payments.providers import DECLINED_TEST_TOKEN, DELAYED_TEST_TOKEN, get_provider
from payments.services import PaymentDeclined, PaymentUnavailable, check_order_payment

from .cart_views import current_cart, customer_place, remember_place
from .forms import CheckoutForm
from .selectors import CartGroup, CartSummary, Promise, cart_summary, promise_for
from .services import (
    CheckoutInvalid,
    CheckoutLine,
    CustomerDetails,
    NoLongerAvailable,
    clear_cart,
    place_order,
)

DECLINE_TEST_CARD = "4000000000000002"
# Stripe's 3-D Secure test card: the payment is confirmed later (webhook, sweeper, or the
# customer's "check again" on the confirmation page).
DELAYED_TEST_CARD = "4000000000003220"


def _groups_with_promises(
    summary: CartSummary, policy: OrderPolicy
) -> list[tuple[CartGroup, Promise]]:
    now = timezone.now()
    return [(group, promise_for(group, policy=policy, now=now)) for group in summary.groups]


def _initial(request: HttpRequest) -> dict:
    """A signed-in customer's details from her account (name, phone, default address); without
    a saved address, the last one she had an order delivered to."""
    user = request.user
    if not user.is_authenticated:
        return {}
    initial = checkout_details(user)
    if "address_line" in initial:
        return initial
    last = Order.objects.filter(customer=user).exclude(address_line="").order_by("-id").first()
    if last is not None:
        initial.update(
            phone=initial.get("phone") or last.phone,
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


def checkout(request: HttpRequest) -> HttpResponse:
    cart = current_cart(request)
    policy = OrderPolicy.current()
    summary = cart_summary(cart, policy=policy, near=customer_place(request))
    if summary.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("checkout:cart")
    if summary.problems:
        messages.error(
            request, _("Some items can't be ordered as they are: change them, then check out.")
        )
        return redirect("checkout:cart")
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
                return redirect("checkout:confirmation", number=outcome.number)
            if outcome == "gone":
                return redirect("checkout:cart")
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


def _place(
    request: HttpRequest, cart: Cart, summary: CartSummary, form: CheckoutForm
) -> Order | str | None:
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
            remember_place(request, data["postal_code"])
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
    record_marketing_choices(
        order=order,
        refuse_store_offers=data["refuse_store_offers"],
        network_offers=data["network_offers"],
        actor=_actor(request),
    )
    clear_cart(cart=cart)
    grant_following(request, order.number)
    return order


def _actor(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else "storefront guest"


def confirmation(request: HttpRequest, number: str) -> HttpResponse:
    """The order placed, or its payment still being confirmed by the bank (3-D Secure)."""
    order = visible_order(request, number, placed_only=False)
    return render(
        request,
        "storefront/order_confirmation.html",
        {"order": order, "parts": order_parts(order), "tracking_path": tracking_path(number)},
    )


@require_POST
def check_payment(request: HttpRequest, number: str) -> HttpResponse:
    """The customer asks whether the bank has confirmed a payment still pending."""
    order = visible_order(request, number, placed_only=False)
    check_order_payment(order=order, actor=_actor(request))
    return redirect("checkout:confirmation", number=number)
