from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingHubConfig(AppConfig):
    name = "marketing_hub"
    verbose_name = _("Marketing hub")

    def ready(self) -> None:
        # Part M3: the subscriptions' webhook event.
        from . import subscription_webhooks

        subscription_webhooks.register()
