"""The back-office page of a store's trader data (DSA art. 30), relative to /store/<slug>/,
and its entry in the navigation; mounted by config/urls.py (namespace "backoffice")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from .views import traders as trader_views

urlpatterns = [
    path("compliance/trader/", trader_views.trader_data, name="compliance-trader"),
]

navigation = [
    Section(
        key="compliance-trader",
        label=_("Trader information"),
        url_name="backoffice:compliance-trader",
        order=116,
        testid="nav-compliance-trader",
    ),
]
