"""What the digital packs produce for a store, from the platform's own data, kept as
`Deliverable` files (private: served only to the store, HQ, or the feed's secret URL).

Each kind is rebuilt from its source (the store's listing, its stock and prices, HQ's posts
of the month); a digest of that source is kept beside the file, so the beat job and a store's
"regenerate" rewrite a file only when its source changed. One file per store, kind and month:
this month's is replaced, earlier months' stay as they were.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from stores.models import Store

from ...models import Deliverable, Subscription, SubscriptionPlan
from ..periods import month_start
from . import gbp, local_ads, social

logger = logging.getLogger(__name__)

K = Deliverable.Kind
PACK_KINDS: dict[str, tuple[str, ...]] = {
    SubscriptionPlan.Pack.GBP: (K.GBP_SHEET,),
    SubscriptionPlan.Pack.LOCAL_ADS: (K.LOCAL_INVENTORY, K.CAMPAIGN_BRIEF),
    SubscriptionPlan.Pack.SOCIAL_POSTS: (K.SOCIAL_CALENDAR,),
}
CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".tsv": "text/tab-separated-values; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".zip": "application/zip",
}
LIVE = (Subscription.Status.ACTIVE, Subscription.Status.CANCELLING)


@dataclass(frozen=True)
class Built:
    """A deliverable's content before it is kept: its file(s) and its source's digest."""

    filename: str
    content: bytes
    digest: str
    extra_filename: str = ""
    extra_content: bytes = b""


def _digest(source: object) -> str:
    return hashlib.sha256(json.dumps(source, sort_keys=True, default=str).encode()).hexdigest()


def build(kind: str, *, subscription: Subscription, period: date, today: date) -> Built:
    """Build one deliverable of `subscription`'s store for `period`'s month."""
    store = subscription.store
    stem = f"{store.slug}-{period:%Y-%m}"
    if kind == K.GBP_SHEET:
        row = gbp.listing_row(store, today=today)
        return Built(
            filename=f"gbp-{stem}.xlsx",
            content=gbp.listing_xlsx(row),
            digest=_digest(row),
            extra_filename=f"gbp-{stem}.csv",
            extra_content=gbp.listing_csv(row),
        )
    rows = local_ads.inventory_rows(store)
    if kind == K.LOCAL_INVENTORY:
        return Built(
            filename=f"local-inventory-{stem}.tsv",
            content=local_ads.inventory_tsv(rows),
            digest=_digest([row.values() for row in rows]),
        )
    if kind == K.CAMPAIGN_BRIEF:
        source = {
            "rows": [row.values() for row in rows],
            "plan": [subscription.plan_id, subscription.plan.price_cents],
            "catchment": [store.catchment_radius_km, store.catchment_postal_codes],
            "store": [store.name, store.city],
        }
        return Built(
            filename=f"campaign-brief-{stem}.html",
            content=local_ads.campaign_brief(subscription=subscription, period=period, rows=rows),
            digest=_digest(source),
        )
    if kind == K.SOCIAL_CALENDAR:
        templates = social.month_templates(period)
        posts = social.personalise(
            store=store,
            templates=templates,
            period=period,
            rows=rows,
            reductions=local_ads.reduced_offers(store, rows),
        )
        calendar = [
            [post.day, post.title, post.text, post.template.pk, post.template.image.name]
            for post in posts
        ]
        return Built(
            filename=f"social-posts-{stem}.zip",
            content=social.calendar_zip(posts, store=store),
            digest=_digest({"posts": calendar, "store": store.name}),
        )
    raise ValueError(f"Unknown deliverable kind {kind!r}")


def generate_deliverables(
    *, subscription: Subscription, today: date | None = None, force: bool = False
) -> list[Deliverable]:
    """(Re)build this month's deliverables of `subscription`'s pack; returns those written
    (a file whose source did not change is left as it is, unless `force`)."""
    today = today or timezone.localdate()
    period = month_start(today)
    subscription = Subscription.objects.select_related("store", "plan").get(pk=subscription.pk)
    written = []
    for kind in PACK_KINDS.get(subscription.plan.pack, ()):
        built = build(kind, subscription=subscription, period=period, today=today)
        deliverable = _keep(built, kind=kind, subscription=subscription, period=period, force=force)
        if deliverable is not None:
            written.append(deliverable)
    return written


def _keep(
    built: Built, *, kind: str, subscription: Subscription, period: date, force: bool
) -> Deliverable | None:
    store = subscription.store
    with transaction.atomic():
        Deliverable.objects.get_or_create(
            store=store,
            kind=kind,
            period_start=period,
            defaults={"subscription": subscription, "generated_at": timezone.now()},
        )
        deliverable = Deliverable.objects.select_for_update().get(
            store=store, kind=kind, period_start=period
        )
        if deliverable.file and deliverable.source_digest == built.digest and not force:
            return None
        old = [f.name for f in (deliverable.file, deliverable.extra_file) if f and f.name]
        deliverable.subscription = subscription
        deliverable.source_digest = built.digest
        deliverable.generated_at = timezone.now()
        deliverable.file.save(built.filename, ContentFile(built.content), save=False)
        if built.extra_filename:
            deliverable.extra_file.save(
                built.extra_filename, ContentFile(built.extra_content), save=False
            )
        deliverable.save()
        storage = deliverable.file.storage
        kept = {deliverable.file.name, deliverable.extra_file.name}
        stale = [name for name in old if name not in kept]

        def delete_stale() -> None:
            for name in stale:
                storage.delete(name)

        transaction.on_commit(delete_stale)
    return deliverable


def live_subscriptions(today: date) -> QuerySet[Subscription]:
    """Subscriptions whose pack works today: active or under notice, not past their end."""
    return (
        Subscription.objects.filter(status__in=LIVE, started_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .select_related("store", "plan")
        .order_by("pk")
    )


def refresh_deliverables(*, today: date | None = None) -> list[Deliverable]:
    """The beat job: every live subscription's deliverables rebuilt where their source
    changed. One store's failure is logged and the others go on."""
    today = today or timezone.localdate()
    written: list[Deliverable] = []
    for subscription in live_subscriptions(today):
        try:
            written += generate_deliverables(subscription=subscription, today=today)
        except Exception:
            logger.exception("deliverables of subscription %s failed", subscription.pk)
    return written


def latest_feed(store: Store, *, today: date | None = None) -> Deliverable | None:
    return (
        Deliverable.objects.filter(store=store, kind=K.LOCAL_INVENTORY)
        .order_by("-period_start")
        .first()
    )


def content_type_of(name: str) -> str:
    for suffix, content_type in CONTENT_TYPES.items():
        if name.endswith(suffix):
            return content_type
    return "application/octet-stream"
