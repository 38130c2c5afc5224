from django.urls import path

from . import storefront_views

app_name = "catalogue"
urlpatterns = [
    path("c/<slug:slug>/", storefront_views.category_listing, name="category"),
    path("p/<slug:slug>/", storefront_views.product_detail, name="product"),
]
