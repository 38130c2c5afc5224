import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from checkout.services import (
    CheckoutInvalid,
    CheckoutLine,
    CustomerDetails,
    NoLongerAvailable,
    place_order,
)
from fulfillment.models import Fulfilment
from network_marketplace.models import OutboxMessage
from orders.models import FulfilmentMethod, Order
from stores.models import PostalCode, Reservation, StockLevel, Store
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory

LEA = CustomerDetails(
    email="lea@example.com", first_name="Léa", last_name="Martin",
    address_line="3 rue Mercière", postal_code="69002", city="Lyon",
)  # fmt: skip


@pytest.fixture
def secateur(db):
    return VariantFactory(rrp_cents=2990)


@pytest.fixture
def lyon_postal_code(db):
    return PostalCode.objects.create(code="69002", city="Lyon", latitude=45.7550, longitude=4.8290)


def test_click_and_collect_order_waits_for_the_store_with_the_stock_held(
    lyon_store, secateur, lyon_postal_code
):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=3, price_cents=2790)

    order = place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 2, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )

    fulfilment = order.fulfilments.get()
    assert order.status == Order.Status.PLACED
    assert re.fullmatch(r"ARD-\d{7,}", order.number)
    assert (order.subtotal_cents, order.shipping_cents, order.total_cents) == (5580, 0, 5580)
    assert (fulfilment.store, fulfilment.status) == (
        lyon_store,
        Fulfilment.Status.AWAITING_ACCEPTANCE,
    )
    assert fulfilment.accept_deadline > order.placed_at
    hold = Reservation.objects.get(
        holder=f"fulfilment:{fulfilment.pk}", status=Reservation.Status.ACTIVE
    )
    assert (hold.quantity, hold.kind, hold.expires_at) == (2, Reservation.Kind.ORDER, None)
    assert StockLevel.objects.get(store=lyon_store, variant=secateur).reserved == 2
    assert OutboxMessage.objects.filter(dedupe_key__endswith=f"order-confirmed:{order.pk}").exists()


def test_home_delivery_goes_to_the_warehouse_first(lyon_store, secateur, lyon_postal_code):
    warehouse = StoreFactory(
        name="Entrepôt", kind=Store.Kind.WAREHOUSE, latitude=Decimal("45.6436"),
        longitude=Decimal("5.1106"),
    )  # fmt: skip
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=5)
    StockLevelFactory(store=warehouse, variant=secateur, on_hand=50)

    order = place_order(
        customer=LEA, lines=[CheckoutLine(secateur, 1, FulfilmentMethod.HOME_DELIVERY)],
        actor="storefront",
    )  # fmt: skip

    assert order.fulfilments.get().store == warehouse
    assert order.shipping_cents == 490


def test_the_last_unit_sells_once_and_the_second_buyer_is_told(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=1)
    line = CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)
    place_order(customer=LEA, lines=[line], actor="storefront")

    with pytest.raises(NoLongerAvailable) as refused:
        place_order(customer=LEA, lines=[line], actor="storefront")

    assert secateur.sku in refused.value.message
    assert Order.objects.count() == 1


def test_home_delivery_needs_an_address(lyon_store, secateur):
    with pytest.raises(CheckoutInvalid) as refused:
        place_order(
            customer=CustomerDetails(email="a@example.com", first_name="A", last_name="B"),
            lines=[CheckoutLine(secateur, 1, FulfilmentMethod.HOME_DELIVERY)],
            actor="storefront",
        )

    assert set(refused.value.facts) >= {"address_line", "postal_code", "city"}
    assert not Order.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_checkouts_for_seven_units_make_seven_orders(lyon_store, secateur):
    """Acceptance: 50 customers check out the same item at once; the store has 7 available."""
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=7)
    outcomes, barrier = [], threading.Barrier(50)

    def checkout():
        barrier.wait()
        try:
            place_order(
                customer=LEA,
                lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
                actor="storefront",
            )
            outcomes.append("ordered")
        except NoLongerAvailable as told:
            outcomes.append("told" if "plus disponible" in told.message.lower() else told.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    level = StockLevel.objects.get(store=lyon_store, variant=secateur)
    firm_holds = Reservation.objects.filter(
        store=lyon_store, variant=secateur, status=Reservation.Status.ACTIVE
    )
    assert outcomes.count("ordered") == 7
    assert outcomes.count("told") == 43
    assert Order.objects.filter(status=Order.Status.PLACED).count() == 7
    assert (level.on_hand, level.reserved, level.available) == (7, 7, 0)
    assert sum(hold.quantity for hold in firm_holds) == 7
    assert {hold.kind for hold in firm_holds} == {Reservation.Kind.ORDER}


def test_the_customer_gets_a_confirmation_email_in_french(lyon_store, secateur, settings):
    from django.core import mail

    from network_marketplace.outbox import deliver_due_messages

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=3)
    order = place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )

    deliver_due_messages()
    deliver_due_messages()  # a second run sends nothing more

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea@example.com"]
    assert order.number in mail.outbox[0].subject
    assert "Bonjour Léa" in mail.outbox[0].body


def test_handover_sells_the_held_units_and_a_rejection_gives_them_back(
    lyon_store, paris_store, secateur, lyon_owner
):
    from fulfillment.services import (
        accept_fulfilment,
        hand_over,
        mark_picked,
        mark_ready_for_pickup,
        reject_fulfilment,
    )
    from stores.models import StockMovement

    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=5)
    collected = place_order(
        customer=LEA, lines=[CheckoutLine(secateur, 2, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    ).fulfilments.get()  # fmt: skip
    rejected = place_order(
        customer=LEA, lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    ).fulfilments.get()  # fmt: skip

    accept_fulfilment(fulfilment=collected, actor=lyon_owner)
    mark_picked(fulfilment=collected, actor=lyon_owner)
    code = mark_ready_for_pickup(fulfilment=collected, actor=lyon_owner).pickup_code
    hand_over(fulfilment=collected, code=code, actor=lyon_owner)
    reject_fulfilment(fulfilment=rejected, actor=lyon_owner, reason="Article abîmé")

    level = StockLevel.objects.get(store=lyon_store, variant=secateur)
    assert (level.on_hand, level.reserved, level.available) == (3, 0, 3)
    sale = StockMovement.objects.get(store=lyon_store, reason=StockMovement.Reason.SALE)
    assert (sale.delta, sale.on_hand_after) == (-2, 3)


def test_a_store_may_have_its_own_acceptance_window(lyon_store, secateur):
    lyon_store.accept_within_minutes = 30
    lyon_store.save()
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=3)

    order = place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )

    fulfilment = order.fulfilments.get()
    assert fulfilment.accept_deadline - order.placed_at == timedelta(minutes=30)


def test_the_chosen_pickup_slot_is_written_with_the_order_and_only_with_it(
    lyon_store, paris_store, secateur
):
    from orders.models import PickupSlot

    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=1)
    tomorrow = timezone.now().replace(microsecond=0) + timedelta(days=1)
    slot = (tomorrow, tomorrow + timedelta(hours=1))
    line = CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)

    order = place_order(
        customer=LEA, lines=[line], actor="storefront",
        pickup_slots={lyon_store.pk: slot, paris_store.pk: slot},  # Paris serves nothing here
    )  # fmt: skip
    with pytest.raises(NoLongerAvailable):  # the last unit is gone: nothing is written
        place_order(
            customer=LEA, lines=[line], actor="storefront", pickup_slots={lyon_store.pk: slot}
        )

    [kept] = PickupSlot.objects.all()
    assert (kept.order, kept.store, kept.starts_at, kept.ends_at) == (order, lyon_store, *slot)
