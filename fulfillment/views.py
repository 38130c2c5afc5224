"""The customer's return pages (/orders/<number>/return/): start a return, see its instructions.

Who may: the signed-in customer who placed the order, or a guest who gives the order's e-mail
(remembered in the session for this order only). Anyone else gets the same e-mail form, and a
wrong e-mail the same answer as an unknown order, so order numbers can't be probed.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network_marketplace.errors import DomainError
from orders.attempts import OrderAttemptLimit
from orders.models import Order
from orders.tracking import may_follow
from stores.selectors import locate, stores_near

from .forms import GuestOrderForm, ReturnRequestForm
from .models import Return
from .selectors import (
    order_for_guest,
    return_warehouse,
    returnable_lines,
    stores_accepting_returns,
)
from .services import cancel_return, request_return

SESSION_KEY = "return_orders"
logger = logging.getLogger(__name__)


def order_if_allowed(request, number: str) -> Order | None:
    """The order `number` if this visitor may act on it as its customer, else None."""
    order = Order.objects.filter(number__iexact=number).exclude(status=Order.Status.PENDING_PAYMENT)
    order = order.first()
    if order is None:
        return None
    user = request.user
    if user.is_authenticated and order.customer_id == user.pk:
        return order
    if order.pk in request.session.get(SESSION_KEY, []):
        return order
    if may_follow(request, order):  # the browser that follows it on its tracking page
        return order
    return None


# An order number is printed on receipts and parcels: its e-mail must not be found by trying.
RETURNS_GATE = OrderAttemptLimit(scope="returns-gate")


def _guest_gate(request, number: str):
    """The e-mail form for a guest (or another account); on success the order is remembered."""
    form = GuestOrderForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        key = RETURNS_GATE.key_for_order(number)
        if RETURNS_GATE.exceeded(key):
            form.add_error(None, _("Too many attempts for this order: try again in an hour."))
            status = 429
        else:
            order = order_for_guest(number=number, email=form.cleaned_data["email"])
            if order is not None:
                remembered = request.session.get(SESSION_KEY, [])[-19:]
                request.session[SESSION_KEY] = [*remembered, order.pk]
                return redirect("returns:start", number=order.number)
            RETURNS_GATE.count_failure(key)
            form.add_error("email", _("No order with this number and e-mail address."))
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "storefront/return_access.html",
        {"number": number, "form": form},
        status=status,
    )


def _nearest_stores(request):
    """The stores that take returns nearest to the postal code or town the customer typed."""
    query = request.GET.get("near", "").strip()[:80]
    location = locate(query) if query else None
    if location is None:
        return query, location, []
    nearest = stores_near(
        latitude=location.latitude,
        longitude=location.longitude,
        radius_km=100,
        limit=10,
        queryset=stores_accepting_returns(),
    )
    return query, location, nearest


def start_return(request, number):
    order = order_if_allowed(request, number)
    if order is None:
        return _guest_gate(request, number)
    returnable = returnable_lines(order)
    near, location, nearest = _nearest_stores(request)
    stores = stores_accepting_returns()
    form = ReturnRequestForm(
        request.POST if request.method == "POST" and "reason" in request.POST else None,
        returnable=returnable,
        stores=stores,
        initial={"store": nearest[0].pk if nearest else None},
    )
    if return_warehouse() is None:
        form.fields["method"].choices = [
            choice for choice in form.fields["method"].choices if choice[0] != Return.Method.POST
        ]
    if nearest:
        # The nearest first (with their distance), then every other store.
        others = [store for store in stores if store.pk not in {s.pk for s in nearest}]
        form.fields["store"].choices = [("", _("Choose a store"))] + [
            (store.pk, ReturnRequestForm.store_label(store)) for store in [*nearest, *others]
        ]
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                created = request_return(
                    order=order,
                    lines=form.request_lines(),
                    reason=form.cleaned_data["reason"],
                    method=form.cleaned_data["method"],
                    store=form.cleaned_data.get("store"),
                    comment=form.cleaned_data["comment"],
                    actor=request.user if request.user.is_authenticated else f"guest:{order.email}",
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect("returns:detail", number=order.number, return_number=created.number)
        status = 400
    return render(
        request,
        "storefront/return_start.html",
        {
            "order": order,
            "form": form,
            "rows": form.line_rows(),
            "any_returnable": any(line.returnable_quantity for line in returnable),
            "near": near,
            "location": location,
            "nearest": nearest,
            "returns": order.returns.order_by("-created_at"),
        },
        status=status,
    )


def return_detail(request, number, return_number):
    order = order_if_allowed(request, number)
    if order is None:
        return redirect("returns:start", number=number)
    return_request = get_object_or_404(
        Return.objects.select_related("store").prefetch_related("lines__order_line"),
        order=order,
        number=return_number.upper(),
    )
    return render(
        request,
        "storefront/return_detail.html",
        {"order": order, "return": return_request},
    )


@require_POST
def cancel(request, number, return_number):
    order = order_if_allowed(request, number)
    if order is None:
        raise Http404
    return_request = get_object_or_404(Return, order=order, number=return_number.upper())
    try:
        cancel_return(
            return_request=return_request,
            actor=request.user if request.user.is_authenticated else f"guest:{order.email}",
            reason=_("Cancelled by the customer."),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your return %(number)s is cancelled.") % {"number": return_request.number}
        )
    return redirect("returns:detail", number=order.number, return_number=return_request.number)
