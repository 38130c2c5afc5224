"""The store back-office (/store/). The storefront's store pages are in storefront_views."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ApiKeyForm
from .models import ApiKey
from .selectors import membership_for, store_stock_summary, stores_visible_to
from .services import issue_api_key, revoke_api_key


def backoffice_store(view):
    """Resolve the store from the URL among those the user may see; another store is a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        store = get_object_or_404(stores_visible_to(request.user), slug=slug)
        request.store = store
        request.membership = membership_for(user=request.user, store=store)
        return view(request, store, *args, **kwargs)

    return wrapper


def _can_manage(request) -> bool:
    return request.user.is_staff or bool(request.membership and request.membership.can_manage)


@login_required
def backoffice_index(request):
    stores = list(stores_visible_to(request.user).order_by("name")[:500])
    if len(stores) == 1:
        return redirect("backoffice:dashboard", slug=stores[0].slug)
    return render(request, "backoffice/store_chooser.html", {"stores": stores}, status=200)


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
    can_manage = _can_manage(request)
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
    if not _can_manage(request):
        raise Http404
    api_key = get_object_or_404(ApiKey.objects.for_store(store), pk=key_id)
    revoke_api_key(api_key=api_key, actor=request.user)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": api_key.name})
    return redirect("backoffice:api-keys", slug=store.slug)
