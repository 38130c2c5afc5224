"""The /api/v1/ router: each app contributes its viewsets from its own api/ package."""

from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.routers import APIRootView, DefaultRouter

from catalog.api.urls import router as catalog_router
from checkout.api.urls import router as orders_router
from fulfillment.api.returns import MyReturnViewSet, StoreReturnViewSet
from fulfillment.api.urls import router as fulfillment_router
from marketing_hub.api.urls import router as marketing_router
from payments.api.urls import router as payments_router
from stores.api.urls import router as stores_router
from stores.api.views import WhoAmIView
from stores.api.webhooks import WebhookEndpointViewSet


class NetworkApiRoot(APIRootView):
    """Network Marketplace API, version 1. Every endpoint below needs an API key or a session."""

    # Open data: a session without its second factor may read it (stores.authentication).
    readable_without_second_factor = True

    permission_classes = [AllowAny]


router = DefaultRouter()
router.APIRootView = NetworkApiRoot
router.registry.extend(catalog_router.registry)
router.registry.extend(stores_router.registry)
router.registry.extend(orders_router.registry)
router.registry.extend(fulfillment_router.registry)
router.registry.extend(payments_router.registry)
router.registry.extend(marketing_router.registry)
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("my/returns", MyReturnViewSet, basename="my-return")
router.register(
    r"stores/(?P<store_slug>[^/.]+)/returns", StoreReturnViewSet, basename="store-return"
)

urlpatterns = [
    path("me/", WhoAmIView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
