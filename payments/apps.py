from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The outbox handlers that send refunds and payouts to the provider, in every process.
        from . import payouts, services  # noqa: F401
