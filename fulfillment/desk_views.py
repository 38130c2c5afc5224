"""The returns desk of the store back-office (/store/<slug>/returns/).

A store sees the returns to be received at it and the returns of its own sales; HQ sees all.
The desk finds a return by its number (what the customer shows, also as a QR code) and takes it
in, even one announced for another store; a walk-in customer who did not start a return online
gives the order number and e-mail, and the desk makes the return there. Only the location that
received a return inspects and refunds it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network_marketplace.errors import DomainError
from stores.backoffice import backoffice_store

from .forms import DeskReturnForm, InspectionForm, OrderLookupForm
from .models import Return
from .selectors import (
    DESK_VIEWS,
    late_refunds,
    order_for_guest,
    return_for_desk,
    return_summary,
    returnable_lines,
    store_returns,
)
from .services import inspect_return, receive_return, refund_return, take_back_at_desk

PAGE_SIZE = 30


@backoffice_store
def desk(request, store):
    query = request.GET.get("q", "").strip()
    if query:
        found = return_for_desk(store=store, number=query)
        if found is not None:
            return redirect("backoffice:return", slug=store.slug, number=found.number)
        messages.error(request, _("No return %(number)s to handle here.") % {"number": query[:20]})
    view = request.GET.get("view", "to_receive")
    if view not in DESK_VIEWS:
        view = "to_receive"
    page = Paginator(store_returns(store=store, view=view), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The store's withdrawals whose refund is late against the 14-day rule (goods back, not
    # refunded), in one query: the banner counts them, their rows are flagged.
    late = set(late_refunds(store=store).values_list("return_request_id", flat=True))
    for item in page:
        item.refund_late = item.pk in late
    return render(
        request,
        "backoffice/returns.html",
        {
            "store": store,
            "page": page,
            "late_refunds": len(late),
            "view": view,
            "query": query,
            "querystring": f"view={view}",
            "summary": return_summary(store),
        },
    )


def _desk_return(store, number) -> Return:
    found = return_for_desk(store=store, number=number)
    if found is None:
        raise Http404
    return found


@backoffice_store
def detail(request, store, number):
    return _render_detail(request, store, _desk_return(store, number))


def _render_detail(request, store, return_request, *, inspection_form=None, status=200):
    handles = return_request.store_id == store.pk
    can_receive = return_request.status == Return.Status.REQUESTED and store.accepts_returns
    if inspection_form is None and handles and return_request.status == Return.Status.RECEIVED:
        inspection_form = InspectionForm(return_request=return_request)
    return render(
        request,
        "backoffice/return_detail.html",
        {
            "store": store,
            "return": return_request,
            "handles": handles,
            "can_receive": can_receive,
            "inspection_form": inspection_form,
            "events": return_request.events.select_related("store").order_by("created_at", "pk"),
        },
        status=status,
    )


@require_POST
@backoffice_store
def receive(request, store, number):
    return_request = _desk_return(store, number)
    try:
        receive_return(return_request=return_request, store=store, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Return %(number)s received.") % {"number": number})
    return redirect("backoffice:return", slug=store.slug, number=return_request.number)


@require_POST
@backoffice_store
def inspect(request, store, number):
    return_request = _desk_return(store, number)
    form = InspectionForm(request.POST, return_request=return_request)
    if form.is_valid():
        try:
            inspect_return(
                return_request=return_request,
                store=store,
                inspections=form.inspections(),
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Inspection saved; the refund is ready to be made."))
            return redirect("backoffice:return", slug=store.slug, number=return_request.number)
    return _render_detail(request, store, return_request, inspection_form=form, status=400)


@require_POST
@backoffice_store
def refund(request, store, number):
    return_request = _desk_return(store, number)
    try:
        refunded = refund_return(return_request=return_request, store=store, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Return %(number)s is refunded.") % {"number": refunded.number})
    return redirect("backoffice:return", slug=store.slug, number=return_request.number)


@backoffice_store
def walk_in(request, store):
    """A customer at the desk with goods of an online order and no return started: find the
    order by number and e-mail, choose what comes back; the return is made and received here."""
    if not store.accepts_returns:
        raise Http404
    lookup = OrderLookupForm(request.GET or None)
    order = None
    if lookup.is_bound and lookup.is_valid():
        order = order_for_guest(
            number=lookup.cleaned_data["number"], email=lookup.cleaned_data["email"]
        )
        if order is None:
            lookup.add_error(None, _("No order with this number and e-mail address."))
    form = None
    if order is not None:
        form = DeskReturnForm(
            request.POST if request.method == "POST" else None,
            returnable=returnable_lines(order),
        )
        if form.is_bound and form.is_valid():
            try:
                made = take_back_at_desk(
                    order=order,
                    lines=form.request_lines(),
                    reason=form.cleaned_data["reason"],
                    store=store,
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Return %(number)s made and received.") % {"number": made.number}
                )
                return redirect("backoffice:return", slug=store.slug, number=made.number)
    errors = lookup.errors or (form is not None and form.errors)
    return render(
        request,
        "backoffice/return_walk_in.html",
        {
            "store": store,
            "lookup": lookup,
            "order": order,
            "form": form,
            "rows": form.line_rows() if form is not None else [],
            "any_returnable": form is not None and any(row[1] for row in form.line_rows()),
        },
        status=400 if errors else 200,
    )
