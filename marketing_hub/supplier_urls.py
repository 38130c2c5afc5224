"""The suppliers' portal (/supplier/): their lines, print files, produced and shipped."""

from django.urls import URLPattern

app_name = "marketing_supplier"
urlpatterns: list[URLPattern] = []
