"""The customer's order pages: "my orders", an order to follow (each part, its status and
history, the pickup store's hours), the signed link of the confirmation e-mail, and the guest's
look-up by number and e-mail. Here, above orders, because they show the order's fulfilments;
their URL names stay in the `orders` namespace (fulfillment/order_pages_urls.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.notifications import qr_svg
from orders.attempts import OrderAttemptLimit
from orders.methods import COLLECT_METHODS, FulfilmentMethod
from orders.models import Order
from orders.selectors import pickup_slot_label
from orders.tracking import check_tracking_token, grant_following, may_follow, order_status_text
from stores.opening_hours import describe_status, opening_status, weekly_hours

from . import hooks
from .models import Fulfilment
from .order_selectors import order_for_tracking, orders_of_customer
from .selectors import withdrawable_lines, withdrawals_of_order
from .services import current_pickup_code
from .states import COMPLETED_STATUSES, RETURNABLE_STATUSES
from .tracking import status_text, status_tone, timeline
from .withdrawal import withdrawal_days


class TrackOrderForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Order number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "ARD-0000123", "autocapitalize": "characters"}
        ),
    )
    email = forms.EmailField(label=gettext_lazy("The e-mail address given with the order"))

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()


def visible_order(request: HttpRequest, number: str, *, placed_only: bool = True) -> Order:
    """The order `number` if this visitor may follow it (placed only, unless `placed_only` is
    false: the checkout's confirmation page shows one still awaiting payment), else 404."""
    order = order_for_tracking(number, placed_only=placed_only)
    if order is None or not may_follow(request, order):
        raise Http404
    return order


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    orders = list(orders_of_customer(request.user)[:100])
    return render(
        request,
        "storefront/my_orders.html",
        {
            "orders": [
                {
                    "order": order,
                    "status": order_status_text(order),
                    "parts": [
                        (
                            part,
                            status_text(part),
                            status_tone(part),
                            pickup_slot_label(order, store_id=part.collect_store.pk)
                            if part.method in COLLECT_METHODS
                            else "",
                        )
                        for part in order.fulfilments.all()
                    ],
                }
                for order in orders
            ]
        },
    )


def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = visible_order(request, number)
    # visible_order let this visitor follow the order (its signed-in customer, or the browser
    # the tracking link or the look-up was used in): the pickup code may be shown.
    parts = order_parts(order, with_pickup_code=True)
    add_withdrawal_periods(order, parts)
    # The selling stores' invoices and credit notes to the customer (payments, via its hook).
    invoices = hooks.customer_invoices(order=order)
    for part in parts:
        part["invoices"] = [
            doc for doc in invoices if doc["fulfilment_id"] == part["fulfilment"].pk
        ]
    return render(
        request,
        "storefront/order_tracking.html",
        {
            "order": order,
            "status": order_status_text(order),
            "parts": parts,
            "placed": timeline(order),
            "can_return": any(part["completed"] for part in parts),
            # Click & collect only: the address given at checkout is not a delivery address.
            "ships_home": any(
                line.method == FulfilmentMethod.HOME_DELIVERY for line in order.lines.all()
            ),
            "return_path": reverse("returns:start", args=[number]),
            "withdrawals": withdrawals_of_order(order),
            "withdrawal_days": withdrawal_days(),
        },
    )


def add_withdrawal_periods(order: Order, parts: list[dict]) -> None:
    """Each part's withdrawal period (fulfillment/withdrawal.py) as the order page shows it,
    the lines exempt from it, and whether the withdrawal button is offered (some unit of the
    part may still be withdrawn from)."""
    now = timezone.now()
    lines = withdrawable_lines(order, now=now)
    for part in parts:
        fulfilment = part["fulfilment"]
        own = [line for line in lines if line.fulfilment_line.fulfilment_id == fulfilment.pk]
        period = own[0].period if own else None
        part["withdrawal"] = {
            "period": period,
            "expired": bool(period and period.expired_at(now)),
            "received": fulfilment.status in RETURNABLE_STATUSES,
            "exempt": [line.order_line.product_name for line in own if line.line.exempt],
            "can_withdraw": any(line.quantity for line in own),
            "path": reverse("returns:withdraw", args=[order.number, fulfilment.pk]),
        }


def order_parts(order: Order, *, with_pickup_code: bool = False) -> list[dict]:
    """Each part of an order (a fulfilment) as the tracking and confirmation pages show it: its
    store, status, history, lines, pickup slot and the store's hours; `with_pickup_code`, the
    code and its QR once the part is ready (only for a visitor who may follow the order)."""
    slots = {slot.store_id: slot for slot in order.pickup_slots.all()}
    parts = []
    for part in order.fulfilments.all():
        store = part.collect_store  # a transfer: the customer's store, not the one sending it
        collect = part.method in COLLECT_METHODS
        status = opening_status(store.opening_hours) if collect else None
        code = current_pickup_code(part) if with_pickup_code and collect else None
        parts.append(
            {
                "fulfilment": part,
                "store": store,
                "collect": collect,
                "status_text": status_text(part),
                "tone": status_tone(part),
                "timeline": timeline(order, part),
                "lines": [(line.order_line, line.quantity) for line in part.lines.all()],
                "slot": slots.get(store.pk) if collect else None,
                "hours": weekly_hours(store.opening_hours) if collect else [],
                "open_label": describe_status(status) if status else "",
                "is_open": bool(status and status.is_open),
                "ready": part.status == Fulfilment.Status.READY_FOR_PICKUP,
                "pickup_code": code,
                "pickup_qr": mark_safe(  # noqa: S308 (segno's SVG of six digits)
                    qr_svg(code, title=_("QR code of your pickup code %(code)s") % {"code": code})
                )
                if code
                else "",
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


def track_link(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The signed link of the confirmation e-mail: it lets this browser follow the order."""
    if not check_tracking_token(number, token):
        raise Http404
    get_object_or_404(Order, number=number, placed_at__isnull=False)
    grant_following(request, number)
    return redirect("orders:detail", number=number)


# An order number is printed on receipts and parcels: its e-mail must not be found by trying.
TRACKING_LOOKUP = OrderAttemptLimit(scope="orders-track")


def track(request: HttpRequest) -> HttpResponse:
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
            grant_following(request, order.number)
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
