"""The customer's consents page, under her account (/accounts/consents/): accounts sits below
compliance, so compliance mounts the page and the account's navigation links to it."""

from django.urls import path

from .views import consents

app_name = "consents"
urlpatterns = [
    path("", consents.my_consents, name="mine"),
]
