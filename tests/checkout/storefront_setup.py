"""The small world of the storefront tests: a Lyon neighbourhood with two stores and a
warehouse, a secateur and a watering can, and Léa's postal code."""

from __future__ import annotations

from decimal import Decimal

from stores.models import PostalCode, Store
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory

WEEK_HOURS = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}


def build_world():
    """Return a namespace with the stores, variants and stock the tests rely on."""
    PostalCode.objects.get_or_create(
        code="69002", city="Lyon", defaults={"latitude": 45.7550, "longitude": 4.8290}
    )
    bellecour = StoreFactory(
        name="Ardoise Lyon Bellecour", slug="lyon-bellecour", opening_hours=WEEK_HOURS,
        pickup_slot_minutes=60,
    )  # fmt: skip
    part_dieu = StoreFactory(
        name="Ardoise Lyon Part-Dieu", slug="lyon-part-dieu",
        address_line="17 rue du Docteur Bouchut", postal_code="69003",
        latitude=Decimal("45.761000"), longitude=Decimal("4.857000"),
        opening_hours=WEEK_HOURS, offers_reserve_collect=False,
    )  # fmt: skip
    warehouse = StoreFactory(
        name="Entrepôt Saint-Quentin", slug="entrepot", kind=Store.Kind.WAREHOUSE,
        latitude=Decimal("45.643600"), longitude=Decimal("5.110600"),
    )  # fmt: skip
    secateur = VariantFactory(product__name="Sécateur de jardin", rrp_cents=2990)
    can = VariantFactory(product__name="Arrosoir 10 L", rrp_cents=1590)
    StockLevelFactory(store=bellecour, variant=secateur, on_hand=3, price_cents=2790)
    StockLevelFactory(store=part_dieu, variant=secateur, on_hand=1)
    StockLevelFactory(store=warehouse, variant=secateur, on_hand=20)
    StockLevelFactory(store=bellecour, variant=can, on_hand=5)
    StockLevelFactory(store=warehouse, variant=can, on_hand=20)

    class World:
        pass

    world = World()
    world.bellecour, world.part_dieu, world.warehouse = bellecour, part_dieu, warehouse
    world.secateur, world.can = secateur, can
    return world
