from django.urls import path

from . import public_views, views

app_name = "legal"
urlpatterns = [
    # Part C2: transparency reports (DSA art. 15, 24) and illegal products (art. 32).
    path("transparency/", public_views.transparency, name="transparency"),
    path(
        "transparency/<int:year>.<str:fmt>",
        public_views.transparency_download,
        name="transparency-download",
    ),
    path("illegal-products/", public_views.illegal_products, name="illegal-products"),
    path("<slug:page>/", views.legal_page, name="page"),
]
