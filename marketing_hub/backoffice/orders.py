"""The back-office's Marketing pages: orders (relative to /store/<slug>/marketing/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
