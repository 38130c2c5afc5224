"""The back-office's Marketing pages: digital packs (relative to /store/<slug>/).

The plans a store may subscribe to, its subscriptions (state, next billing, commitment) and
their actions, each confirmed on a page that says what will happen (pause, resume, change plan
with its proration, cancel with its end day), the deliverables to download, the special hours
its listing carries (set on the store's profile page, stores.profile_views). The feed URL's
secret is shown once, on the response that made it.
Everyone of the store sees and downloads; owners, managers and HQ act (else 404).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import DomainError
from network_marketplace.storage import private_file_response
from stores.backoffice import backoffice_store, may_manage
from stores.models import Store
from stores.selectors import upcoming_special_days

from ..models import Deliverable, Subscription, SubscriptionPlan
from ..selectors.subscriptions import (
    next_billing_day,
    offered_plans,
    store_deliverables,
    store_subscriptions,
)
from ..services import subscriptions as services
from ..services.deliverables import content_type_of, generate_deliverables
from ..services.periods import prorate

S = Subscription.Status
ACTIONS = ("pause", "resume", "change", "cancel")


class ChangePlanForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=SubscriptionPlan.objects.none(), label=gettext_lazy("New plan")
    )

    def __init__(self, *args: Any, subscription: Subscription, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["plan"])
        field.queryset = (
            offered_plans().filter(pack=subscription.plan.pack).exclude(pk=subscription.plan_id)
        )
        self.fields["plan"].error_messages["invalid_choice"] = gettext_lazy(
            "Choose one of the plans offered for this pack."
        )


def _rows(store: Store, today: date) -> list[dict]:
    return [
        {
            "subscription": subscription,
            "next_billing": next_billing_day(subscription, today=today),
            "in_commitment": services.in_commitment(subscription, today=today),
        }
        for subscription in store_subscriptions(store)
    ]


def _page(
    request: HttpRequest,
    store: Store,
    *,
    feed_secret: str = "",
    feed_for: Subscription | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    live_plans = set(
        store_subscriptions(store).exclude(status=S.ENDED).values_list("plan_id", flat=True)
    )
    feed_url = (
        request.build_absolute_uri(
            reverse("marketing_feeds:local-inventory", kwargs={"token": feed_secret})
        )
        if feed_secret
        else ""
    )
    return render(
        request,
        "marketing_hub/subscription_list.html",
        {
            "store": store,
            "plans": offered_plans(),
            "live_plans": live_plans,
            "rows": _rows(store, today),
            "deliverables": store_deliverables(store)[:60],
            "special_hours": upcoming_special_days(store=store, today=today),
            "can_manage": may_manage(request),
            "feed_url": feed_url,
            "feed_for": feed_for,
        },
        status=status,
    )


@backoffice_store
def subscription_list(request: HttpRequest, store: Store) -> HttpResponse:
    return _page(request, store)


def _managed(request: HttpRequest) -> None:
    if not may_manage(request):
        raise Http404


@backoffice_store
def subscribe(request: HttpRequest, store: Store, code: str) -> HttpResponse:
    """GET: the plan's terms to confirm; POST: subscribed, the feed URL shown once."""
    _managed(request)
    plan = get_object_or_404(offered_plans(), code=code)
    if request.method == "POST":
        try:
            subscription, secret = services.subscribe(store=store, plan=plan, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("backoffice:marketing-subscriptions", slug=store.slug)
        generate_deliverables(subscription=subscription)
        messages.success(request, _("You subscribed to “%(plan)s”.") % {"plan": plan.name})
        if plan.pack == SubscriptionPlan.Pack.LOCAL_ADS:
            return _page(request, store, feed_secret=secret, feed_for=subscription)
        return redirect("backoffice:marketing-subscriptions", slug=store.slug)
    today = timezone.localdate()
    first_month = prorate(old_price_cents=0, new_price_cents=plan.price_cents, day=today)
    return render(
        request,
        "marketing_hub/subscription_confirm.html",
        {
            "store": store,
            "action": "subscribe",
            "plan": plan,
            "first_month_cents": first_month.charge_cents,
            "commitment_ends_on": (
                services.add_months(today, plan.minimum_commitment_months)
                if plan.minimum_commitment_months
                else None
            ),
        },
    )


@backoffice_store
def subscription_action(
    request: HttpRequest, store: Store, subscription_id: int, action: str
) -> HttpResponse:
    """GET: what the action will do, to confirm; POST: done, or the rule that refused it."""
    _managed(request)
    if action not in ACTIONS:
        raise Http404
    subscription = get_object_or_404(
        store_subscriptions(store).exclude(status=S.ENDED), pk=subscription_id
    )
    today = timezone.localdate()
    form = ChangePlanForm(request.POST or None, subscription=subscription)
    refusal = ""
    if request.method == "POST" and (action != "change" or form.is_valid()):
        try:
            if action == "pause":
                services.pause_subscription(subscription=subscription, actor=request.user)
                messages.success(request, _("The pack is paused from next month."))
            elif action == "resume":
                services.resume_subscription(subscription=subscription, actor=request.user)
                messages.success(request, _("The pack is running again."))
            elif action == "cancel":
                done = services.cancel_subscription(subscription=subscription, actor=request.user)
                messages.success(
                    request,
                    _("The pack ends on %(day)s.")
                    % {"day": services.format_day(done.ends_on or today)},
                )
            else:
                plan = form.cleaned_data["plan"]
                done = services.change_plan(
                    subscription=subscription, plan=plan, actor=request.user
                )
                if done.next_plan_id:
                    messages.success(
                        request,
                        _("“%(plan)s” starts on %(day)s.")
                        % {"plan": plan.name, "day": services.format_day(done.next_plan_from)},
                    )
                else:
                    messages.success(request, _("You moved to “%(plan)s”.") % {"plan": plan.name})
            return redirect("backoffice:marketing-subscriptions", slug=store.slug)
        except DomainError as error:
            refusal = error.message
    preview = services.preview_action(subscription=subscription, action=action, today=today)
    return render(
        request,
        "marketing_hub/subscription_confirm.html",
        {
            "store": store,
            "action": action,
            "subscription": subscription,
            "plan": subscription.plan,
            "form": form,
            "refusal": refusal,
            "preview": preview,
            "prorations": services.change_previews(subscription=subscription, today=today)
            if action == "change"
            else [],
        },
        status=400 if refusal or (request.method == "POST" and form.errors) else 200,
    )


@backoffice_store
def renew_feed_url(request: HttpRequest, store: Store, subscription_id: int) -> HttpResponse:
    _managed(request)
    if request.method != "POST":
        raise Http404
    subscription = get_object_or_404(
        store_subscriptions(store).filter(plan__pack=SubscriptionPlan.Pack.LOCAL_ADS),
        pk=subscription_id,
    )
    secret = services.rotate_feed_secret(subscription=subscription, actor=request.user)
    messages.success(request, _("A new feed URL was made: the previous one no longer works."))
    return _page(request, store, feed_secret=secret, feed_for=subscription)


@backoffice_store
def regenerate(request: HttpRequest, store: Store, subscription_id: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    subscription = get_object_or_404(
        store_subscriptions(store).filter(status__in=(S.ACTIVE, S.CANCELLING)), pk=subscription_id
    )
    written = generate_deliverables(subscription=subscription)
    if written:
        messages.success(request, _("The files were brought up to date."))
    else:
        messages.success(request, _("The files were already up to date."))
    return redirect("backoffice:marketing-subscriptions", slug=store.slug)


@backoffice_store
def download(request: HttpRequest, store: Store, deliverable_id: int) -> HttpResponse:
    """A deliverable of this store (another store's: 404); `?format=csv` the second format."""
    deliverable = get_object_or_404(Deliverable.objects.filter(store=store), pk=deliverable_id)
    field = deliverable.extra_file if request.GET.get("format") == "csv" else deliverable.file
    if not field or not field.name:
        raise Http404
    name = field.name.rsplit("/", 1)[-1]
    response: Any = private_file_response(  # a signed redirect, or the file from disk
        field.storage, field.name, filename=name, content_type=content_type_of(name)
    )
    return response


urlpatterns = [
    path("marketing/packs/", subscription_list, name="marketing-subscriptions"),
    path(
        "marketing/packs/subscribe/<slug:code>/",
        subscribe,
        name="marketing-subscribe",
    ),
    path(
        "marketing/packs/<int:subscription_id>/feed-url/",
        renew_feed_url,
        name="marketing-feed-url",
    ),
    path(
        "marketing/packs/<int:subscription_id>/regenerate/",
        regenerate,
        name="marketing-regenerate",
    ),
    path(
        "marketing/packs/<int:subscription_id>/<slug:action>/",
        subscription_action,
        name="marketing-subscription-action",
    ),
    path(
        "marketing/packs/files/<int:deliverable_id>/",
        download,
        name="marketing-deliverable",
    ),
]
