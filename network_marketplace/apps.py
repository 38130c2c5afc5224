from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkMarketplaceConfig(AppConfig):
    name = "network_marketplace"
    verbose_name = _("Network Marketplace")
