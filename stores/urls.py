from django.urls import path

from . import storefront_views

app_name = "stores"
urlpatterns = [
    path("", storefront_views.store_list, name="list"),
    path("<slug:slug>/", storefront_views.store_detail, name="detail"),
]
