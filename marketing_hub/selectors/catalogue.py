"""The catalogue as a store sees it: the items it may order today, their tiers, the current
artwork, its own proofs, and the offers it may print on a product field.

Who may order an item: it is active; the store is in its audience (franchises, branches, or
named in its list); today is inside its ordering window (`orderable_from`/`orderable_until`),
or, without a window of its own, on or before the last day of its campaign (print is ordered
ahead of a campaign, never after it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.selectors import Reduction, hq_reductions
from network_marketplace.errors import DomainError
from stores.models import StockLevel, Store
from stores.selectors import offer_reductions

from ..models import Artwork, ItemPicture, MarketingItem, PriceTier, Proof

MAX_PRODUCT_CHOICES = 300


class QuantityNotInTiers(DomainError):
    """This quantity is not one of the item's price tiers."""

    code = "quantity_not_in_tiers"


def _audience(store: Store) -> Q:
    listed = Exists(
        MarketingItem.for_stores.through.objects.filter(
            marketingitem_id=OuterRef("pk"), store_id=store.pk
        )
    )
    audience = Q(listed)
    if store.kind == Store.Kind.FRANCHISE:
        audience |= Q(for_franchises=True)
    elif store.kind == Store.Kind.BRANCH:
        audience |= Q(for_branches=True)
    return audience


def _window(today: date) -> Q:
    own_window = Q(orderable_from__isnull=False) | Q(orderable_until__isnull=False)
    inside_own = (Q(orderable_from__isnull=True) | Q(orderable_from__lte=today)) & (
        Q(orderable_until__isnull=True) | Q(orderable_until__gte=today)
    )
    by_campaign = Q(campaign__isnull=True) | Q(campaign__ends_on__gte=today)
    return (own_window & inside_own) | (~own_window & by_campaign)


def orderable_items(
    *,
    store: Store,
    campaign: int | str | None = None,
    kind: str | None = None,
    today: date | None = None,
) -> QuerySet[MarketingItem]:
    """The items `store` may order on `today` (default: today), optionally of one campaign
    (id or slug) and one kind, with `price_from_cents` (the cheapest tier) annotated and the
    campaign, pictures and tiers fetched for a listing."""
    today = today or timezone.localdate()
    items = MarketingItem.objects.filter(is_active=True).filter(_audience(store), _window(today))
    if campaign:
        items = items.filter(
            Q(campaign__slug=campaign)
            if not str(campaign).isdigit()
            else Q(campaign_id=int(campaign))
        )
    if kind:
        items = items.filter(kind=kind)
    cheapest = PriceTier.objects.filter(item=OuterRef("pk")).order_by("price_cents")
    return (
        items.select_related("campaign", "supplier")
        .annotate(price_from_cents=Subquery(cheapest.values("price_cents")[:1]))
        .prefetch_related(
            Prefetch("pictures", queryset=ItemPicture.objects.order_by("position", "id")),
            Prefetch("tiers", queryset=PriceTier.objects.order_by("quantity")),
        )
        .order_by("campaign__starts_on", "kind", "name", "pk")
    )


def orderable_item(*, store: Store, item_id: int, today: date | None = None) -> MarketingItem:
    """One item `store` may order today; MarketingItem.DoesNotExist otherwise (a 404)."""
    return orderable_items(store=store, today=today).get(pk=item_id)


def _quantity(value: int) -> str:
    return number_format(value, force_grouping=True)


def tier_for(item: MarketingItem, quantity: int) -> PriceTier:
    """The price tier of exactly `quantity` units of `item`; QuantityNotInTiers (with the
    quantities offered) for any other quantity."""
    tiers = list(PriceTier.objects.filter(item=item).order_by("quantity"))
    for tier in tiers:
        if tier.quantity == quantity:
            return tier
    offered = [_quantity(tier.quantity) for tier in tiers]
    if not offered:
        message = _("%(item)s has no price yet: it cannot be ordered.") % {"item": item.name}
    else:
        message = _(
            "%(quantity)s is not a quantity offered for %(item)s: choose one of %(offered)s."
        ) % {"quantity": _quantity(quantity), "item": item.name, "offered": ", ".join(offered)}
    raise QuantityNotInTiers(message, quantity=quantity, offered=" ".join(map(str, offered)))


def current_artwork(item: MarketingItem) -> Artwork | None:
    """The artwork version stores personalise today (None: the item is not personalised)."""
    return (
        Artwork.objects.filter(item=item, is_current=True)
        .prefetch_related("fields")
        .select_related("item")
        .first()
    )


def campaigns_with_items(*, store: Store, today: date | None = None) -> list[tuple[int, str]]:
    """(id, name) of the campaigns the store has items to order in, for a filter."""
    items = orderable_items(store=store, today=today).filter(campaign__isnull=False)
    seen: dict[int, str] = {}
    for campaign_id, name in items.values_list("campaign_id", "campaign__name"):
        seen.setdefault(campaign_id, name)
    return sorted(seen.items(), key=lambda pair: pair[1])


# Proofs --------------------------------------------------------------------------------------


def store_proofs(store: Store) -> QuerySet[Proof]:
    """The tenancy rule for proofs: every store-scoped page and endpoint starts here."""
    return Proof.objects.filter(store=store).select_related("artwork", "artwork__item")


def latest_proof(*, store: Store, artwork: Artwork) -> Proof | None:
    return store_proofs(store).filter(artwork=artwork).order_by("-number").first()


# Products a store may print ------------------------------------------------------------------


@dataclass(frozen=True)
class ProductChoice:
    """One of the store's own offers, as a product field prints it."""

    variant_id: int
    sku: str
    name: str
    option_label: str
    price_cents: int
    reduction: Reduction | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.option_label})" if self.option_label else self.name


def product_choices(
    *, store: Store, search: str = "", skus: list[str] | None = None
) -> list[ProductChoice]:
    """The store's own offers of active, published products (its price: its own or the RRP),
    with the reduction it runs if any (the Omnibus reference read like the storefront does):
    at most MAX_PRODUCT_CHOICES, by product name, or exactly those of `skus`."""
    levels = (
        StockLevel.objects.for_store(store)
        .filter(variant__is_active=True, variant__product__status=Product.Status.PUBLISHED)
        .select_related("variant", "variant__product")
    )
    if skus is not None:
        levels = levels.filter(variant__sku__in=skus)
    elif search:
        levels = levels.filter(
            Q(variant__product__name__icontains=search) | Q(variant__sku__iexact=search)
        )
    rows = list(
        levels.order_by("variant__product__name", "variant__position", "variant__sku")[
            :MAX_PRODUCT_CHOICES
        ]
    )
    now = timezone.now()
    store_reductions = offer_reductions(
        [(store.pk, level.variant_id) for level in rows if level.price_cents is not None], now=now
    )
    hq = hq_reductions([level.variant for level in rows if level.price_cents is None], now=now)
    return [
        ProductChoice(
            variant_id=level.variant_id,
            sku=level.variant.sku,
            name=level.variant.product.name,
            option_label=level.variant.option_label,
            price_cents=level.effective_price_cents,
            reduction=(
                store_reductions.get((store.pk, level.variant_id))
                if level.price_cents is not None
                else hq.get(level.variant_id)
            ),
        )
        for level in rows
    ]
