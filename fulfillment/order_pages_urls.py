"""The customer's order pages (fulfillment/order_pages.py), under /orders/, in the `orders` URL
namespace their links have always used."""

from django.urls import path

from . import order_pages as views

app_name = "orders"
urlpatterns = [
    path("orders/", views.my_orders, name="mine"),
    path("orders/track/", views.track, name="track"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/t/<str:token>/", views.track_link, name="track-link"),
]
