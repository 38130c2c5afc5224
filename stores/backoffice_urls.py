from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.backoffice_index, name="index"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/api-keys/", views.api_keys, name="api-keys"),
    path("<slug:slug>/api-keys/<int:key_id>/revoke/", views.revoke_key, name="revoke-key"),
]
