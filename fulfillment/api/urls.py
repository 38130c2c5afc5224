from rest_framework.routers import SimpleRouter

from stores.api.urls import STORE

from .views import StoreFulfilmentViewSet

router = SimpleRouter()
router.register(f"{STORE}/fulfilments", StoreFulfilmentViewSet, basename="store-fulfilment")
