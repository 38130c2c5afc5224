from rest_framework.routers import SimpleRouter

from .views import ExportViewSet, InvoiceViewSet, PayoutViewSet, StoreMoneyViewSet

router = SimpleRouter()
router.register("payments/payouts", PayoutViewSet, basename="payout")
router.register("payments/invoices", InvoiceViewSet, basename="invoice")
router.register("payments/exports", ExportViewSet, basename="money-export")
router.register(
    r"payments/stores/(?P<store_slug>[^/.]+)", StoreMoneyViewSet, basename="store-money"
)
