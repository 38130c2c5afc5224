"""The store's P2B pages in the back-office, relative to /store/<slug>/, and their navigation
entries; mounted by config/urls.py (namespace "backoffice")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from .views import p2b_backoffice as views

urlpatterns = [
    path("terms/", views.terms_page, name="p2b-terms"),
    path("terms/decide/", views.decide_terms, name="p2b-terms-decide"),
    path("terms/v<int:version>.pdf", views.terms_pdf, name="p2b-terms-pdf"),
    path("ranking/", views.ranking_page, name="p2b-ranking"),
    path("data/", views.data_page, name="p2b-data"),
    path("data/exports/", views.request_export, name="p2b-export-request"),
    path("data/exports/<int:pk>/", views.export_status, name="p2b-export-status"),
    path("data/exports/<int:pk>/download/", views.export_download, name="p2b-export-download"),
    path("complaints/", views.complaints_page, name="p2b-complaints"),
    path("complaints/<int:pk>/", views.complaint_page, name="p2b-complaint"),
]

navigation = [
    Section(
        key="p2b-terms",
        label=_("Terms and data"),
        url_name="backoffice:p2b-terms",
        order=116,
        current_on=frozenset({"p2b-ranking", "p2b-data", "p2b-terms-decide", "p2b-export-status"}),
        testid="nav-p2b-terms",
    ),
    Section(
        key="p2b-complaints",
        label=_("Complaints to HQ"),
        url_name="backoffice:p2b-complaints",
        order=117,
        current_on=frozenset({"p2b-complaint"}),
        testid="nav-p2b-complaints",
    ),
]
