"""The back-office's Marketing pages: cart and orders (relative to /store/<slug>/).

The cart shows each line with the store's and HQ's shares, the budget left after, and why it
can't be placed (over budget, a line no longer valid); the orders list filters by state; an
order's page shows its lines, proofs, states, tracking, and lets the store confirm receipt or
cancel before production. Only the store's owners and managers (and HQ) change anything; every
order is looked up within the store (another store's is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network_marketplace.errors import DomainError
from stores.backoffice import backoffice_store, may_manage
from stores.models import Store

from ..models import MarketingItem, MarketingOrder, MarketingOrderLine, Proof
from ..services import orders as order_service
from ..services.approval import review_reason_labels
from ..services.budgets import budget_for
from ..services.orders import CartLineRefused
from ..services.supplier import print_file_bytes, print_file_name

MO = MarketingOrder.Status
PAGE_SIZE = 25
OPEN_STATES = (MO.PLACED, MO.IN_REVIEW, MO.APPROVED, MO.IN_PRODUCTION, MO.SHIPPED)


def store_orders(store: Store) -> QuerySet[MarketingOrder]:
    """The tenancy rule for marketing orders: the store's placed orders (not carts)."""
    return MarketingOrder.objects.filter(store=store).exclude(status=MO.CART)


def _must_manage(request: HttpRequest) -> None:
    if not may_manage(request):
        raise PermissionDenied


def _error_text(exc: DomainError) -> str:
    fields = exc.facts.get("fields") or {}
    details = [str(m) for msgs in fields.values() for m in msgs]
    return " ".join([exc.message, *details]) if details else exc.message


def _back(request: HttpRequest, store: Store) -> HttpResponse:
    """Back where the line was asked (`next`, else the page that posted: the item page), where
    the message says what to change; the cart otherwise."""
    target = request.POST.get("next", "") or request.headers.get("Referer", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("backoffice:marketing-cart", slug=store.slug)


def _int(value: object) -> int:
    """A posted id or quantity, 0 when it is not a number (nothing matches it)."""
    try:
        return int(str(value or ""))
    except ValueError:
        return 0


# The cart


@backoffice_store
def cart(request: HttpRequest, store: Store) -> HttpResponse:
    order = MarketingOrder.objects.filter(store=store, status=MO.CART, is_cart=True).first()
    preview = order_service.preview_order(order) if order else None
    return render(
        request,
        "marketing_hub/order_cart.html",
        {
            "store": store,
            "order": order,
            "preview": preview,
            "budget": preview.budget if preview else budget_for(store=store),
            "may_manage": may_manage(request),
        },
    )


@backoffice_store
@require_POST
def cart_add(request: HttpRequest, store: Store) -> HttpResponse:
    """Add a line (item, quantity, proof, option_<name>) to the cart: M1's item page posts
    here. A bad line changes nothing and says why."""
    _must_manage(request)
    item = MarketingItem.objects.filter(pk=_int(request.POST.get("item"))).first()
    if item is None:
        messages.error(request, _("Choose an item of the catalogue."))
        return _back(request, store)
    proof = None
    if request.POST.get("proof"):
        # Only the store's own proofs: another store's proof is "not found", not a leak.
        proof = Proof.objects.filter(pk=_int(request.POST.get("proof")), store=store).first()
        if proof is None:
            messages.error(request, _("This proof is not one of your store's."))
            return _back(request, store)
    quantity = _int(request.POST.get("quantity"))
    options = {
        key.removeprefix("option_"): str(value)
        for key, value in request.POST.items()
        if key.startswith("option_")
    }
    try:
        order_service.add_to_cart(
            store=store,
            item=item,
            quantity=quantity,
            proof=proof,
            options=options,
            actor=request.user,
        )
    except CartLineRefused as exc:
        messages.error(request, _error_text(exc))
        return _back(request, store)
    messages.success(request, _("%(item)s is in your cart.") % {"item": item.name})
    return redirect("backoffice:marketing-cart", slug=store.slug)


@backoffice_store
@require_POST
def cart_line(request: HttpRequest, store: Store, pk: int) -> HttpResponse:
    """Change a cart line's quantity, or remove it."""
    _must_manage(request)
    line = get_object_or_404(
        MarketingOrderLine, pk=pk, order__store=store, order__status=MO.CART, order__is_cart=True
    )
    try:
        if request.POST.get("action") == "remove":
            order_service.remove_cart_line(line=line, actor=request.user)
            messages.success(request, _("The line was removed."))
        else:
            order_service.update_cart_line(
                line=line, quantity=_int(request.POST.get("quantity")), actor=request.user
            )
            messages.success(request, _("The quantity was changed."))
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("backoffice:marketing-cart", slug=store.slug)


@backoffice_store
@require_POST
def cart_place(request: HttpRequest, store: Store) -> HttpResponse:
    _must_manage(request)
    order = MarketingOrder.objects.filter(store=store, status=MO.CART, is_cart=True).first()
    if order is None:
        messages.error(request, _("The cart is empty."))
        return redirect("backoffice:marketing-cart", slug=store.slug)
    try:
        order = order_service.place_order(order=order, actor=request.user)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("backoffice:marketing-cart", slug=store.slug)
    if order.status == MO.IN_REVIEW:
        messages.success(
            request,
            _("Order %(number)s is placed: HQ reviews it before it is produced.")
            % {"number": order.number},
        )
    else:
        messages.success(
            request,
            _("Order %(number)s is placed and approved: it goes to production.")
            % {"number": order.number},
        )
    return redirect("backoffice:marketing-order", slug=store.slug, pk=order.pk)


# Orders


@backoffice_store
def order_list(request: HttpRequest, store: Store) -> HttpResponse:
    queryset = store_orders(store).order_by("-placed_at", "-pk")
    status = request.GET.get("status", "")
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATES)
    elif status in dict(MO.choices) and status != MO.CART:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    query = request.GET.get("q", "").strip()[:40]
    if query:
        queryset = queryset.filter(number__icontains=query)
    page = Paginator(queryset.prefetch_related("lines"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "marketing_hub/order_list.html",
        {
            "store": store,
            "page": page,
            "status": status,
            "query": query,
            "status_choices": [(v, label) for v, label in MO.choices if v != MO.CART],
        },
    )


@backoffice_store
def order_detail(request: HttpRequest, store: Store, pk: int) -> HttpResponse:
    order = get_object_or_404(store_orders(store), pk=pk)
    lines = order.lines.select_related("proof", "invoice", "credit_note").order_by("pk")
    return render(
        request,
        "marketing_hub/order_detail.html",
        {
            "store": store,
            "order": order,
            "lines": lines,
            "events": order.events.order_by("created_at", "pk"),
            "review_reasons": review_reason_labels(order),
            "may_manage": may_manage(request),
            "can_cancel": order.status in (MO.PLACED, MO.IN_REVIEW, MO.APPROVED),
            "can_receive": any(line.status == MarketingOrderLine.Status.SHIPPED for line in lines),
        },
    )


@backoffice_store
def order_line_proof(request: HttpRequest, store: Store, pk: int, line_pk: int) -> HttpResponse:
    """The proof PDF of one of the store's order lines (the file sent to print)."""
    line = get_object_or_404(
        MarketingOrderLine.objects.select_related("proof", "order"),
        pk=line_pk,
        order__pk=pk,
        order__store=store,
    )
    try:
        data = print_file_bytes(line)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{print_file_name(line)}"'
    return response


@backoffice_store
@require_POST
def order_cancel(request: HttpRequest, store: Store, pk: int) -> HttpResponse:
    _must_manage(request)
    order = get_object_or_404(store_orders(store), pk=pk)
    try:
        order_service.cancel_order(
            order=order, actor=request.user, reason=request.POST.get("reason", "")[:300]
        )
        messages.success(
            request, _("Order %(number)s is cancelled; your budget is back.") % {"number": order}
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("backoffice:marketing-order", slug=store.slug, pk=order.pk)


@backoffice_store
@require_POST
def order_receive(request: HttpRequest, store: Store, pk: int) -> HttpResponse:
    order = get_object_or_404(store_orders(store), pk=pk)
    line = None
    if request.POST.get("line"):
        line = get_object_or_404(order.lines, pk=_int(request.POST.get("line")))
    try:
        order_service.confirm_receipt(order=order, line=line, actor=request.user)
        messages.success(request, _("Thank you: the receipt is recorded."))
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect(reverse("backoffice:marketing-order", args=[store.slug, order.pk]))


urlpatterns = [
    path("marketing/cart/", cart, name="marketing-cart"),
    path("marketing/cart/add/", cart_add, name="marketing-cart-add"),
    path("marketing/cart/lines/<int:pk>/", cart_line, name="marketing-cart-line"),
    path("marketing/cart/place/", cart_place, name="marketing-cart-place"),
    path("marketing/orders/", order_list, name="marketing-orders"),
    path("marketing/orders/<int:pk>/", order_detail, name="marketing-order"),
    path(
        "marketing/orders/<int:pk>/lines/<int:line_pk>/proof.pdf",
        order_line_proof,
        name="marketing-order-line-proof",
    ),
    path("marketing/orders/<int:pk>/cancel/", order_cancel, name="marketing-order-cancel"),
    path("marketing/orders/<int:pk>/receive/", order_receive, name="marketing-order-receive"),
]
