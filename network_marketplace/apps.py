from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class NetworkMarketplaceConfig(AppConfig):
    name = "network_marketplace"
    verbose_name = _("Network Marketplace")

    def ready(self) -> None:
        # The outbox handlers for e-mails and webhooks, in every process (web and worker).
        from . import notifications, webhooks  # noqa: F401
        from .api import schema  # noqa: F401 - the schema's list bounds (a field extension)
        from .search import register_sqlite_fold

        # Database plumbing, not business flow: SQLite connections learn accent folding.
        connection_created.connect(register_sqlite_fold, dispatch_uid="nm-sqlite-fold")
