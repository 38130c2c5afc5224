"""The endless aisle's pages, included under /store/<slug>/ by the back-office shell (namespace
"backoffice")."""

from django.urls import path

from . import aisle_views

urlpatterns = [
    path("endless-aisle/", aisle_views.endless_aisle, name="endless-aisle"),
    path("endless-aisle/<int:variant_id>/", aisle_views.aisle_order, name="aisle-order"),
    path("endless-aisle/orders/<int:order_id>/", aisle_views.aisle_result, name="aisle-result"),
]
