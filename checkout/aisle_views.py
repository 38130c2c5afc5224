"""Endless aisle (/store/<slug>/endless-aisle/): store staff order, for a walk-in customer, an
item that another store or the warehouse has. A checkout for a customer in the store: here,
above fulfillment and payments.

The order goes through the one checkout path, `checkout.services.place_order`, with the
endless-aisle channel and the store that placed it; the customer pays at the till, so the
payment token says so. The routing engine decides which location serves it, and may refuse.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalog.models import Variant
from catalog.selectors import clean_search_text
from fulfillment.selectors import endless_aisle_variants, variant_network_stock
from network_marketplace.errors import DomainError
from orders.models import MAX_LINE_QUANTITY, FulfilmentMethod, Order, OrderPolicy
from orders.pricing import LineRequest
from orders.routing import Point
from orders.selectors import routing_log_rows
from orders.services import routing_policy
from stores.backoffice import backoffice_store

from .selectors import preview_checkout
from .services import (
    CheckoutInvalid,
    CheckoutLine,
    CustomerDetails,
    NoLongerAvailable,
    place_order,
)

# The dummy provider takes any token; in production the till's payment reference goes here.
TILL_PAYMENT = "till:{store}"


class AisleOrderForm(forms.Form):
    """An order for a walk-in customer (endless aisle): how they get it and who they are."""

    HOME = "home_delivery"
    COLLECT_HERE = "click_collect"

    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY, initial=1
    )
    method = forms.ChoiceField(
        label=gettext_lazy("How does the customer get it?"),
        choices=[
            (HOME, gettext_lazy("Home delivery to the customer's address")),
            (COLLECT_HERE, gettext_lazy("Click & collect here, in our store")),
        ],
        widget=forms.RadioSelect,
        initial=HOME,
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        help_text=gettext_lazy("The customer receives the confirmation and follow-up."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    address_line = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    postal_code = forms.CharField(label=gettext_lazy("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("method") == self.HOME:
            for name in ("address_line", "postal_code", "city"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("Required for home delivery."))
        return cleaned


@backoffice_store
def endless_aisle(request, store):
    """Search the catalogue and see, per variant, where the network has it."""
    query = clean_search_text(request.GET.get("q", ""))
    rows = endless_aisle_variants(query=query, store=store) if query else []
    return render(
        request,
        "backoffice/endless_aisle.html",
        {"store": store, "query": query, "rows": rows},
    )


def _customer(form: AisleOrderForm) -> CustomerDetails:
    data = form.cleaned_data
    home = data["method"] == FulfilmentMethod.HOME_DELIVERY
    return CustomerDetails(
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        phone=data.get("phone", ""),
        address_line=data.get("address_line", "") if home else "",
        postal_code=data.get("postal_code", "") if home else "",
        city=data.get("city", "") if home else "",
        language=(get_language() or "fr")[:2],
    )


def _collect_here(store, variant, quantity: int) -> tuple[bool, str]:
    """Whether the routing engine would serve `quantity` units for click & collect here, as
    place_order requires (from this store's own stock, or sent here by another store: then
    the promise to tell the customer): asked before the staff chooses."""
    if not (store.offers(FulfilmentMethod.CLICK_COLLECT) and store.status == store.Status.ACTIVE):
        return False, ""
    preview = preview_checkout(
        lines=[LineRequest(variant, quantity, FulfilmentMethod.CLICK_COLLECT, store)],
        point=Point(float(store.latitude), float(store.longitude)),
    )
    return preview.available, preview.lines[0].transfer_message or ""


@backoffice_store
def aisle_order(request, store, variant_id):
    """One variant: where it is available, and the form that orders it for the customer."""
    variant = get_object_or_404(
        Variant.objects.select_related("product").filter(is_active=True), pk=variant_id
    )
    form = AisleOrderForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            method = form.cleaned_data["method"]
            line = CheckoutLine(
                variant=variant,
                quantity=form.cleaned_data["quantity"],
                method=method,
                store=store if method == FulfilmentMethod.CLICK_COLLECT else None,
            )
            try:
                order = place_order(
                    customer=_customer(form),
                    lines=[line],
                    actor=request.user,
                    channel=Order.Channel.ENDLESS_AISLE,
                    placed_by_store=store,
                    payment_token=TILL_PAYMENT.format(store=store.slug),
                )
            except CheckoutInvalid as invalid:
                for name, message in invalid.facts.items():
                    form.add_error(name if name in form.fields else None, message)
                status = 400
            except NoLongerAvailable as refused:
                if method == FulfilmentMethod.CLICK_COLLECT:
                    form.add_error(
                        None,
                        _(
                            "Click & collect here isn't possible for this item: the routing "
                            "engine can't serve it to your store. Choose home delivery. "
                            "(%(reason)s)"
                        )
                        % {"reason": refused.message},
                    )
                else:
                    form.add_error(None, refused.message)
                status = 409
            except DomainError as refused:
                form.add_error(None, refused.message)
                status = refused.http_status
            else:
                messages.success(
                    request,
                    _("Order %(number)s placed for %(name)s, paid at the till.")
                    % {"number": order.number, "name": order.first_name},
                )
                return redirect("backoffice:aisle-result", slug=store.slug, order_id=order.pk)
        else:
            status = 400
    policy = OrderPolicy.current()
    quantity = form.cleaned_data.get("quantity", 1) if form.is_bound and form.is_valid() else 1
    collect_here, collect_transfer = _collect_here(store, variant, quantity)
    return render(
        request,
        "backoffice/aisle_order.html",
        {
            "store": store,
            "variant": variant,
            "stock": variant_network_stock(
                variant=variant, store=store, radius_km=routing_policy(policy).max_distance_km
            ),
            "form": form,
            "policy": policy,
            "collect_here": collect_here,
            "collect_transfer": collect_transfer,
        },
        status=status,
    )


@backoffice_store
def aisle_result(request, store, order_id):
    """An order this store placed for a customer: where each line goes, and why."""
    order = (
        Order.objects.filter(placed_by_store=store, pk=order_id)
        .prefetch_related("lines", "fulfilments__store", "fulfilments__lines__order_line")
        .first()
    )
    if order is None:
        raise Http404
    return render(
        request,
        "backoffice/aisle_result.html",
        {"store": store, "order": order, "routing": routing_log_rows(order)},
    )
