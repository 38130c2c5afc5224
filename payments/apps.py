from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The outbox handlers (refunds, payouts, transfers and their reversals), in every process.
        from . import payouts, postings, services  # noqa: F401
