"""The cart's rules: what may go in it, how lines add up, what is re-checked when it is shown,
and how a guest cart joins the customer's at log-in."""

from __future__ import annotations

import pytest

from checkout.selectors import cart_summary, promise_for
from checkout.services import (
    CartInvalid,
    add_to_cart,
    get_or_create_cart,
    join_guest_cart,
    merge_carts,
    remove_cart_line,
    update_cart_line,
)
from orders.models import Cart, CartLine, FulfilmentMethod, OrderPolicy
from stores.models import StockLevel, Store

from .storefront_setup import build_world

CLICK = FulfilmentMethod.CLICK_COLLECT
RESERVE = FulfilmentMethod.RESERVE_COLLECT
HOME = FulfilmentMethod.HOME_DELIVERY


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def cart(db):
    return get_or_create_cart()


def test_adding_the_same_item_served_the_same_way_raises_its_quantity(world, cart):
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.bellecour)
    line = add_to_cart(
        cart=cart, variant=world.secateur, quantity=2, method=CLICK, store=world.bellecour
    )

    assert line.quantity == 3
    assert cart.lines.count() == 1


def test_the_same_item_served_two_ways_makes_two_lines(world, cart):
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.bellecour)
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=HOME)

    assert sorted(cart.lines.values_list("method", flat=True)) == [CLICK, HOME]


def test_a_store_lacking_the_stock_refuses_the_line_and_says_how_many_it_has(
    world, cart, no_transfers
):
    with pytest.raises(CartInvalid) as error:
        add_to_cart(
            cart=cart, variant=world.secateur, quantity=2, method=CLICK, store=world.part_dieu
        )

    assert "Seulement 1 disponible chez Ardoise Lyon Part-Dieu" in error.value.message
    assert not CartLine.objects.exists()


def test_a_store_lacking_the_stock_takes_the_line_when_another_location_can_send_it(world, cart):
    # Given Part-Dieu has 1 secateur and the warehouse 20: Léa wants 2 at Part-Dieu
    line = add_to_cart(
        cart=cart, variant=world.secateur, quantity=2, method=CLICK, store=world.part_dieu
    )

    # then her cart takes them, with the transfer's longer promise
    (item,) = cart_summary(cart).items
    assert (line.quantity, item.problem) == (2, "")
    assert item.transfer.endswith("envoyé depuis un autre magasin.")


def test_no_location_holding_enough_for_one_transfer_refuses_the_line(world, cart):
    StockLevel.objects.filter(store=world.warehouse, variant=world.secateur).update(on_hand=1)

    with pytest.raises(CartInvalid):
        add_to_cart(
            cart=cart, variant=world.secateur, quantity=4, method=CLICK, store=world.part_dieu
        )


@pytest.mark.parametrize(
    ("method", "store_attr"),
    [(RESERVE, "part_dieu"), (CLICK, "warehouse")],
    ids=["store-without-reserve-and-collect", "warehouse-is-no-pickup-store"],
)
def test_collect_needs_a_selling_store_that_offers_the_service(world, cart, method, store_attr):
    with pytest.raises(CartInvalid):
        add_to_cart(
            cart=cart, variant=world.secateur, quantity=1, method=method,
            store=getattr(world, store_attr),
        )  # fmt: skip


def test_collect_without_a_store_is_refused(world, cart):
    with pytest.raises(CartInvalid) as error:
        add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=None)

    assert "store" in error.value.facts


@pytest.mark.parametrize("quantity", [0, -1, 100], ids=["zero", "negative", "above-99"])
def test_quantities_stay_between_1_and_99(world, cart, quantity):
    with pytest.raises(CartInvalid):
        add_to_cart(cart=cart, variant=world.secateur, quantity=quantity, method=HOME)


def test_a_withdrawn_product_cannot_be_added(world, cart):
    world.can.product.status = "archived"
    world.can.product.save()

    with pytest.raises(CartInvalid):
        add_to_cart(cart=cart, variant=world.can, quantity=1, method=HOME)


def test_home_delivery_draws_on_the_warehouse_and_ship_from_store_stores(world, cart):
    line = add_to_cart(cart=cart, variant=world.secateur, quantity=24, method=HOME)

    assert line.quantity == 24  # 20 in the warehouse + 3 + 1 in the stores
    with pytest.raises(CartInvalid):
        add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=HOME)


def test_moving_a_line_to_another_store_checks_that_store(world, cart, no_transfers):
    line = add_to_cart(
        cart=cart, variant=world.secateur, quantity=2, method=CLICK, store=world.bellecour
    )

    with pytest.raises(CartInvalid):
        update_cart_line(
            cart=cart, line_id=line.pk, quantity=2, method=CLICK, store=world.part_dieu
        )
    moved = update_cart_line(
        cart=cart, line_id=line.pk, quantity=1, method=CLICK, store=world.part_dieu
    )

    assert (moved.store, moved.quantity) == (world.part_dieu, 1)


def test_moving_a_line_onto_its_twin_merges_them(world, cart):
    home = add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=HOME)
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.bellecour)

    merged = update_cart_line(
        cart=cart, line_id=home.pk, quantity=1, method=CLICK, store=world.bellecour
    )

    assert list(cart.lines.values_list("pk", "quantity")) == [(merged.pk, 2)]


def test_another_cart_s_line_cannot_be_changed_or_removed(world, cart):
    other = get_or_create_cart()
    line = add_to_cart(cart=other, variant=world.can, quantity=1, method=HOME)

    with pytest.raises(CartInvalid):
        update_cart_line(cart=cart, line_id=line.pk, quantity=2)
    remove_cart_line(cart=cart, line_id=line.pk)

    assert CartLine.objects.filter(pk=line.pk).exists()


def test_the_summary_groups_lines_and_prices_them_with_the_pricing_service(world, cart):
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.bellecour)
    add_to_cart(cart=cart, variant=world.can, quantity=2, method=HOME)
    add_to_cart(cart=cart, variant=world.can, quantity=1, method=RESERVE, store=world.bellecour)

    summary = cart_summary(cart)

    assert [group.title for group in summary.groups] == [
        "Livraison à domicile",
        "Retrait en magasin à Ardoise Lyon Bellecour",
        "Réservation en magasin à Ardoise Lyon Bellecour",
    ]
    # Collected at the store's price (27,90), delivered at HQ's (2 x 15,90 + 4,90 delivery).
    assert summary.quote.subtotal_cents == 2790 + 2 * 1590 + 1590
    assert summary.quote.shipping_cents == 490
    assert summary.pay_in_store_cents == 1590
    assert summary.pay_online_cents == summary.quote.total_cents - 1590
    assert summary.count == 4
    assert not summary.problems


def test_the_summary_says_which_lines_can_no_longer_be_served(world, cart, no_transfers):
    add_to_cart(cart=cart, variant=world.secateur, quantity=3, method=CLICK, store=world.bellecour)
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.part_dieu)
    StockLevel.objects.filter(store=world.bellecour, variant=world.secateur).update(on_hand=2)
    StockLevel.objects.filter(store=world.part_dieu, variant=world.secateur).update(on_hand=0)

    problems = {item.line.store.slug: item.problem for item in cart_summary(cart).problems}

    assert problems == {
        "lyon-bellecour": "Plus que 2 chez Ardoise Lyon Bellecour.",
        "lyon-part-dieu": "Plus disponible chez Ardoise Lyon Part-Dieu.",
    }


def test_the_summary_offers_a_line_its_store_ran_out_of_as_a_transfer(world, cart):
    # given Part-Dieu sold its last sécateur after it went into the cart; Bellecour has some
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.part_dieu)
    StockLevel.objects.filter(store=world.part_dieu, variant=world.secateur).update(on_hand=0)

    # when the cart is shown
    (item,) = cart_summary(cart).items

    # then it can still be ordered, sent from another store, with the longer promise
    assert item.problem == ""
    assert item.transfer.startswith("Disponible à Ardoise Lyon Part-Dieu dans ")
    assert item.transfer.endswith("envoyé depuis un autre magasin.")


@pytest.fixture
def no_transfers(db):
    """HQ doesn't let stores send collect orders to each other."""
    policy = OrderPolicy.current()
    policy.transfer_for_collect = False
    policy.save()


def test_a_store_that_stopped_selling_is_a_problem_on_the_line(world, cart):
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.bellecour)
    Store.objects.filter(pk=world.bellecour.pk).update(status=Store.Status.SUSPENDED)

    (item,) = cart_summary(cart).problems

    assert "Ardoise Lyon Bellecour" in item.problem


def test_the_summary_reads_a_fixed_number_of_queries(world, cart, django_assert_max_num_queries):
    for variant in (world.secateur, world.can):
        add_to_cart(cart=cart, variant=variant, quantity=1, method=HOME)
        add_to_cart(cart=cart, variant=variant, quantity=1, method=CLICK, store=world.bellecour)
    OrderPolicy.current()

    with django_assert_max_num_queries(5):
        summary = cart_summary(cart)
        _ = [group.title for group in summary.groups], summary.problems


def test_a_guest_cart_joins_the_customer_cart_and_equal_lines_add_up(world, customer):
    mine = get_or_create_cart(user=customer)
    add_to_cart(cart=mine, variant=world.can, quantity=1, method=HOME)
    guest = get_or_create_cart()
    add_to_cart(cart=guest, variant=world.can, quantity=2, method=HOME)
    add_to_cart(cart=guest, variant=world.secateur, quantity=1, method=CLICK, store=world.bellecour)

    joined = join_guest_cart(guest=guest, user=customer)

    assert joined == mine
    assert sorted(joined.lines.values_list("method", "quantity")) == [(CLICK, 1), (HOME, 3)]
    assert not Cart.objects.filter(pk=guest.pk).exists()


def test_a_guest_cart_becomes_the_cart_of_a_customer_who_had_none(world, customer):
    guest = get_or_create_cart()
    add_to_cart(cart=guest, variant=world.can, quantity=2, method=HOME)

    joined = join_guest_cart(guest=guest, user=customer)

    assert (joined.pk, joined.customer) == (guest.pk, customer)


def test_merging_a_cart_into_itself_changes_nothing(world, cart):
    add_to_cart(cart=cart, variant=world.can, quantity=2, method=HOME)

    merge_carts(source=cart, target=cart)

    assert cart.lines.get().quantity == 2


def test_click_and_collect_promise_counts_the_acceptance_window_in_opening_hours(world, cart):
    from datetime import datetime

    from stores.opening_hours import STORE_TIME_ZONE

    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=CLICK, store=world.bellecour)
    (group,) = cart_summary(cart).groups
    # Saturday 19:30: half an hour of opening left, then closed on Sunday, open Monday 08:00.
    saturday_evening = datetime(2026, 11, 28, 19, 30, tzinfo=STORE_TIME_ZONE)

    promise = promise_for(group, policy=OrderPolicy.current(), now=saturday_evening)

    assert promise.ready_at == datetime(2026, 11, 30, 9, 30, tzinfo=STORE_TIME_ZONE)
    assert "2 heures" in promise.text
    # Hourly slots from the ready time, within the opening hours, over the keeping days.
    assert promise.slots[0] == (
        datetime(2026, 11, 30, 10, 0, tzinfo=STORE_TIME_ZONE),
        datetime(2026, 11, 30, 11, 0, tzinfo=STORE_TIME_ZONE),
    )
    assert all(start.hour >= 8 and end.hour <= 20 for start, end in promise.slots)
    assert all(start.weekday() != 6 for start, _end in promise.slots)


def test_stale_guest_carts_are_deleted_and_accounts_keep_theirs(world, customer):
    from datetime import timedelta

    from django.utils import timezone

    from checkout.services import delete_stale_guest_carts

    old_guest, fresh_guest = get_or_create_cart(), get_or_create_cart()
    account = get_or_create_cart(user=customer)
    for cart in (old_guest, fresh_guest, account):
        add_to_cart(cart=cart, variant=world.can, quantity=1, method=HOME)
    long_ago = timezone.now() - timedelta(days=31)
    Cart.objects.filter(pk__in=[old_guest.pk, account.pk]).update(updated_at=long_ago)

    assert delete_stale_guest_carts() == 1
    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh_guest.pk, account.pk}
    assert delete_stale_guest_carts() == 0
