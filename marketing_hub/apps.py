from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingHubConfig(AppConfig):
    name = "marketing_hub"
    verbose_name = _("Marketing hub")

    def ready(self) -> None:
        # The lifecycles (they add the marketing orders' webhook event types to
        # network_marketplace.webhooks.EVENT_TYPES), and the subscriptions' event (part M3).
        from . import states, subscription_webhooks  # noqa: F401

        subscription_webhooks.register()
