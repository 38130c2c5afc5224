from rest_framework.routers import SimpleRouter

from .views import ProductViewSet, VariantViewSet

router = SimpleRouter()
router.register("products", ProductViewSet, basename="product")
router.register("variants", VariantViewSet, basename="variant")
