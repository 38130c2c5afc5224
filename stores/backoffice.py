"""The store back-office shell: one mount at /store/<slug>/ that every app plugs its pages into.

A store's staff work in one place (django-oscar's dashboard idea): the shell resolves the store
from the URL among those the user may see (another store is a 404, never a 403), offers the store
chooser at /store/, and draws one navigation from the sections the apps contribute. Each app keeps
its pages and declares, next to their url patterns, a `navigation` list of `Section`s;
`config/urls.py` mounts them all once with `mount(...)`, under the one namespace `backoffice`.
The shell lives in `stores` because a back-office page is a page about one store: the apps above
(fulfillment, payments...) import it, it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from types import ModuleType

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.functional import Promise

from .models import Store
from .selectors import membership_for, stores_visible_to

NAMESPACE = "backoffice"
MAX_CHOOSER_STORES = 500


def backoffice_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the store from the URL among those the user may see; another store is a 404.
    The view is called as `view(request, store, ...)`, with `request.store` and
    `request.membership` (None for HQ staff who are not members) set for the templates."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        store = get_object_or_404(stores_visible_to(request.user), slug=slug)
        request.store = store
        request.membership = membership_for(user=request.user, store=store)
        return view(request, store, *args, **kwargs)

    return wrapper


def may_manage(request: HttpRequest) -> bool:
    """HQ staff, or the store's owner or manager: those who change the store's settings."""
    return request.user.is_staff or bool(request.membership and request.membership.can_manage)


@login_required
def store_chooser(request: HttpRequest) -> HttpResponse:
    """/store/: straight to the only store a member works for, else the list to choose from."""
    stores = list(stores_visible_to(request.user).order_by("name")[:MAX_CHOOSER_STORES])
    if len(stores) == 1:
        return redirect(f"{NAMESPACE}:dashboard", slug=stores[0].slug)
    return render(request, "backoffice/store_chooser.html", {"stores": stores}, status=200)


StrOrPromise = str | Promise


@dataclass(frozen=True)
class Section:
    """One entry of the back-office navigation, contributed by the app that owns its pages.

    `url_name` is reversed with the store's slug (`backoffice:...`, or a storefront page);
    the entry is marked current on `url_name` and on the `current_on` url names (its sub-pages).
    `order` places it in the menu, whichever app declares it. `visible(request, store)` hides it
    from those who may not open it; `badge(store)` is a count shown next to the label.
    """

    key: str
    label: StrOrPromise
    url_name: str
    order: int
    current_on: frozenset[str] = frozenset()
    testid: str = ""
    visible: Callable[[HttpRequest, Store], bool] | None = None
    badge: Callable[[Store], int] | None = None
    badge_title: str = ""
    badge_hint: str = ""


@dataclass(frozen=True)
class NavigationEntry:
    """A section as one request sees it: its link, whether it is the page shown, its count."""

    section: Section
    href: str
    current: bool
    badge: int = 0


@dataclass
class Navigation:
    """The sections every app added, by key (registering a key again replaces it)."""

    sections: dict[str, Section] = field(default_factory=dict)

    def register(self, *sections: Section) -> None:
        for section in sections:
            self.sections[section.key] = section

    def entries(self, *, request: HttpRequest, store: Store) -> list[NavigationEntry]:
        match = getattr(request, "resolver_match", None)
        shown = match.view_name if match is not None else ""
        entries = []
        for section in sorted(self.sections.values(), key=lambda section: section.order):
            if section.visible is not None and not section.visible(request, store):
                continue
            names = {section.url_name, *(f"{NAMESPACE}:{name}" for name in section.current_on)}
            entries.append(
                NavigationEntry(
                    section=section,
                    href=reverse(section.url_name, args=[store.slug]),
                    current=shown in names,
                    badge=section.badge(store) if section.badge is not None else 0,
                )
            )
        return entries


navigation = Navigation()


def mount(*apps: ModuleType) -> tuple[list[URLPattern | URLResolver], str, str]:
    """The back-office URLconf for `path("store/", ...)`: the chooser at /store/, then each
    app's `urlpatterns` under <slug>/ (relative to the store), all in the one namespace.
    Each module's `navigation` sections join the menu. Called once, by config/urls.py."""
    store_pages: list[URLPattern | URLResolver] = []
    for app in apps:
        store_pages += app.urlpatterns
        navigation.register(*getattr(app, "navigation", ()))
    patterns = [
        path("", store_chooser, name="index"),
        path("<slug:slug>/", include(store_pages)),
    ]
    return patterns, NAMESPACE, NAMESPACE
