from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingHubConfig(AppConfig):
    name = "marketing_hub"
    verbose_name = _("Marketing hub")

    def ready(self) -> None:
        # The lifecycles, and the marketing orders' webhook event types they add to
        # network_marketplace.webhooks.EVENT_TYPES.
        # Part M3: the subscriptions' webhook event.
        from . import (
            states,  # noqa: F401
            subscription_webhooks,
        )

        subscription_webhooks.register()
