"""The "Compliance" (Conformité) section of the back-office, relative to /store/<slug>/ (under
compliance/): the store's statements of reasons and its complaints against them. Mounted by
config/urls.py (namespace "backoffice"); C3 adds its P2B pages here."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from .views import backoffice

urlpatterns = [
    path("compliance/", backoffice.statements, name="compliance"),
    path(
        "compliance/statements/<uuid:uuid>/",
        backoffice.statement_detail,
        name="compliance-statement",
    ),
]

navigation = [
    Section(
        key="compliance",
        label=_("Compliance"),
        url_name="backoffice:compliance",
        order=115,
        current_on=frozenset({"compliance-statement"}),
        testid="nav-compliance",
    ),
]
