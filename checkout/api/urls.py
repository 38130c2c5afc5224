from rest_framework.routers import SimpleRouter

from .views import CheckoutViewSet, OrderViewSet

router = SimpleRouter()
router.register("checkout", CheckoutViewSet, basename="checkout")
router.register("orders", OrderViewSet, basename="order")
