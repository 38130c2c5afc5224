"""The back-office's Marketing overview (/store/<slug>/marketing/): where a store starts. Its
budget and co-funding left, the campaigns running, its cart, latest orders and digital packs, and
the way to each Marketing page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _

from stores.backoffice import backoffice_store
from stores.models import Store

from ..selectors.overview import marketing_overview


@dataclass(frozen=True)
class Shortcut:
    label: str
    href: str
    testid: str


# The Marketing pages a store goes to from here, by url name; the first name that exists is
# used (each page is built by the part of the hub that owns it).
SHORTCUTS = (
    ("catalogue", _("Catalogue"), ("backoffice:marketing-catalogue",)),
    ("cart", _("Cart"), ("backoffice:marketing-cart",)),
    ("orders", _("Orders"), ("backoffice:marketing-orders",)),
    ("subscriptions", _("Digital packs"), ("backoffice:marketing-subscriptions",)),
    ("invoices", _("Invoices"), ("backoffice:money-invoices",)),
    ("images", _("Logo and photo"), ("backoffice:marketing-store-images",)),
)


def _shortcuts(store: Store) -> dict[str, Shortcut]:
    found = {}
    for key, label, names in SHORTCUTS:
        for name in names:
            try:
                href = reverse(name, args=[store.slug])
            except NoReverseMatch:
                continue
            found[key] = Shortcut(label=str(label), href=href, testid=f"marketing-link-{key}")
            break
    return found


@backoffice_store
def overview(request: HttpRequest, store: Store) -> HttpResponse:
    links = _shortcuts(store)
    return render(
        request,
        "marketing_hub/overview.html",
        {
            "store": store,
            "overview": marketing_overview(store=store),
            "links": links,
            "shortcuts": list(links.values()),
        },
    )


urlpatterns = [
    path("marketing/", overview, name="marketing"),
]
