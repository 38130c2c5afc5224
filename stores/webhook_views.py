"""The store back-office's webhooks page (/store/<slug>/webhooks/): the store's endpoints.

Owners and managers (and HQ) add, test, pause and remove endpoints; staff members see them.
The rules are in network_marketplace.webhooks.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network_marketplace.errors import DomainError
from network_marketplace.forms import WebhookEndpointForm
from network_marketplace.models import WebhookEndpoint
from network_marketplace.webhooks import (
    create_endpoint,
    delete_endpoint,
    recent_deliveries,
    send_test_event,
    update_endpoint,
)

from .backoffice import backoffice_store, may_manage


def _store_endpoints(store):
    return WebhookEndpoint.objects.filter(store=store).select_related("created_by")


@backoffice_store
def webhooks(request, store):
    """The store's endpoints and latest deliveries. A new endpoint's secret is shown once."""
    can_manage = may_manage(request)
    created = None
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                created = create_endpoint(
                    store=store,
                    url=form.cleaned_data["url"],
                    event_types=form.cleaned_data["event_types"],
                    description=form.cleaned_data["description"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(error.facts.get("field"), error.message)
            else:
                form = WebhookEndpointForm()
    endpoints = list(_store_endpoints(store))
    return render(
        request,
        "backoffice/webhooks.html",
        {
            "store": store,
            "endpoints": endpoints,
            "deliveries": recent_deliveries(endpoints=endpoints, limit=20),
            "form": form,
            "created": created,
            "can_manage": can_manage,
        },
        status=400 if form.errors else 200,
    )


def _managed_endpoint(request, store, endpoint_id) -> WebhookEndpoint:
    if not may_manage(request):
        raise Http404
    return get_object_or_404(_store_endpoints(store), pk=endpoint_id)


@require_POST
@backoffice_store
def delete_webhook(request, store, endpoint_id):
    endpoint = _managed_endpoint(request, store, endpoint_id)
    delete_endpoint(endpoint=endpoint, actor=request.user)
    messages.success(request, _("The endpoint %(url)s is removed.") % {"url": endpoint.url})
    return redirect("backoffice:webhooks", slug=store.slug)


@require_POST
@backoffice_store
def toggle_webhook(request, store, endpoint_id):
    endpoint = _managed_endpoint(request, store, endpoint_id)
    endpoint = update_endpoint(endpoint=endpoint, actor=request.user, active=not endpoint.active)
    if endpoint.active:
        messages.success(
            request, _("The endpoint %(url)s receives events again.") % {"url": endpoint.url}
        )
    else:
        messages.success(request, _("The endpoint %(url)s is paused.") % {"url": endpoint.url})
    return redirect("backoffice:webhooks", slug=store.slug)


@require_POST
@backoffice_store
def test_webhook(request, store, endpoint_id):
    endpoint = _managed_endpoint(request, store, endpoint_id)
    try:
        send_test_event(endpoint=endpoint, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("backoffice:webhooks", slug=store.slug)
    messages.success(
        request,
        _("A test event is on its way to %(url)s: see its delivery below.") % {"url": endpoint.url},
    )
    return redirect("backoffice:webhooks", slug=store.slug)
