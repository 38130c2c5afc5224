"""The store's payment account pages, included under /store/<slug>/ by stores/backoffice_urls.py
(namespace "backoffice")."""

from django.urls import path

from . import backoffice_views as views

urlpatterns = [
    path("payments/", views.payment_account, name="payment-account"),
    path("payments/onboarding/", views.onboarding, name="payment-onboarding"),
]
