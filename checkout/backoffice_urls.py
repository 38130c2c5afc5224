"""The endless aisle in the back-office, relative to /store/<slug>/, and its entry in the
navigation; mounted by config/urls.py (namespace "backoffice"). It places orders, so it lives with
the checkout, above fulfillment."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from . import aisle_views

urlpatterns = [
    path("endless-aisle/", aisle_views.endless_aisle, name="endless-aisle"),
    path("endless-aisle/<int:variant_id>/", aisle_views.aisle_order, name="aisle-order"),
    path("endless-aisle/orders/<int:order_id>/", aisle_views.aisle_result, name="aisle-result"),
]

navigation = [
    Section(
        key="endless-aisle",
        label=_("Endless aisle"),
        url_name="backoffice:endless-aisle",
        order=30,
        current_on=frozenset({"aisle-order", "aisle-result"}),
    ),
]
