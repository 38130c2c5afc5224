"""Builders for the catalogue's tests (items, artwork from the project's samples, a store's
offers with a reduction): what HQ and a store would set up through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from catalog.models import PriceHistory
from marketing_hub.models import Artwork, ArtworkField, Campaign, MarketingItem, PriceTier
from marketing_hub.services.artwork import install_sample_artwork
from stores.models import StockLevel, Store
from stores.services import update_offer

from ..factories import ProductFactory, VariantFactory

_counter = {"n": 0}


def make_item(*, tiers=((250, 3900), (1000, 8900), (5000, 29900)), **fields) -> MarketingItem:
    _counter["n"] += 1
    defaults = {
        "kind": MarketingItem.Kind.PRINT,
        "print_format": MarketingItem.PrintFormat.FLYER,
        "reference": f"MKT-{_counter['n']:04d}",
        "name": "Flyer A5 Printemps au jardin",
        "lead_time_days": 6,
    }
    defaults.update(fields)
    stores = defaults.pop("for_stores", [])
    item = MarketingItem.objects.create(**defaults)
    item.for_stores.set(stores)
    for quantity, price in tiers:
        PriceTier.objects.create(item=item, quantity=quantity, price_cents=price)
    return item


def make_campaign(*, name="Printemps au jardin 2027", slug="printemps-2027", days=(-10, 50)):
    today = timezone.localdate()
    return Campaign.objects.create(
        name=name, slug=slug, starts_on=today + timedelta(days=days[0]),
        ends_on=today + timedelta(days=days[1]),
    )  # fmt: skip


def add_sample_artwork(item: MarketingItem, sample: str = "flyer-a5", actor="test") -> Artwork:
    """HQ installs the project's sample artwork `sample` on the item (what the demo does)."""
    return install_sample_artwork(item=item, sample=sample, actor=actor)


def field_of(artwork: Artwork, key: str) -> ArtworkField:
    return artwork.fields.get(key=key)


def offer(
    store: Store, *, name="Sécateur de précision Ardoise", price_cents=2990, rrp_cents=2990,
    options=None,
) -> StockLevel:  # fmt: skip
    """The store sells a variant at `price_cents` (None: the RRP), since 40 days."""
    variant = VariantFactory(
        product=ProductFactory(name=name), rrp_cents=rrp_cents, options=options or {}
    )
    level = update_offer(
        store=store, variant=variant, on_hand=12, price_cents=price_cents, source="test",
        actor="test",
    )  # fmt: skip
    PriceHistory.objects.filter(variant=variant).update(
        started_at=timezone.now() - timedelta(days=40)
    )
    return level


def reduce(level: StockLevel, *, to_cents: int) -> StockLevel:
    """The store announces its offer as reduced to `to_cents` (the storefront's rule)."""
    return update_offer(
        store=level.store, variant=level.variant, price_cents=to_cents, reduction=True,
        source="test", actor="test",
    )  # fmt: skip


SPLIT_DAY = [["09:00", "12:30"], ["14:00", "19:00"]]
WEEK = {
    "mon": [], "tue": SPLIT_DAY, "wed": SPLIT_DAY, "thu": SPLIT_DAY,
    "fri": [["09:00", "19:00"]], "sat": [["09:00", "19:00"]], "sun": [],
}  # fmt: skip


def with_hours(store: Store) -> Store:
    """The store publishes its opening hours (what a flyer's verso prints)."""
    store.opening_hours = WEEK
    store.save(update_fields=["opening_hours"])
    return store
