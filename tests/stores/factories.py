"""Storefront test data: a small garden-and-DIY catalogue sold by stores in Lyon, Villeurbanne
and Paris, a warehouse, and the postal codes customers type."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import factory

from catalog.models import Category, Product, Variant
from stores.models import PostalCode, StockLevel, Store
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    StockLevelFactory,
    StoreFactory,
    VariantFactory,
)

WEEKDAYS_9_TO_19 = {
    **{
        day: [["09:00", "12:30"], ["14:00", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
    },
    "sat": [["09:30", "18:00"]],
    "sun": [],
}


class PostalCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostalCode
        django_get_or_create = ("code", "city")

    code = "69002"
    city = "Lyon"
    latitude = Decimal("45.757800")
    longitude = Decimal("4.832000")


@dataclass
class Network:
    garden: Category
    garden_tools: Category
    pruners: Category
    watering: Category
    diy: Category
    pruner: Product
    pruner_20: Variant
    pruner_25: Variant
    hose: Product
    watering_can: Product
    hedge_shears: Product
    hammer: Product
    draft: Product
    presquile: Store
    part_dieu: Store
    villeurbanne: Store
    bastille: Store
    warehouse: Store
    suspended: Store


def stock(store: Store, variant: Variant, *, on_hand: int, price_cents=None, **extra):
    return StockLevelFactory(
        store=store, variant=variant, on_hand=on_hand, price_cents=price_cents, **extra
    )


def build_network() -> Network:
    """The catalogue, the stores and their stock (see each line for what a test relies on)."""
    for code, city, lat, lng in (
        ("69002", "Lyon", "45.757800", "4.832000"),
        ("69003", "Lyon", "45.759900", "4.849000"),
        ("69100", "Villeurbanne", "45.771900", "4.890200"),
        ("75011", "Paris", "48.859000", "2.380000"),
    ):
        PostalCodeFactory(code=code, city=city, latitude=Decimal(lat), longitude=Decimal(lng))

    garden = CategoryFactory(name="Jardin", slug="jardin", position=1)
    garden_tools = CategoryFactory(name="Outils de jardin", slug="outils-de-jardin", parent=garden)
    pruners = CategoryFactory(name="Sécateurs", slug="secateurs", parent=garden_tools)
    watering = CategoryFactory(name="Arrosage", slug="arrosage", parent=garden)
    diy = CategoryFactory(name="Bricolage", slug="bricolage", position=2)
    hand_tools = CategoryFactory(name="Outillage à main", slug="outillage-a-main", parent=diy)

    pruner = ProductFactory(
        name="Sécateur Pro 20",
        slug="secateur-pro-20",
        category=pruners,
        brand="Ardoise",
        description="Un sécateur à lame franche pour les coupes nettes des branches vertes.",
        attributes={"Matière": "Acier trempé", "Garantie": "5 ans"},
    )
    pruner_20 = VariantFactory(
        product=pruner, sku="SEC-PRO-20", gtin="3760001000016", rrp_cents=2990,
        options={"Coupe": "20 mm"}, position=1,
    )  # fmt: skip
    pruner_25 = VariantFactory(
        product=pruner, sku="SEC-PRO-25", gtin="3760001000023", rrp_cents=3490,
        options={"Coupe": "25 mm"}, position=2,
    )  # fmt: skip
    hose = ProductFactory(
        name="Tuyau d'arrosage 25 m", slug="tuyau-arrosage-25", category=watering, brand="Hozelock"
    )
    hose_variant = VariantFactory(product=hose, sku="TUY-25", rrp_cents=4990)
    watering_can = ProductFactory(
        name="Arrosoir 10 L", slug="arrosoir-10", category=watering, brand="Ardoise"
    )
    VariantFactory(product=watering_can, sku="ARR-10", rrp_cents=1590)
    hedge_shears = ProductFactory(
        name="Cisaille à haie", slug="cisaille-a-haie", category=garden_tools, brand="Fiskars"
    )
    shears_variant = VariantFactory(product=hedge_shears, sku="CIS-HAIE", rrp_cents=5990)
    hammer = ProductFactory(
        name="Marteau de charpentier", slug="marteau", category=hand_tools, brand="Stanley"
    )
    hammer_variant = VariantFactory(product=hammer, sku="MAR-CH", rrp_cents=2490)
    draft = ProductFactory(
        name="Sécateur prototype", slug="secateur-prototype", category=pruners, status="draft"
    )
    VariantFactory(product=draft, sku="SEC-PROTO", rrp_cents=9990)
    ProductFactory(name="Sécateur ancien", slug="secateur-ancien", category=pruners,
                   status="archived")  # fmt: skip

    presquile = StoreFactory(
        name="Ardoise Lyon Presqu'île", slug="lyon-presquile", address_line="12 rue Mercière",
        postal_code="69002", city="Lyon", latitude=Decimal("45.761200"),
        longitude=Decimal("4.833600"), phone="+33 4 72 00 00 01", opening_hours=WEEKDAYS_9_TO_19,
    )  # fmt: skip
    part_dieu = StoreFactory(
        name="Ardoise Lyon Part-Dieu", slug="lyon-part-dieu", address_line="17 rue du Dr Bouchut",
        postal_code="69003", city="Lyon", latitude=Decimal("45.760600"),
        longitude=Decimal("4.859000"), opening_hours=WEEKDAYS_9_TO_19,
    )  # fmt: skip
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne Gratte-Ciel", slug="villeurbanne-gratte-ciel",
        address_line="5 avenue Henri Barbusse", postal_code="69100", city="Villeurbanne",
        latitude=Decimal("45.769400"), longitude=Decimal("4.880300"),
        opening_hours=WEEKDAYS_9_TO_19, offers_ship_from_store=False,
    )  # fmt: skip
    bastille = StoreFactory(
        name="Ardoise Paris Bastille", slug="paris-bastille", address_line="8 rue de la Roquette",
        postal_code="75011", city="Paris", latitude=Decimal("48.853200"),
        longitude=Decimal("2.369100"), opening_hours=WEEKDAYS_9_TO_19,
    )  # fmt: skip
    warehouse = StoreFactory(
        name="Entrepôt Saint-Priest", slug="entrepot-saint-priest", kind=Store.Kind.WAREHOUSE,
        address_line="ZI Mi-Plaine", postal_code="69800", city="Saint-Priest",
        latitude=Decimal("45.696000"), longitude=Decimal("4.944000"),
    )  # fmt: skip
    suspended = StoreFactory(
        name="Ardoise Lyon Confluence", slug="lyon-confluence", status=Store.Status.SUSPENDED,
        postal_code="69002", city="Lyon", latitude=Decimal("45.741000"),
        longitude=Decimal("4.818000"),
    )  # fmt: skip

    # The 20 mm pruner: in three selling stores; Part-Dieu's only unit is its safety stock.
    stock(presquile, pruner_20, on_hand=12, price_cents=2790)
    stock(villeurbanne, pruner_20, on_hand=2)
    stock(bastille, pruner_20, on_hand=5, price_cents=2890)
    stock(part_dieu, pruner_20, on_hand=1, safety_stock=1)
    stock(suspended, pruner_20, on_hand=30, price_cents=1990)
    # The 25 mm pruner: only in Part-Dieu.
    stock(part_dieu, pruner_25, on_hand=4, price_cents=3290)
    # The hose ships from the warehouse only; the shears are only in Paris; the hammer in Lyon.
    stock(warehouse, hose_variant, on_hand=50)
    stock(bastille, shears_variant, on_hand=3)
    stock(presquile, hammer_variant, on_hand=1, price_cents=2390)
    # The watering can is in no live offer: a suspended store's stock does not count.
    stock(suspended, Variant.objects.get(sku="ARR-10"), on_hand=8)
    return Network(
        garden=garden, garden_tools=garden_tools, pruners=pruners, watering=watering, diy=diy,
        pruner=pruner, pruner_20=pruner_20, pruner_25=pruner_25, hose=hose,
        watering_can=watering_can, hedge_shears=hedge_shears, hammer=hammer, draft=draft,
        presquile=presquile, part_dieu=part_dieu, villeurbanne=villeurbanne, bastille=bastille,
        warehouse=warehouse, suspended=suspended,
    )  # fmt: skip


def many_stores_with(variant: Variant, count: int, *, near=(45.7578, 4.8320)) -> list[Store]:
    """`count` selling stores around a point, each with the variant in stock."""
    stores = []
    for index in range(count):
        store = StoreFactory(
            latitude=Decimal(f"{near[0] + (index % 6) * 0.01:.6f}"),
            longitude=Decimal(f"{near[1] + (index // 6) * 0.01:.6f}"),
        )
        StockLevel.objects.create(store=store, variant=variant, on_hand=5 + index)
        stores.append(store)
    return stores
