"""The suppliers' portal (/supplier/): their lines, print files, produced and shipped."""

from django.urls import path

from . import supplier_views

app_name = "marketing_supplier"
urlpatterns = [
    path("", supplier_views.lines, name="lines"),
    path("lines/<int:pk>/produced/", supplier_views.mark_produced, name="line-produced"),
    path("lines/<int:pk>/shipped/", supplier_views.mark_shipped, name="line-shipped"),
    path("lines/<int:pk>/print.pdf", supplier_views.line_file, name="line-file"),
    path("files/<str:token>/", supplier_views.signed_file, name="print-file"),
]
