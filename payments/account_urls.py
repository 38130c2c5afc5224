"""The store's payment account pages in the back-office, relative to /store/<slug>/, and their
entry in the navigation (owners and HQ only); mounted by config/urls.py (namespace
"backoffice")."""

from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section
from stores.models import Store

from . import backoffice_views as views
from .selectors import may_see_payment_account


def _sees_payment_account(request: HttpRequest, store: Store) -> bool:
    return may_see_payment_account(
        user=request.user, membership=getattr(request, "membership", None)
    )


urlpatterns = [
    path("payments/", views.payment_account, name="payment-account"),
    path("payments/onboarding/", views.onboarding, name="payment-onboarding"),
]

navigation = [
    Section(
        key="payment-account",
        label=_("Payment account"),
        url_name="backoffice:payment-account",
        order=100,
        testid="nav-payment-account",
        visible=_sees_payment_account,
    ),
]
