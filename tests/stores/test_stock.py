import threading
from decimal import Decimal

import pytest
from django.db import connection

from network_marketplace.errors import DomainError
from stores.models import StockLevel, StockMovement, StockPolicy
from stores.services import (
    InsufficientStock,
    PriceOutOfBounds,
    adjust_on_hand,
    refresh_safety_stock,
    set_store_price,
    update_offer,
)
from tests.factories import CategoryFactory, ProductFactory, StockLevelFactory, VariantFactory


@pytest.fixture
def garden_tools(db):
    """A category where stores may price between 90 % and 110 % of HQ's recommended price."""
    return CategoryFactory(
        name="Outils de jardin", min_price_percent=Decimal("90"), max_price_percent=Decimal("110")
    )


@pytest.fixture
def secateur(garden_tools):
    return VariantFactory(product=ProductFactory(category=garden_tools), rrp_cents=2990)


def test_store_price_within_category_bounds_is_accepted(lyon_store, lyon_owner, secateur):
    level = set_store_price(
        store=lyon_store, variant=secateur, price_cents=2691, source="backoffice", actor=lyon_owner
    )

    assert level.price_cents == 2691  # 90 % of 29,90 € rounded half up is 26,91 €


@pytest.mark.parametrize(
    ("price_cents", "bound_in_message"),
    [pytest.param(2690, "26,91", id="below-min"), pytest.param(3290, "32,89", id="above-max")],
)
def test_store_price_outside_bounds_is_refused_with_the_bound(
    lyon_store, lyon_owner, secateur, price_cents, bound_in_message
):
    with pytest.raises(PriceOutOfBounds) as refused:
        set_store_price(
            store=lyon_store, variant=secateur, price_cents=price_cents,
            source="backoffice", actor=lyon_owner,
        )  # fmt: skip

    assert bound_in_message in refused.value.message
    assert not StockLevel.objects.filter(store=lyon_store, variant=secateur).exists()


def test_variant_bounds_win_over_category_bounds(lyon_store, lyon_owner, garden_tools):
    variant = VariantFactory(
        product=ProductFactory(category=garden_tools),
        rrp_cents=1000,
        min_price_cents=500,
        max_price_cents=2000,
    )

    level = set_store_price(
        store=lyon_store, variant=variant, price_cents=1900, source="api", actor=lyon_owner
    )

    assert level.price_cents == 1900


def test_subcategory_inherits_parent_bounds(lyon_store, lyon_owner, garden_tools):
    pruning = CategoryFactory(parent=garden_tools, max_price_percent=Decimal("100"))
    variant = VariantFactory(product=ProductFactory(category=pruning), rrp_cents=1000)

    with pytest.raises(PriceOutOfBounds):
        set_store_price(
            store=lyon_store, variant=variant, price_cents=899, source="api", actor=None
        )
    with pytest.raises(PriceOutOfBounds):
        set_store_price(
            store=lyon_store, variant=variant, price_cents=1001, source="api", actor=None
        )


def test_every_change_of_on_hand_is_a_movement(lyon_store, lyon_owner, secateur):
    update_offer(
        store=lyon_store, variant=secateur, on_hand=12, source="backoffice", actor=lyon_owner
    )
    adjust_on_hand(
        store=lyon_store, variant=secateur, delta=-5, reason=StockMovement.Reason.SALE,
        source="system", actor="pos", reference="ticket 81",
    )  # fmt: skip
    update_offer(
        store=lyon_store, variant=secateur, on_hand=9, source="backoffice", actor=lyon_owner
    )

    level = StockLevel.objects.get(store=lyon_store, variant=secateur)
    movements = StockMovement.objects.filter(store=lyon_store, variant=secateur).order_by("id")
    assert level.on_hand == 9
    assert [m.delta for m in movements] == [12, -5, 2]
    assert [m.on_hand_after for m in movements] == [12, 7, 9]
    assert sum(m.delta for m in movements) == level.on_hand


def test_available_is_on_hand_minus_reserved_minus_safety_never_negative(lyon_store, secateur):
    level = StockLevelFactory(
        store=lyon_store, variant=secateur, on_hand=5, reserved=2, safety_stock=1
    )
    level.refresh_from_db()
    assert level.available == 2

    StockLevel.objects.filter(pk=level.pk).update(on_hand=2)
    level.refresh_from_db()
    assert level.available == 0


def test_negative_quantity_is_refused_and_changes_nothing(lyon_store, lyon_owner, secateur):
    with pytest.raises(DomainError):
        update_offer(
            store=lyon_store, variant=secateur, on_hand=-1, source="backoffice", actor=lyon_owner
        )
    assert not StockMovement.objects.exists()


def test_safety_stock_follows_hq_default_and_store_override(lyon_store, paris_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=5, safety_stock=0)
    StockLevelFactory(store=paris_store, variant=secateur, on_hand=5, safety_stock=0)
    StockPolicy.objects.update_or_create(pk=1, defaults={"default_safety_stock": 2})
    paris_store.safety_stock_override = 4
    paris_store.save()

    refresh_safety_stock()

    lyon = StockLevel.objects.get(store=lyon_store)
    paris = StockLevel.objects.get(store=paris_store)
    assert (lyon.safety_stock, lyon.available) == (2, 3)
    assert (paris.safety_stock, paris.available) == (4, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_removals_never_take_more_than_on_hand(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=3)
    outcomes, barrier = [], threading.Barrier(8)

    def remove_one():
        barrier.wait()
        try:
            adjust_on_hand(
                store=lyon_store, variant=secateur, delta=-1,
                reason=StockMovement.Reason.SALE, source="system", actor="till",
            )  # fmt: skip
            outcomes.append("sold")
        except InsufficientStock:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=remove_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("sold") == 3
    assert outcomes.count("refused") == 5
    assert StockLevel.objects.get(store=lyon_store, variant=secateur).on_hand == 0
    assert StockMovement.objects.filter(store=lyon_store).count() == 3
