"""The order desk in the back-office, relative to /store/<slug>/, and its entry in the
navigation; mounted by config/urls.py (namespace "backoffice")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from . import order_desk_views as views
from .selectors import awaiting_count

urlpatterns = [
    path("orders/", views.order_queue, name="orders"),
    path("orders/pick-list/", views.pick_list, name="pick-list"),
    path("orders/selected/", views.bulk_action, name="orders-bulk"),
    path("orders/<int:fulfilment_id>/", views.fulfilment_detail, name="fulfilment"),
    path("orders/<int:fulfilment_id>/pick-list/", views.pick_list, name="fulfilment-pick-list"),
    path("orders/<int:fulfilment_id>/handover/", views.handover, name="handover"),
    path(
        "orders/<int:fulfilment_id>/<slug:action>/",
        views.fulfilment_action,
        name="fulfilment-action",
    ),
]

navigation = [
    Section(
        key="orders",
        label=_("Orders"),
        url_name="backoffice:orders",
        order=20,
        current_on=frozenset(
            {"fulfilment", "handover", "pick-list", "fulfilment-pick-list", "orders-bulk"}
        ),
        testid="nav-orders",
        badge=awaiting_count,
        badge_title=_("To accept"),
        badge_hint=_("to accept"),
    ),
]
