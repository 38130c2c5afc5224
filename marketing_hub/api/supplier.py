"""The marketing hub's API: supplier. `register(router)` adds this module's viewsets."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Nothing yet."""
