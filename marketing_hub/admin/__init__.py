"""HQ's admin for the marketing hub, one module per topic."""

from . import catalogue, dashboard, orders, subscriptions  # noqa: F401 (registers the admins)
