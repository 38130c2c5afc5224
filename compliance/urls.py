from django.urls import path

from .views import complaints, consents, legal, notices, p2b_public, public_reports

app_name = "legal"
urlpatterns = [
    path("notices/new/", notices.notice_form, name="notice_form"),
    path("notices/<str:reference>/sent/", notices.notice_sent, name="notice_sent"),
    path("complaints/<str:reference>/sent/", complaints.complaint_sent, name="complaint_sent"),
    path("complaints/<str:token>/", complaints.complaint_form, name="complaint"),
    # P2B (issue 12): the stores' terms, ranking parameters, data access.
    path("store-terms/", p2b_public.store_terms, name="store-terms"),
    path("store-terms/v<int:version>.pdf", p2b_public.store_terms_pdf, name="store-terms-pdf"),
    path("ranking/", p2b_public.ranking_page, name="ranking"),
    path("data-access/", p2b_public.data_access_page, name="data-access"),
    # Part C2: transparency reports (DSA art. 15, 24) and illegal products (art. 32).
    path("transparency/", public_reports.transparency, name="transparency"),
    path(
        "transparency/<int:year>.<str:fmt>",
        public_reports.transparency_download,
        name="transparency-download",
    ),
    path("illegal-products/", public_reports.illegal_products, name="illegal-products"),
    # GDPR (issue 13): the cookie notice with the visitor's choice, and the choice itself.
    path("cookies/", consents.cookies_page, name="cookies"),
    path("cookies/choice/", consents.cookie_choice, name="cookie-choice"),
    path("<slug:page>/", legal.legal_page, name="page"),
]
