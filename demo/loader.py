"""Writes the demo network read from demo/data/: logins, stores, catalogue, stock, offers and a
few orders, idempotently.

Rows are upserted by their natural keys (category and product slug, variant SKU); stock
levels that already exist are left alone, so running the loader again after orders moved
stock changes nothing and adds no movement. Everything goes through bulk statements: the
whole demo loads in seconds on SQLite.
"""

from __future__ import annotations

import functools
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.selectors import address_book, profile_of
from accounts.services import choose_favourite_store, save_address, update_profile
from catalog.models import SAFETY_FIELDS, Category, PriceHistory, Product, ProductImage, Variant
from catalog.selectors import percent_of, price_bounds_for_variants
from catalog.services import record_hq_price_changes
from checkout.services import CheckoutLine, place_order
from compliance.models import TraderCertification, TraderEvidence
from compliance.services.consents import record_checkout_choices
from compliance.services.traders import certify_trader, is_trader, update_trader_evidence
from fulfillment import services as steps
from network_marketplace.models import User
from orders.models import FulfilmentMethod, Order
from orders.services import CustomerDetails
from stores.models import PostalCode, StockLevel, StockMovement, Store, StoreMembership
from stores.services import effective_safety_stock, update_offer

from . import compliance, marketing, scorecards
from .catalogue import categories, demo_products, image_alt, product_svg, shelf_price
from .network import WAREHOUSE, network, regional_phone, store_profile, trader_identity

IMAGE_FOLDER = "products/demo"
INITIAL_STOCK_REFERENCE = "demo initial stock"
STORE_PRICE_PERCENTS = (90, 93, 95, 97, 98, 102, 105)


def load_network() -> None:
    """The site, HQ's and the customer's logins, the stores and their owners' logins."""
    demo = network()
    domain = urlsplit(settings.SITE_URL).netloc  # the address e-mails link to
    Site.objects.update_or_create(pk=1, defaults={"domain": domain, "name": settings.NETWORK_NAME})
    _user(demo.hq.email, first_name=demo.hq.first_name, last_name=demo.hq.last_name, is_staff=True)
    customer = _user(
        demo.customer.email, first_name=demo.customer.first_name, last_name=demo.customer.last_name
    )
    catchments = store_catchments()
    for index, spec in enumerate(demo.stores):
        store, _created = Store.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "status": Store.Status.ACTIVE,
                "address_line": spec.address_line,
                "postal_code": spec.postal_code,
                "city": spec.city,
                "email": spec.owner_email,
                "phone": regional_phone(spec.postal_code, index),
                **trader_identity(spec, index),
                **store_profile(spec, index),
                "catchment_postal_codes": catchments.get(spec.slug, []),
            },
        )
        owner = _user(spec.owner_email)
        StoreMembership.objects.get_or_create(
            user=owner, store=store, defaults={"role": StoreMembership.Role.OWNER}
        )
        _certify_trader(store, owner)
    _customer_account(customer, Store.objects.get(slug=demo.orders_store))


def _customer_account(customer: User, store: Store) -> None:
    """Her phone, her home address (the checkout fills it in) and her store; once, so that what
    a visitor changes on the account page survives a re-run."""
    if profile_of(customer) is not None or address_book(customer).exists():
        return
    update_profile(
        user=customer,
        first_name=customer.first_name,
        last_name=customer.last_name,
        phone="06 12 34 56 78",
        actor="demo",
    )
    save_address(
        user=customer,
        label="Maison",
        address_line="3 rue Mercière",
        postal_code=store.postal_code,
        city=store.city,
        make_default=True,
        actor="demo",
    )
    choose_favourite_store(user=customer, store=store, actor="demo")


def _certify_trader(store: Store, owner: User) -> None:
    """A franchise store's trader evidence and self-certification (DSA art. 30), accepted by
    HQ, so that the demo's franchise stores keep selling; once (a re-run keeps them)."""
    if not is_trader(store) or TraderCertification.objects.filter(store=store).exists():
        return
    update_trader_evidence(
        store=store,
        actor=owner,
        legal_representative=f"Gérant·e de {store.company_name}",
        id_document_reference=f"CNI {store.pk:04d}{store.postal_code}",
        bank_account_holder=store.company_name,
        bank_evidence_reference=f"RIB FR76 3000 4000 {store.pk:04d} 0000 0000 {store.pk % 97:02d}",
        enforce=False,
    )
    certify_trader(
        store=store,
        actor=owner,
        text_version=settings.TRADER_CERTIFICATION_VERSION,
        enforce=False,
    )
    TraderEvidence.objects.filter(store=store).update(hq_check=TraderEvidence.Check.ACCEPTED)


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once for all the demo logins: 34 hashes of the same password took seconds.
    return make_password(network().password)


def _user(email: str, *, first_name: str = "", last_name: str = "", is_staff: bool = False) -> User:
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_staff,
            "is_superuser": is_staff,
            "password": _demo_password_hash(),
        },
    )
    if last_name and not user.last_name:  # a demo loaded before the name was given
        user.last_name = last_name
        user.save(update_fields=["last_name"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@dataclass(frozen=True)
class CatalogueCounts:
    categories: int
    products: int
    variants: int


def load_catalogue() -> CatalogueCounts:
    """Upsert the demo categories, products, variants and one illustration per product."""
    _upsert_categories()
    category_ids = dict(Category.objects.values_list("slug", "pk"))
    products = demo_products()
    Product.objects.bulk_create(
        [
            Product(
                slug=spec.slug,
                name=spec.name,
                category_id=category_ids[spec.category],
                brand=spec.brand,
                description=spec.description,
                attributes=spec.attributes,
                vat_rate=spec.vat_rate,
                status=spec.status,
                **spec.safety,
            )
            for spec in products
        ],
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=[
            "name",
            "category",
            "brand",
            "description",
            "attributes",
            "vat_rate",
            "status",
            *SAFETY_FIELDS,
        ],
        batch_size=500,
    )
    product_ids = dict(
        Product.objects.filter(slug__in=[spec.slug for spec in products]).values_list("slug", "pk")
    )
    Variant.objects.bulk_create(
        [
            Variant(
                product_id=product_ids[spec.slug],
                sku=variant.sku,
                gtin=variant.gtin,
                options=variant.options,
                rrp_cents=variant.rrp_cents,
                min_price_cents=variant.min_price_cents,
                max_price_cents=variant.max_price_cents,
                position=variant.position,
                is_active=True,
            )
            for spec in products
            for variant in spec.variants
        ],
        update_conflicts=True,
        unique_fields=["sku"],
        update_fields=[
            "product",
            "gtin",
            "options",
            "rrp_cents",
            "min_price_cents",
            "max_price_cents",
            "position",
            "is_active",
        ],
        batch_size=500,
    )
    _attach_images(products, product_ids)
    record_hq_price_changes(
        variant_ids=Variant.objects.filter(sku__startswith="ARD-").values_list("pk", flat=True),
        source="demo",
    )
    return CatalogueCounts(
        categories=len(categories()),
        products=len(products),
        variants=sum(len(spec.variants) for spec in products),
    )


def _upsert_categories() -> None:
    for level in (False, True):  # the top categories first: the others point at them
        parent_ids = dict(Category.objects.values_list("slug", "pk"))
        Category.objects.bulk_create(
            [
                Category(
                    slug=spec.slug,
                    name=spec.name,
                    parent_id=parent_ids[spec.parent] if spec.parent else None,
                    position=spec.position,
                    description=spec.description,
                    min_price_percent=spec.min_percent,
                    max_price_percent=spec.max_percent,
                )
                for spec in categories()
                if (spec.parent is not None) == level
            ],
            update_conflicts=True,
            unique_fields=["slug"],
            update_fields=[
                "name",
                "parent",
                "position",
                "description",
                "min_price_percent",
                "max_price_percent",
            ],
        )


def _attach_images(products, product_ids: dict[str, int]) -> None:
    """One SVG per product under MEDIA_ROOT, written only when missing or different; its
    alternative text says what the drawing shows (kept up to date on a demo loaded before)."""
    tops = {spec.slug: spec for spec in categories()}
    images = {
        image.product_id: image
        for image in ProductImage.objects.filter(product_id__in=product_ids.values())
    }
    new_images, changed = [], []
    for spec in products:
        top = tops[tops[spec.category].parent or spec.category]
        name = f"{IMAGE_FOLDER}/{spec.slug}.svg"
        content = product_svg(spec, top).encode()
        if not default_storage.exists(name) or _read(name) != content:
            default_storage.delete(name)
            default_storage.save(name, ContentFile(content))
        alt = image_alt(spec)
        image = images.get(product_ids[spec.slug])
        if image is None:
            new_images.append(ProductImage(product_id=product_ids[spec.slug], file=name, alt=alt))
        elif image.alt != alt:
            image.alt = alt
            changed.append(image)
    ProductImage.objects.bulk_create(new_images, batch_size=500)
    ProductImage.objects.bulk_update(changed, ["alt"], batch_size=500)


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def store_catchments() -> dict[str, list[str]]:
    """Each selling store's postal codes: those of its city, shared out to the nearest store
    when a city has several (Paris)."""
    specs = [spec for spec in network().stores if spec.kind != WAREHOUSE]
    by_city = defaultdict(list)
    for spec in specs:
        by_city[spec.city].append(spec)
    catchments = {spec.slug: set() for spec in specs}
    rows = PostalCode.objects.filter(city__in=by_city).values_list(
        "code", "city", "latitude", "longitude"
    )
    for code, city, latitude, longitude in rows:
        nearest = min(
            by_city[city],
            key=lambda spec: _distance(spec, float(latitude), float(longitude)),
        )
        catchments[nearest.slug].add(code)
    return {slug: sorted(codes) for slug, codes in catchments.items()}


def _distance(spec, latitude: float, longitude: float) -> float:
    """Equirectangular distance in degrees: enough to pick the nearest of a city's stores."""
    d_lat = float(spec.latitude) - latitude
    d_lng = (float(spec.longitude) - longitude) * math.cos(math.radians(latitude))
    return math.hypot(d_lat, d_lng)


def load_stock() -> int:
    """Create the initial stock of every store and of the warehouse, with one movement per
    unit-holding row. Rows that exist are kept as they are. Returns how many rows were made."""
    stores = list(Store.objects.filter(slug__in=[spec.slug for spec in network().stores]))
    variants = list(
        Variant.objects.filter(sku__startswith="ARD-").select_related("product").order_by("sku")
    )
    bounds = price_bounds_for_variants(variants)
    existing = set(
        StockLevel.objects.filter(store__in=stores).values_list("store_id", "variant_id")
    )
    levels = []
    for store in sorted(stores, key=lambda store: store.slug):
        safety = effective_safety_stock(store)
        for variant, on_hand, price in _stock_plan(store, variants, bounds):
            if (store.pk, variant.pk) in existing:
                continue
            levels.append(
                StockLevel(
                    store=store,
                    variant=variant,
                    on_hand=on_hand,
                    safety_stock=safety,
                    price_cents=price,
                )
            )
    StockLevel.objects.bulk_create(levels, batch_size=1000)
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                store=level.store,
                variant=level.variant,
                delta=level.on_hand,
                on_hand_after=level.on_hand,
                reason=StockMovement.Reason.ADJUSTMENT,
                source=StockMovement.Source.SYSTEM,
                reference=INITIAL_STOCK_REFERENCE,
                actor_label="load_demo",
            )
            for level in levels
            if level.on_hand
        ],
        batch_size=1000,
    )
    return len(levels)


def _stock_plan(store: Store, variants, bounds):
    """(variant, on hand, store price or None) for the variants this store holds: the same
    on every run, whatever the database holds (a random generator seeded by the store)."""
    rng = random.Random(f"ardoise-stock-{store.slug}")  # noqa: S311 - demo data, not secrets
    is_warehouse = store.kind == Store.Kind.WAREHOUSE
    share = 0.9 if is_warehouse else rng.uniform(0.4, 0.7)
    sets_prices = not is_warehouse and rng.random() < 0.4
    for variant in variants:
        if rng.random() >= share:
            continue
        if is_warehouse:
            on_hand = 0 if rng.random() < 0.05 else int(rng.triangular(5, 200, 30))
        else:
            on_hand = 0 if rng.random() < 0.12 else int(rng.triangular(1, 26, 4))
        price = None
        if sets_prices and rng.random() < 0.35:
            price = _store_price(variant, bounds[variant.pk], rng)
        yield variant, on_hand, price


def _store_price(variant: Variant, bound, rng: random.Random) -> int | None:
    """A local price near the RRP, rounded like a shelf price, kept within HQ's bounds."""
    price = shelf_price(percent_of(variant.rrp_cents, Decimal(rng.choice(STORE_PRICE_PERCENTS))))
    if bound.min_cents is not None:
        price = max(price, bound.min_cents)
    if bound.max_cents is not None:
        price = min(price, bound.max_cents)
    return None if price == variant.rrp_cents else price


DEMO_REDUCTION_STORES = 2
DEMO_REDUCTIONS_PER_STORE = 3


def load_reductions() -> int:
    """A few store offers announced as reduced (-15 %, for three weeks), with a price history
    that starts 40 days ago, so that the product pages show the Omnibus reference ("lowest
    price of the last 30 days"). Offers already reduced are kept. Returns how many were made."""
    now = timezone.now()
    stores = [
        store
        for store in Store.objects.filter(slug__in=[spec.slug for spec in network().stores])
        .exclude(kind=Store.Kind.WAREHOUSE)
        .order_by("slug")
    ][:DEMO_REDUCTION_STORES]
    made = 0
    for store in stores:
        levels = list(
            StockLevel.objects.filter(store=store, on_hand__gt=0, variant__sku__startswith="ARD-")
            .select_related("variant__product")
            .order_by("variant__sku")[:DEMO_REDUCTIONS_PER_STORE]
        )
        bounds = price_bounds_for_variants([level.variant for level in levels])
        for level in levels:
            if level.promotion_started_at is not None:
                continue
            before = level.price_cents or level.variant.rrp_cents
            reduced = shelf_price(percent_of(before, Decimal(85)))
            low = bounds[level.variant_id].min_cents
            reduced = max(reduced, low) if low is not None else reduced
            if reduced >= before:
                continue
            PriceHistory.objects.create(
                variant=level.variant,
                store_id=store.pk,
                price_cents=before,
                started_at=now - timedelta(days=40),
                source="demo",
            )
            update_offer(
                store=store,
                variant=level.variant,
                price_cents=reduced,
                reduction=True,
                reduction_ends_at=now + timedelta(days=21),
                source=StockMovement.Source.SYSTEM,
                actor="load_demo",
            )
            made += 1
    return made


def load_orders() -> int:
    """A few orders of the demo customer near Lyon Presqu'île, at different steps, so that the
    store's order desk, the customer's tracking and the returns have something to show. Placed
    through the real checkout and the store's steps; only on a first load (none yet)."""
    if Order.objects.exists():
        return 0
    store = Store.objects.filter(slug=network().orders_store).first()
    customer = User.objects.filter(email=network().customer.email).first()
    if store is None or customer is None:
        return 0
    in_stock = list(
        StockLevel.objects.filter(
            store=store, available__gte=3, variant__product__status="published"
        )
        .select_related("variant__product")
        .order_by("variant__sku")[:5]
    )
    if len(in_stock) < 5:
        return 0
    details = CustomerDetails(
        email=customer.email,
        first_name="Léa",
        last_name="Martin",
        phone="+33 6 12 34 56 78",
        address_line="3 rue Mercière",
        postal_code=store.postal_code,
        city=store.city,
        user=customer,
    )
    click = FulfilmentMethod.CLICK_COLLECT

    def order(level, method=click, quantity=1):
        return place_order(
            customer=details,
            lines=[CheckoutLine(level.variant, quantity, method, store)],
            actor="demo",
            payment_token="tok_demo",  # noqa: S106 (the dummy provider's test token)
        )

    actor = f"{store.slug}@demo"
    first = order(in_stock[0], quantity=2)  # waits for the store's acceptance
    # Her checkout's marketing boxes: no objection to the store's offers (soft opt-in), and
    # she asked for the network's (docs/consents.md); "Mes consentements" shows both.
    record_checkout_choices(
        order=first, refuse_store_offers=False, network_offers=True, actor="demo"
    )
    ready = order(in_stock[1]).fulfilments.get()
    for step in (steps.accept_fulfilment, steps.mark_picked, steps.mark_ready_for_pickup):
        step(fulfilment=ready, actor=actor)
    reserved = order(in_stock[2], method=FulfilmentMethod.RESERVE_COLLECT).fulfilments.get()
    steps.accept_fulfilment(fulfilment=reserved, actor=actor)
    collected = order(in_stock[3]).fulfilments.get()
    steps.accept_fulfilment(fulfilment=collected, actor=actor)
    steps.mark_picked(fulfilment=collected, actor=actor)
    code = steps.mark_ready_for_pickup(fulfilment=collected, actor=actor).pickup_code
    steps.hand_over(fulfilment=collected, code=code, actor=actor)
    order(in_stock[4])
    return Order.objects.count()


def load_compliance() -> int:
    """The legal set-up: dispute bodies, a trusted flagger, the mediator, the stores' terms;
    the demo customer's data export and a first retention run."""
    hq = network().hq
    accepted = compliance.load_compliance(
        hq=_user(hq.email, first_name=hq.first_name, is_staff=True)
    )
    compliance.load_customer_data(
        customer=User.objects.filter(email=network().customer.email).first()
    )
    return accepted


def load_marketing() -> marketing.MarketingCounts:
    """The marketing hub's demo (demo/data/marketing.yaml, written by demo/marketing.py through
    the hub's services), its supplier login made like the other demo logins."""
    return marketing.load_marketing(user=_user)


def load_scorecards() -> int:
    """A store warned for its timeouts, through the real services (demo/scorecards.py)."""
    return scorecards.load_scorecards(customer_email=network().customer.email)
