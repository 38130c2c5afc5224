from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/<int:pk>/", views.edit_address, name="edit-address"),
    path("addresses/<int:pk>/default/", views.default_address, name="default-address"),
    path("addresses/<int:pk>/remove/", views.remove_address, name="remove-address"),
    path("store/", views.favourite_store, name="store"),
]
