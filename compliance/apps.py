from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from .services.measures import register_webhook_events

        register_webhook_events()
        # P2B: the outbox handlers (terms e-mails with their PDF, store exports to the worker).
        from . import tasks  # noqa: F401
        from .services import terms  # noqa: F401
