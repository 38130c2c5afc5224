"""How fresh each location's stock feed is: the time of its last applied batch, read from the
audit trail that every applied batch writes (`stores.services.feeds`), so no second copy of it
is kept on the store. HQ's control tower and the stores' admin list flag the late ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from network_marketplace.models import AuditEvent

from ..models import StockPolicy, Store

# The audit action of an applied feed batch (API, file upload or bulk path alike).
FEED_APPLIED = "stock.feed_applied"


def with_last_feed(stores: QuerySet[Store]) -> QuerySet[Store]:
    """`stores` annotated with `last_feed_at` (None: never fed). One index probe per store on
    the audit trail's feed index (network_marketplace 0006), in the same query."""
    last = (
        AuditEvent.objects.filter(action=FEED_APPLIED, store_id=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return stores.annotate(last_feed_at=Subquery(last))


def feed_late_before(*, now: datetime | None = None, policy: StockPolicy | None = None) -> datetime:
    """The moment before which a last feed is late: now less HQ's limit."""
    policy = policy or StockPolicy.current()
    return (now or timezone.now()) - timedelta(hours=policy.feed_max_age_hours)


def late_feed_q(cutoff: datetime) -> Q:
    """On a `with_last_feed` queryset: the locations never fed, or last fed before `cutoff`."""
    return Q(last_feed_at__isnull=True) | Q(last_feed_at__lt=cutoff)


def fed_locations() -> QuerySet[Store]:
    """The locations expected to send a stock feed: active stores and warehouses."""
    return Store.objects.filter(status=Store.Status.ACTIVE)
