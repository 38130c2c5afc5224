"""The store's order desk in the back-office (/store/<slug>/orders/): the queue, a fulfilment's
page and its actions, the handover screen and the pick lists.

Views are thin: every change is a call to fulfillment.services; a DomainError becomes a message
and changes nothing (the services are transactional). Fulfilments are read through
`Fulfilment.objects.for_store(store)`, so another store's fulfilment is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from network_marketplace.errors import DomainError
from orders.models import OrderPolicy
from stores.backoffice import backoffice_store

from . import hooks, selectors, services, transfers
from .models import Fulfilment
from .order_desk_forms import (
    BulkForm,
    HandoverForm,
    QueueFilterForm,
    RejectForm,
    ShipForm,
    ShipTransferForm,
)
from .services import PickupCodeVoid, WrongPickupCode

S = Fulfilment.Status
HISTORY_PAGE_SIZE = 25
QUEUE_PAGE_SIZE = 25  # a tab's page
ALL_TAB_ROWS = 10  # each group's first rows on "All open"
MAX_BULK = 200  # orders one bulk step or printed pick list takes


def _detail_url(store, fulfilment) -> str:
    return reverse("backoffice:fulfilment", args=[store.slug, fulfilment.pk])


def _back(request, store, fulfilment):
    """Where to go after an action: the page it came from (a queue tab), else the detail."""
    target = request.POST.get("next", "")
    prefix = reverse("backoffice:orders", args=[store.slug])
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect(_detail_url(store, fulfilment))


@backoffice_store
def order_queue(request, store):
    """Open fulfilments grouped by what the store has to do, by pickup slot; a tab pages through
    one group; the filters narrow every tab (a wrong value is a field error, the queue still
    shows). Closed ones are in the history tab."""
    tab = request.GET.get("tab", "")
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    counts = selectors.queue_counts(store, filters)
    filtering = form.active
    params = [(key, value) for key, value in request.GET.items() if key != "page" and value]
    context = {
        "store": store,
        "tab": tab,
        "form": form,
        "query": filters.query,
        "filtering": filtering,
        "counts": counts,
        "overdue": selectors.queue_counts(store)["overdue"] if filtering else counts["overdue"],
        "tabs": [(bucket, counts[bucket.key]) for bucket in selectors.BUCKETS],
        "querystring": urlencode(params),
        "filter_querystring": urlencode([(k, v) for k, v in params if k != "tab"]),
    }
    status = 400 if form.errors else 200
    if tab == "history":
        paginator = Paginator(
            selectors.closed_fulfilments(store=store, query=filters.query), HISTORY_PAGE_SIZE
        )
        context["page"] = paginator.get_page(request.GET.get("page"))
        return render(request, "backoffice/order_history.html", context, status=status)
    if tab and tab not in selectors.BUCKET_KEYS:
        tab = context["tab"] = ""
    if tab:
        (bucket,) = (each for each in selectors.BUCKETS if each.key == tab)
        paginator = Paginator(
            selectors.open_fulfilments(store=store, bucket=tab, filters=filters),
            QUEUE_PAGE_SIZE,
        )
        page = paginator.get_page(request.GET.get("page"))
        context["page"] = page
        context["groups"] = [(bucket, list(page.object_list), counts[tab])]
    else:
        # Every group's first rows; each links to its tab for the rest.
        context["groups"] = [
            (
                bucket,
                list(
                    selectors.open_fulfilments(store=store, bucket=bucket.key, filters=filters)[
                        :ALL_TAB_ROWS
                    ]
                ),
                counts[bucket.key],
            )
            for bucket in selectors.BUCKETS
            if counts[bucket.key]
        ]
    context["found"] = counts["open"]
    context["rows_shown"] = any(rows for _bucket, rows, _total in context["groups"])
    return render(request, "backoffice/order_queue.html", context, status=status)


@require_POST
@backoffice_store
def bulk_action(request, store):
    """A step on the orders selected in the queue: accept them (each through the same service
    as one, in its own transaction: fulfillment/services/bulk.py), or print their pick lists."""
    ids = [int(each) for each in request.POST.getlist("ids") if each.isdigit()][:MAX_BULK]
    candidates = list(Fulfilment.objects.for_store(store).filter(pk__in=ids))
    form = BulkForm(request.POST, fulfilments=candidates)
    back = _queue_back(request, store)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return back
    chosen = [each for each in candidates if each.pk in set(form.cleaned_data["ids"])]
    if form.cleaned_data["action"] == "pick_list":
        query = urlencode([("ids", each.pk) for each in chosen])
        return redirect(f"{reverse('backoffice:pick-list', args=[store.slug])}?{query}")
    outcome = services.accept_fulfilments(fulfilments=chosen, actor=request.user, at_store=store)
    if outcome.done:
        messages.success(
            request,
            ngettext(
                "%(count)s order accepted: pick it now.",
                "%(count)s orders accepted: pick them now.",
                len(outcome.done),
            )
            % {"count": len(outcome.done)},
        )
    for fulfilment, reason in outcome.refused:
        messages.error(
            request,
            _("Order %(number)s not accepted: %(reason)s")
            % {"number": fulfilment.order, "reason": reason},
        )
    return back


def _queue_back(request, store):
    """Back to the queue tab (and filters) the bulk form was sent from."""
    target = request.POST.get("next", "")
    prefix = reverse("backoffice:orders", args=[store.slug])
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect(prefix)


def _detail_context(request, store, fulfilment, **forms):
    policy = OrderPolicy.current()
    return {
        "store": store,
        "fulfilment": fulfilment,
        "order": fulfilment.order,
        "actions": selectors.available_actions(fulfilment, store),
        "overdue": selectors.is_overdue(fulfilment),
        "attempts_left": max(policy.pickup_code_attempts - fulfilment.pickup_code_failures, 0),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "ship_form": forms.get("ship_form") or ShipForm(),
        "ship_transfer_form": forms.get("ship_transfer_form") or ShipTransferForm(),
        "transfer_carrier": transfers.transfer_carrier_label(fulfilment),
        "withdrawal_period": selectors.part_deadlines([fulfilment])[fulfilment.pk],
        # This store's invoices and credit notes to the customer for this part (payments).
        "invoices": [
            doc
            for doc in hooks.customer_invoices(order=fulfilment.order)
            if doc["fulfilment_id"] == fulfilment.pk and doc["store_id"] == store.pk
        ],
    }


@backoffice_store
def fulfilment_detail(request, store, fulfilment_id):
    fulfilment = selectors.fulfilment_for_store(store=store, fulfilment_id=fulfilment_id)
    if fulfilment is None:
        raise Http404
    return render(
        request, "backoffice/fulfilment_detail.html", _detail_context(request, store, fulfilment)
    )


def _invalid(request, store, fulfilment, **forms):
    """The detail page again with the form's errors, nothing changed."""
    fulfilment = selectors.fulfilment_for_store(store=store, fulfilment_id=fulfilment.pk)
    return render(
        request,
        "backoffice/fulfilment_detail.html",
        _detail_context(request, store, fulfilment, **forms),
        status=400,
    )


@require_POST
@backoffice_store
def fulfilment_action(request, store, fulfilment_id, action):
    """One step on a fulfilment, as fulfillment/states.py allows it."""
    fulfilment = get_object_or_404(Fulfilment.objects.for_store(store), pk=fulfilment_id)
    user = request.user
    order = fulfilment.order
    try:
        if action == "accept":
            services.accept_fulfilment(fulfilment=fulfilment, actor=user, at_store=store)
            messages.success(
                request, _("Order %(number)s accepted: pick it now.") % {"number": order}
            )
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                return _invalid(request, store, fulfilment, reject_form=form)
            services.reject_fulfilment(
                fulfilment=fulfilment,
                actor=user,
                reason=form.cleaned_data["reason"],
                at_store=store,
                missing_stock=form.cleaned_data["missing_stock"],
            )
            messages.success(request, _("Order %(number)s rejected.") % {"number": order})
            return redirect("backoffice:orders", slug=store.slug)
        elif action == "pick":
            services.mark_picked(fulfilment=fulfilment, actor=user, at_store=store)
            messages.success(request, _("Order %(number)s picked.") % {"number": order})
        elif action == "ready":
            ready = services.mark_ready_for_pickup(
                fulfilment=fulfilment, actor=user, at_store=store
            )
            if ready.pickup_code is not None:
                messages.success(
                    request,
                    _(
                        "Order %(number)s is ready for pickup. The customer was sent their "
                        "pickup code by e-mail (%(email)s)."
                    )
                    % {"number": order, "email": order.email},
                )
        elif action == "reissue_code":
            services.reissue_pickup_code(fulfilment=fulfilment, actor=user, at_store=store)
            messages.success(
                request,
                _("A new pickup code was sent to %(email)s; the old one no longer works.")
                % {"email": order.email},
            )
            return redirect("backoffice:handover", slug=store.slug, fulfilment_id=fulfilment.pk)
        elif action == "ship":
            form = ShipForm(request.POST)
            if not form.is_valid():
                return _invalid(request, store, fulfilment, ship_form=form)
            services.ship_fulfilment(
                fulfilment=fulfilment,
                actor=user,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
            )
            messages.success(request, _("Order %(number)s shipped.") % {"number": order})
        elif action == "ship_transfer":
            form = ShipTransferForm(request.POST)
            if not form.is_valid():
                return _invalid(request, store, fulfilment, ship_transfer_form=form)
            transfers.ship_transfer(
                fulfilment=fulfilment,
                actor=user,
                at_store=store,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
            )
            messages.success(
                request,
                _("Order %(number)s sent to %(store)s.")
                % {"number": order, "store": fulfilment.pickup_store.name},
            )
        elif action == "receive":
            transfers.receive_transfer(fulfilment=fulfilment, actor=user, at_store=store)
            messages.success(
                request,
                _("Order %(number)s received: mark it ready when it is on the pickup shelf.")
                % {"number": order},
            )
        elif action in ("purchased", "not_purchased"):
            services.record_reserve_outcome(
                fulfilment=fulfilment,
                purchased=action == "purchased",
                actor=user,
                at_store=store,
            )
            messages.success(
                request, _("Outcome recorded for order %(number)s.") % {"number": order}
            )
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(store, fulfilment))
    return _back(request, store, fulfilment)


@backoffice_store
def handover(request, store, fulfilment_id):
    """The counter screen: the customer shows their code, the staff types it, the goods go."""
    fulfilment = selectors.fulfilment_for_store(store=store, fulfilment_id=fulfilment_id)
    if fulfilment is None:
        raise Http404
    policy = OrderPolicy.current()
    form = HandoverForm(request.POST or None)
    error = None
    void = fulfilment.pickup_code_failures >= policy.pickup_code_attempts
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.hand_over(
                    fulfilment=fulfilment,
                    code=form.cleaned_data["code"],
                    actor=request.user,
                    at_store=store,
                )
            except WrongPickupCode as wrong:
                error, status = wrong.message, 400
                void = wrong.facts.get("remaining", 1) == 0
                form = HandoverForm()
            except PickupCodeVoid as voided:
                error, status, void = voided.message, 409, True
            except DomainError as refused:
                error, status = refused.message, 409
            else:
                messages.success(
                    request,
                    _("Order %(number)s handed over to %(name)s.")
                    % {"number": fulfilment.order, "name": fulfilment.order.first_name},
                )
                return redirect(_detail_url(store, fulfilment))
        else:
            status = 400
        fulfilment.refresh_from_db()
    attempts_left = max(policy.pickup_code_attempts - fulfilment.pickup_code_failures, 0)
    return render(
        request,
        "backoffice/handover.html",
        {
            "store": store,
            "fulfilment": fulfilment,
            "order": fulfilment.order,
            "form": form,
            "error": error,
            "void": void or attempts_left == 0,
            "attempts_left": attempts_left,
            "can_hand_over": fulfilment.status == S.READY_FOR_PICKUP
            and "hand_over" in selectors.available_actions(fulfilment, store),
        },
        status=status,
    )


@backoffice_store
def pick_list(request, store, fulfilment_id=None):
    """A printable list of what to take from the shelves: one order, the ones selected in the
    queue (`?ids=`), or every accepted one."""
    ids = [int(each) for each in request.GET.getlist("ids") if each.isdigit()][:MAX_BULK]
    fulfilments = selectors.pick_list(
        store=store, fulfilment_id=fulfilment_id, fulfilment_ids=ids or None
    )
    if (fulfilment_id is not None or ids) and not fulfilments:
        raise Http404
    return render(
        request,
        "backoffice/pick_list.html",
        {
            "store": store,
            "fulfilments": fulfilments,
            "single": fulfilment_id is not None,
            "selected": bool(ids),
        },
    )
