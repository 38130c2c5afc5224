from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from orders import hooks as orders_hooks
from stores import hooks as stores_hooks


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from .services.measures import register_webhook_events
        from .services.traders import missing_trader_records

        register_webhook_events()
        # P2B: the outbox handlers (terms e-mails with their PDF, store exports to the worker).
        from . import tasks  # noqa: F401
        from .services import terms  # noqa: F401

        # What the store lifecycle asks of compliance before a store's first activation (C2).
        stores_hooks.trader_records_missing.register(missing_trader_records)
        # GDPR (issue 13): the checkout's marketing boxes go to the consent ledger.
        from .services.consents import record_checkout_choices

        orders_hooks.record_marketing_choices.register(record_checkout_choices)
