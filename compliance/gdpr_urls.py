"""The customer's "My data" pages, under her account: /accounts/data/ (config/urls.py)."""

from django.urls import path

from .views import gdpr as views

app_name = "gdpr"
urlpatterns = [
    path("", views.your_data, name="data"),
    path("export/", views.request_export, name="request-export"),
    path("exports/<str:token>/", views.download, name="download"),
    path("close/", views.close_account, name="close"),
]
