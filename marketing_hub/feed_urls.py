"""Public, secret-URL feeds of the digital packs (/marketing/feeds/): a store's local inventory."""

from django.urls import URLPattern

app_name = "marketing_feeds"
urlpatterns: list[URLPattern] = []
