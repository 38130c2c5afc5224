"""The store's own back-office pages: dashboard and API keys (the shell is in backoffice.py;
the storefront's store pages are in storefront_views)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .backoffice import backoffice_store, may_manage
from .forms import ApiKeyForm
from .models import ApiKey
from .selectors import store_stock_summary
from .services import issue_api_key, revoke_api_key


@backoffice_store
def dashboard(request, store):
    members = store.memberships.select_related("user").order_by("role", "user__email")
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "store": store,
            "members": members,
            "active_key_count": ApiKey.objects.for_store(store).active().count(),
            "stock_summary": store_stock_summary(store),
        },
    )


@backoffice_store
def api_keys(request, store):
    """Integrators' keys of the store. A new key's secret is shown on this response only."""
    can_manage = may_manage(request)
    issued = None
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            issued = issue_api_key(store=store, name=form.cleaned_data["name"], actor=request.user)
            form = ApiKeyForm()
    keys = ApiKey.objects.for_store(store).select_related("created_by")
    return render(
        request,
        "backoffice/api_keys.html",
        {"store": store, "keys": keys, "form": form, "issued": issued, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


@require_POST
@backoffice_store
def revoke_key(request, store, key_id):
    if not may_manage(request):
        raise Http404
    api_key = get_object_or_404(ApiKey.objects.for_store(store), pk=key_id)
    revoke_api_key(api_key=api_key, actor=request.user)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": api_key.name})
    return redirect("backoffice:api-keys", slug=store.slug)
