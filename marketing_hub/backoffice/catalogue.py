"""The back-office's Marketing pages: catalogue (relative to /store/<slug>/marketing/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
