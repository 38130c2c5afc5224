"""The order desk's pages, included under /store/<slug>/ by stores/backoffice_urls.py (namespace
"backoffice")."""

from django.urls import path

from . import order_desk_views as views

urlpatterns = [
    path("orders/", views.order_queue, name="orders"),
    path("orders/pick-list/", views.pick_list, name="pick-list"),
    path("orders/<int:fulfilment_id>/", views.fulfilment_detail, name="fulfilment"),
    path("orders/<int:fulfilment_id>/pick-list/", views.pick_list, name="fulfilment-pick-list"),
    path("orders/<int:fulfilment_id>/handover/", views.handover, name="handover"),
    path(
        "orders/<int:fulfilment_id>/<slug:action>/",
        views.fulfilment_action,
        name="fulfilment-action",
    ),
]
