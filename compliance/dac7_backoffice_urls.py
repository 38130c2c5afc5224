"""The back-office pages of a store's DAC7 tax data and its copies of the declarations,
relative to /store/<slug>/, and their entry in the navigation; mounted by config/urls.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from .views import dac7 as dac7_views

urlpatterns = [
    path("compliance/tax-data/", dac7_views.tax_data, name="compliance-tax-data"),
    path("compliance/tax-data/copy/<int:pk>/", dac7_views.tax_copy, name="compliance-tax-copy"),
]

navigation = [
    Section(
        key="compliance-tax-data",
        label=_("Tax data (DAC7)"),
        url_name="backoffice:compliance-tax-data",
        order=117,
        current_on=frozenset({"backoffice:compliance-tax-copy"}),
        testid="nav-compliance-tax-data",
    ),
]
