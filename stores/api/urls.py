from rest_framework.routers import SimpleRouter

from .views import AvailabilityViewSet, StoreMovementViewSet, StoreStockViewSet, StoreViewSet

STORE = r"stores/(?P<store_slug>[^/.]+)"

router = SimpleRouter()
router.register("stores", StoreViewSet, basename="store")
router.register(f"{STORE}/stock", StoreStockViewSet, basename="store-stock")
router.register(f"{STORE}/movements", StoreMovementViewSet, basename="store-movement")
router.register("availability", AvailabilityViewSet, basename="availability")
