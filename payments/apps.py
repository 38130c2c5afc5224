from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The outbox handlers (refunds, payouts, transfers and their reversals, provider events).
        from . import payouts, postings, provider_events, services  # noqa: F401
