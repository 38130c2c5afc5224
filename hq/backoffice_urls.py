"""The store's scorecard in its back-office (/store/<slug>/scorecard/): its figures over HQ's
rolling period against HQ's thresholds, its standing (good, warned, out of home-delivery
routing) and the history of its steps; mounted by config/urls.py (namespace "backoffice")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section, backoffice_store
from stores.models import Store

from .selectors.standings import scorecard_page


@backoffice_store
def scorecard(request: HttpRequest, store: Store) -> HttpResponse:
    return render(
        request,
        "hq/backoffice_scorecard.html",
        {"store": store, "page": scorecard_page(store=store)},
    )


urlpatterns = [path("scorecard/", scorecard, name="scorecard")]

navigation = [
    Section(
        key="scorecard",
        label=_("Scorecard"),
        url_name="backoffice:scorecard",
        order=85,
        testid="nav-scorecard",
    ),
]
