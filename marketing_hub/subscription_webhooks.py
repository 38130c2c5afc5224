"""The webhook events of the digital packs' subscriptions, added to the platform's list by
`MarketingHubConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from network_marketplace.webhooks import EVENT_TYPES

from .states import SUBSCRIPTION_WEBHOOK


def register() -> None:
    EVENT_TYPES[SUBSCRIPTION_WEBHOOK] = _(
        "A store's digital-pack subscription changed: paused, resumed, cancelled or ended."
    )
