"""The marketing hub's viewsets, merged into /api/v1/ by config/api_urls.py."""

from rest_framework.routers import DefaultRouter

from . import catalogue, orders, subscriptions, supplier

router = DefaultRouter()
for module in (catalogue, orders, subscriptions, supplier):
    module.register(router)
