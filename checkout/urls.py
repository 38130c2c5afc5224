"""The storefront's cart and checkout pages. The confirmation pages stay under /orders/<number>/
(the links customers were given keep working)."""

from django.urls import path

from . import cart_views, views

app_name = "checkout"
urlpatterns = [
    path("cart/", cart_views.cart, name="cart"),
    path("cart/add/", cart_views.cart_add, name="cart-add"),
    path("cart/lines/<int:line_id>/", cart_views.cart_line_update, name="cart-line"),
    path("cart/lines/<int:line_id>/remove/", cart_views.cart_line_remove, name="cart-line-remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<str:number>/confirmation/", views.confirmation, name="confirmation"),
    path("orders/<str:number>/check-payment/", views.check_payment, name="check-payment"),
]
