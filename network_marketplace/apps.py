from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkMarketplaceConfig(AppConfig):
    name = "network_marketplace"
    verbose_name = _("Network Marketplace")

    def ready(self) -> None:
        # The outbox handlers for e-mails and webhooks, in every process (web and worker).
        from . import notifications, webhooks  # noqa: F401
