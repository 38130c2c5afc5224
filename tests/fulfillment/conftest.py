import pytest
from django.utils import timezone

from fulfillment.models import Fulfilment, FulfilmentLine
from orders.models import FulfilmentMethod, Order, OrderLine
from tests.factories import VariantFactory


def make_fulfilment(*, store, method=FulfilmentMethod.CLICK_COLLECT, quantity=1, **fields):
    variant = VariantFactory(rrp_cents=2990)
    order = Order.objects.create(
        status=Order.Status.PLACED, placed_at=timezone.now(), email="lea@example.com",
        first_name="Léa", last_name="Martin",
        subtotal_cents=2990 * quantity, total_cents=2990 * quantity, vat_cents=498 * quantity,
    )  # fmt: skip
    line = OrderLine.objects.create(
        order=order, variant=variant, product_name=variant.product.name, sku=variant.sku,
        quantity=quantity, unit_price_cents=2990, vat_percent=20, total_cents=2990 * quantity,
        vat_cents=498 * quantity, method=method,
        chosen_store=None if method == FulfilmentMethod.HOME_DELIVERY else store,
    )  # fmt: skip
    fulfilment = Fulfilment.objects.create(order=order, store=store, method=method, **fields)
    FulfilmentLine.objects.create(fulfilment=fulfilment, order_line=line, quantity=quantity)
    return fulfilment


@pytest.fixture
def click_collect(lyon_store):
    return make_fulfilment(store=lyon_store, method=FulfilmentMethod.CLICK_COLLECT)


@pytest.fixture
def home_delivery(lyon_store):
    return make_fulfilment(store=lyon_store, method=FulfilmentMethod.HOME_DELIVERY)


@pytest.fixture
def reserve_collect(lyon_store):
    return make_fulfilment(store=lyon_store, method=FulfilmentMethod.RESERVE_COLLECT)
