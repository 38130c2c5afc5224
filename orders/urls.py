from django.urls import path

from . import storefront_views as views

app_name = "orders"
urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/lines/<int:line_id>/", views.cart_line_update, name="cart-line"),
    path("cart/lines/<int:line_id>/remove/", views.cart_line_remove, name="cart-line-remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.my_orders, name="mine"),
    path("orders/track/", views.track, name="track"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/confirmation/", views.confirmation, name="confirmation"),
    path("orders/<str:number>/check-payment/", views.check_payment, name="check-payment"),
    path("orders/<str:number>/t/<str:token>/", views.track_link, name="track-link"),
]
