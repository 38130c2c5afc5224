"""The marketing hub's Celery tasks (found by autodiscovery through this package)."""

from . import orders, subscriptions  # noqa: F401 (registers the tasks)
