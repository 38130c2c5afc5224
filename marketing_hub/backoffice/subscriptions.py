"""The back-office's Marketing pages: subscriptions (relative to /store/<slug>/marketing/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
