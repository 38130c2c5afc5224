from celery.signals import task_prerun
from django.apps import AppConfig
from django.core.signals import request_started
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class NetworkMarketplaceConfig(AppConfig):
    name = "network_marketplace"
    verbose_name = _("Network Marketplace")

    def ready(self) -> None:
        # The outbox handlers for e-mails and webhooks, in every process (web and worker).
        from . import notifications, webhooks  # noqa: F401
        from .api import schema  # noqa: F401 - the schema's list bounds (a field extension)
        from .db_routers import start_unit_of_work, watch_connection
        from .search import register_sqlite_fold

        # Database plumbing, not business flow: SQLite connections learn accent folding.
        connection_created.connect(register_sqlite_fold, dispatch_uid="nm-sqlite-fold")
        # The read replica's rules (db_routers): writes pin a request or task to the primary.
        connection_created.connect(watch_connection, dispatch_uid="nm-replica-watch")
        request_started.connect(start_unit_of_work, dispatch_uid="nm-replica-request")
        task_prerun.connect(start_unit_of_work, dispatch_uid="nm-replica-task", weak=False)
