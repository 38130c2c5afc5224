"""Holds on stock: checkout holds, reserve & collect, an order's firm hold; the last unit sells
once under concurrent checkouts; an expired hold stops counting before the sweeper runs.

Time passing is played by moving the holds' expiry back (`let_time_pass`): the services compare
expiries with the real clock, as in production.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone, translation
from hypothesis import HealthCheck, event
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from network_marketplace.errors import DomainError, IllegalTransition
from network_marketplace.models import AuditEvent
from stores.models import Reservation, StockLevel, StockMovement
from stores.selectors import available_to_reserve, reservations_of, reserved_mismatches
from stores.services import (
    InsufficientStock,
    ReservationExpired,
    adjust_on_hand,
    consume_reservation,
    convert_reservation,
    convert_reservations,
    extend_reservation,
    release_expired_reservations,
    release_holder,
    release_reservation,
    reserve_lines,
    reserve_stock,
    update_offer,
)
from stores.tasks import release_expired_reservations as release_expired_reservations_task
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory

CHECKOUT = Reservation.Kind.CHECKOUT
RESERVE_COLLECT = Reservation.Kind.RESERVE_COLLECT
ORDER = Reservation.Kind.ORDER
HOLD = timedelta(minutes=15)


def a_cart() -> str:
    return f"cart:{uuid.uuid4()}"


def hold(store, variant, quantity=1, *, holder=None, kind=CHECKOUT, ttl=HOLD, actor="guest"):
    return reserve_stock(
        store=store, variant=variant, quantity=quantity, holder=holder or a_cart(), kind=kind,
        ttl=None if kind == ORDER else ttl, actor=actor,
    )  # fmt: skip


def let_time_pass(reservations, minutes=20):
    """`minutes` pass for these holds: their expiry moves back by as much."""
    ids = [each.pk for each in reservations]
    Reservation.objects.filter(pk__in=ids).update(
        expires_at=F("expires_at") - timedelta(minutes=minutes)
    )


def level_of(store, variant) -> StockLevel:
    return StockLevel.objects.get(store=store, variant=variant)


def active_units(store, variant) -> int:
    return (
        Reservation.objects.active()
        .filter(store=store, variant=variant)
        .aggregate(units=Sum("quantity"))["units"]
        or 0
    )


def run_concurrently(count: int, work) -> list:
    """Run `work(index)` in `count` threads released together; each thread has its own database
    connection. Returns what each returned or raised, by index."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


@pytest.fixture
def shovel(garden_tools):
    return VariantFactory(product__category=garden_tools, sku="ARD-BEC-01", rrp_cents=3490)


# --- holding stock ------------------------------------------------------------------------------


def test_a_checkout_hold_counts_in_reserved_until_its_expiry(lyon_stock, lyon_store, secateur):
    before = timezone.now()

    reservation = hold(lyon_store, secateur, 3)

    level = level_of(lyon_store, secateur)
    assert (level.on_hand, level.reserved, level.available) == (8, 3, 5)
    assert reservation.status == Reservation.Status.ACTIVE
    assert reservation.kind == CHECKOUT
    assert before + HOLD <= reservation.expires_at <= timezone.now() + HOLD
    assert not reserved_mismatches().exists()


def test_reserving_more_than_available_is_refused_clearly_and_changes_nothing(
    lyon_stock, lyon_store, secateur
):
    hold(lyon_store, secateur, 6)

    with pytest.raises(InsufficientStock) as refused:
        hold(lyon_store, secateur, 3)

    assert refused.value.code == "insufficient_stock"
    assert refused.value.message == (
        "Sécateur Ardoise n'est plus disponible dans cette quantité chez Ardoise Lyon "
        "Presqu'île\xa0: il en reste 2, vous en demandez 3."
    )
    assert refused.value.facts["available"] == 2
    assert level_of(lyon_store, secateur).reserved == 6
    assert Reservation.objects.count() == 1


def test_an_item_sold_out_is_no_longer_available(lyon_stock, lyon_store, watering_can):
    with pytest.raises(InsufficientStock) as refused, translation.override("en"):
        hold(lyon_store, watering_can)

    assert str(refused.value) == (
        "Arrosoir 10 L (Vert) is no longer available at Ardoise Lyon Presqu'île."
    )


def test_a_store_without_the_item_has_none_to_hold(paris_store, watering_can):
    with pytest.raises(InsufficientStock):
        hold(paris_store, watering_can)

    assert not Reservation.objects.exists()


def test_safety_stock_is_never_reserved(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=5, safety_stock=2)

    hold(lyon_store, secateur, 3)
    with pytest.raises(InsufficientStock):
        hold(lyon_store, secateur, 1)

    level = level_of(lyon_store, secateur)
    assert (level.on_hand, level.reserved, level.available) == (5, 3, 0)


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True], ids=["zero", "negative", "float", "bool"])
def test_a_quantity_to_reserve_is_a_whole_number_of_one_or_more(
    lyon_stock, lyon_store, secateur, quantity
):
    with pytest.raises(DomainError):
        hold(lyon_store, secateur, quantity)

    assert not Reservation.objects.exists()


def test_checkout_and_reserve_collect_holds_expire_but_an_orders_hold_is_firm(
    lyon_stock, lyon_store, secateur
):
    with pytest.raises(ValueError, match="positive ttl"):
        hold(lyon_store, secateur, kind=CHECKOUT, ttl=None)
    with pytest.raises(ValueError, match="firm"):
        reserve_stock(
            store=lyon_store, variant=secateur, quantity=1, holder="order:1", kind=ORDER,
            ttl=HOLD, actor="system",
        )  # fmt: skip

    firm = hold(lyon_store, secateur, kind=ORDER, holder="order:1")

    assert firm.expires_at is None


# --- baskets ------------------------------------------------------------------------------------


def test_a_basket_is_held_all_or_nothing(lyon_stock, lyon_store, paris_stock, paris_store):
    secateur, watering_can = lyon_stock["secateur"].variant, lyon_stock["watering_can"].variant
    cart = a_cart()

    basket = [(lyon_store, secateur, 2), (paris_store, secateur, 1), (lyon_store, watering_can, 1)]

    with pytest.raises(InsufficientStock) as refused:
        reserve_lines(lines=basket, holder=cart, kind=CHECKOUT, ttl=HOLD, actor="guest")

    assert refused.value.facts["sku"] == watering_can.sku
    assert not Reservation.objects.exists()
    assert level_of(lyon_store, secateur).reserved == 0
    assert level_of(paris_store, secateur).reserved == 0


def test_a_basket_gets_one_hold_per_line_in_the_order_given(
    lyon_stock, lyon_store, paris_stock, paris_store, secateur
):
    cart = a_cart()

    held = reserve_lines(
        lines=[(paris_store, secateur, 1), (lyon_store, secateur, 2), (lyon_store, secateur, 1)],
        holder=cart, kind=CHECKOUT, ttl=HOLD, actor="guest",
    )  # fmt: skip

    assert [(each.store, each.quantity) for each in held] == [
        (paris_store, 1), (lyon_store, 2), (lyon_store, 1),
    ]  # fmt: skip
    assert set(reservations_of(cart)) == set(held)
    assert level_of(lyon_store, secateur).reserved == 3
    assert level_of(paris_store, secateur).reserved == 1


# --- expiry -------------------------------------------------------------------------------------


def test_an_expired_hold_frees_its_stock_for_a_new_buyer_before_the_sweeper_runs(
    lyon_store, secateur
):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=1)
    abandoned = hold(lyon_store, secateur)
    with pytest.raises(InsufficientStock):
        hold(lyon_store, secateur)

    let_time_pass([abandoned])
    exact = available_to_reserve([(lyon_store.pk, secateur.pk)])
    bought = hold(lyon_store, secateur)

    assert exact == {(lyon_store.pk, secateur.pk): 1}
    abandoned.refresh_from_db()
    assert abandoned.status == Reservation.Status.EXPIRED
    assert bought.status == Reservation.Status.ACTIVE
    assert level_of(lyon_store, secateur).reserved == 1
    assert release_expired_reservations() == 0


def test_listings_under_report_an_expired_hold_until_the_sweep_never_over_report(
    lyon_stock, lyon_store, secateur
):
    abandoned = hold(lyon_store, secateur, 3)
    let_time_pass([abandoned])

    listed = level_of(lyon_store, secateur).available
    exact = available_to_reserve([(lyon_store.pk, secateur.pk)])[(lyon_store.pk, secateur.pk)]
    release_expired_reservations()

    assert (listed, exact) == (5, 8)
    assert level_of(lyon_store, secateur).available == 8


def test_the_sweeper_releases_expired_holds_once(lyon_stock, lyon_store, paris_stock, paris_store):
    secateur = lyon_stock["secateur"].variant
    expired = [
        hold(lyon_store, secateur, 2),
        hold(lyon_store, secateur),
        hold(paris_store, secateur),
    ]
    current = hold(lyon_store, secateur)
    firm = hold(lyon_store, secateur, kind=ORDER, holder="order:7")
    let_time_pass([*expired, current], minutes=10)
    let_time_pass(expired, minutes=10)

    first, second = release_expired_reservations(), release_expired_reservations()

    assert (first, second) == (3, 0)
    assert {each.status for each in Reservation.objects.filter(pk__in=[e.pk for e in expired])} == {
        Reservation.Status.EXPIRED
    }
    assert level_of(lyon_store, secateur).reserved == current.quantity + firm.quantity
    assert level_of(paris_store, secateur).reserved == 0
    assert not reserved_mismatches().exists()


def test_the_sweeper_runs_every_minute_as_a_celery_task(lyon_stock, lyon_store, secateur):
    let_time_pass([hold(lyon_store, secateur)])

    released = release_expired_reservations_task.delay().get()

    assert released == 1
    entry = settings.CELERY_BEAT_SCHEDULE["stores-release-expired-reservations"]
    assert entry["task"] == "stores.tasks.release_expired_reservations"
    assert entry["schedule"] == timedelta(minutes=1)


def test_a_checkout_hold_renewed_lasts_longer(lyon_stock, lyon_store, secateur):
    reservation = hold(lyon_store, secateur)
    let_time_pass([reservation], minutes=10)

    renewed = extend_reservation(reservation=reservation, ttl=timedelta(minutes=15), actor="guest")

    assert renewed.expires_at > timezone.now() + timedelta(minutes=14)
    assert renewed.status == Reservation.Status.ACTIVE


def test_a_renewal_never_shortens_a_hold(lyon_stock, lyon_store, secateur):
    reservation = hold(lyon_store, secateur, kind=RESERVE_COLLECT, ttl=timedelta(days=2))

    renewed = extend_reservation(reservation=reservation, ttl=timedelta(minutes=15), actor="staff")

    assert renewed.expires_at == reservation.expires_at


def test_an_expired_hold_cannot_be_renewed(lyon_stock, lyon_store, secateur):
    reservation = hold(lyon_store, secateur)
    let_time_pass([reservation])

    with pytest.raises(ReservationExpired):
        extend_reservation(reservation=reservation, ttl=HOLD, actor="guest")


def test_an_orders_hold_has_no_expiry_to_renew(lyon_stock, lyon_store, secateur):
    firm = hold(lyon_store, secateur, kind=ORDER, holder="order:3")

    with pytest.raises(DomainError, match="n'expire pas"):
        extend_reservation(reservation=firm, ttl=HOLD, actor="system")


# --- converting, selling, releasing -------------------------------------------------------------


def test_placing_the_order_converts_the_checkout_hold_into_a_firm_one(
    lyon_stock, lyon_store, secateur, customer
):
    checkout = hold(lyon_store, secateur, 2, actor=customer)

    firm = convert_reservation(reservation=checkout, holder="order:42", actor=customer)

    checkout.refresh_from_db()
    assert checkout.status == Reservation.Status.CONVERTED
    assert (firm.status, firm.kind, firm.expires_at, firm.holder) == (
        Reservation.Status.ACTIVE, ORDER, None, "order:42",
    )  # fmt: skip
    assert firm.converted_from == checkout
    assert level_of(lyon_store, secateur).reserved == 2
    assert not reserved_mismatches().exists()


def test_converting_twice_for_the_same_order_returns_the_same_hold(
    lyon_stock, lyon_store, secateur
):
    checkout = hold(lyon_store, secateur)
    first = convert_reservation(reservation=checkout, holder="order:42", actor="system")

    again = convert_reservation(reservation=checkout, holder="order:42", actor="system")

    assert again == first
    with pytest.raises(IllegalTransition):
        convert_reservation(reservation=checkout, holder="order:43", actor="system")


def test_an_expired_hold_cannot_become_an_order(lyon_stock, lyon_store, secateur):
    checkout = hold(lyon_store, secateur)
    let_time_pass([checkout])

    with pytest.raises(ReservationExpired, match="expiré"):
        convert_reservation(reservation=checkout, holder="order:42", actor="system")

    checkout.refresh_from_db()
    assert checkout.status == Reservation.Status.ACTIVE
    assert not Reservation.objects.filter(holder="order:42").exists()


def test_a_basket_converts_all_or_nothing(lyon_stock, lyon_store, paris_stock, paris_store):
    secateur = lyon_stock["secateur"].variant
    lyon, paris = hold(lyon_store, secateur), hold(paris_store, secateur)
    let_time_pass([paris])

    with pytest.raises(ReservationExpired):
        convert_reservations(reservations=[lyon, paris], holder="order:9", actor="system")

    lyon.refresh_from_db()
    assert lyon.status == Reservation.Status.ACTIVE


def test_a_reserve_and_collect_order_keeps_an_expiry(lyon_stock, lyon_store, secateur):
    checkout = hold(lyon_store, secateur)

    held = convert_reservation(
        reservation=checkout, holder="order:5", actor="system", kind=RESERVE_COLLECT,
        ttl=timedelta(days=3),
    )  # fmt: skip

    assert held.kind == RESERVE_COLLECT
    assert held.expires_at > timezone.now() + timedelta(days=2)


def test_the_sale_takes_the_held_units_out_of_stock_with_a_movement(
    lyon_stock, lyon_store, secateur, lyon_staff
):
    firm = hold(lyon_store, secateur, 2, kind=ORDER, holder="order:42")

    sold = consume_reservation(reservation=firm, actor=lyon_staff, reference="order:42")

    level = level_of(lyon_store, secateur)
    assert sold.status == Reservation.Status.CONSUMED
    assert (level.on_hand, level.reserved, level.available) == (6, 0, 6)
    movement = StockMovement.objects.get(store=lyon_store, reason=StockMovement.Reason.SALE)
    assert (movement.delta, movement.on_hand_after, movement.reference) == (-2, 6, "order:42")
    assert movement.actor_label == lyon_staff.email


def test_a_sale_recorded_twice_sells_once(lyon_stock, lyon_store, secateur):
    firm = hold(lyon_store, secateur, 2, kind=ORDER, holder="order:42")

    consume_reservation(reservation=firm, actor="system", reference="order:42")
    consume_reservation(reservation=firm, actor="system", reference="order:42")

    assert level_of(lyon_store, secateur).on_hand == 6
    assert StockMovement.objects.filter(reason=StockMovement.Reason.SALE).count() == 1


def test_a_sale_cannot_take_units_an_inventory_count_found_missing(
    lyon_stock, lyon_store, secateur, lyon_owner
):
    firm = hold(lyon_store, secateur, 3, kind=ORDER, holder="order:42")
    update_offer(
        store=lyon_store, variant=secateur, on_hand=2, source="backoffice", actor=lyon_owner
    )

    with pytest.raises(InsufficientStock):
        consume_reservation(reservation=firm, actor="system", reference="order:42")

    firm.refresh_from_db()
    level = level_of(lyon_store, secateur)
    assert firm.status == Reservation.Status.ACTIVE
    assert (level.on_hand, level.reserved, level.available) == (2, 3, 0)


def test_an_expired_reserve_and_collect_hold_cannot_be_sold(lyon_stock, lyon_store, secateur):
    held = hold(lyon_store, secateur, kind=RESERVE_COLLECT, ttl=timedelta(days=2))
    let_time_pass([held], minutes=3 * 24 * 60)

    with pytest.raises(ReservationExpired):
        consume_reservation(reservation=held, actor="staff", reference="order:5")

    assert level_of(lyon_store, secateur).on_hand == 8


def test_releasing_a_hold_gives_its_units_back_once(lyon_stock, lyon_store, secateur):
    reservation = hold(lyon_store, secateur, 3)

    release_reservation(reservation=reservation, actor="guest")
    again = release_reservation(reservation=reservation, actor="guest")

    assert again.status == Reservation.Status.RELEASED
    assert level_of(lyon_store, secateur).reserved == 0


def test_a_sold_hold_cannot_be_released(lyon_stock, lyon_store, secateur):
    firm = hold(lyon_store, secateur, kind=ORDER, holder="order:42")
    consume_reservation(reservation=firm, actor="system", reference="order:42")

    with pytest.raises(IllegalTransition):
        release_reservation(reservation=firm, actor="system")

    assert level_of(lyon_store, secateur).on_hand == 7


def test_an_abandoned_cart_releases_all_its_holds(lyon_stock, lyon_store, paris_stock, paris_store):
    secateur = lyon_stock["secateur"].variant
    cart, other_cart = a_cart(), a_cart()
    reserve_lines(
        lines=[(lyon_store, secateur, 2), (paris_store, secateur, 1)],
        holder=cart, kind=CHECKOUT, ttl=HOLD, actor="guest",
    )  # fmt: skip
    hold(lyon_store, secateur, holder=other_cart)

    released = release_holder(holder=cart, actor="guest")

    assert released == 2
    assert level_of(lyon_store, secateur).reserved == 1
    assert level_of(paris_store, secateur).reserved == 0
    assert release_holder(holder=cart, actor="guest") == 0


def test_checkout_holds_leave_no_audit_rows_but_order_holds_do(
    lyon_stock, lyon_store, secateur, customer
):
    checkout = hold(lyon_store, secateur, actor=customer)
    release_reservation(reservation=checkout, actor=customer)
    assert not AuditEvent.objects.filter(action__startswith="stock.res").exists()

    collect = hold(lyon_store, secateur, kind=RESERVE_COLLECT, holder="order:5", actor=customer)
    firm = convert_reservation(
        reservation=hold(lyon_store, secateur), holder="order:6", actor="system"
    )
    consume_reservation(reservation=firm, actor="system", reference="order:6")
    release_reservation(reservation=collect, actor="staff")

    assert list(
        AuditEvent.objects.filter(action__startswith="stock.res").order_by("id").values_list(
            "action", flat=True
        )
    ) == [
        "stock.reserved", "stock.reservation_converted", "stock.reservation_consumed",
        "stock.reservation_released",
    ]  # fmt: skip


# --- concurrency (real threads, each with its own PostgreSQL connection) --------------------------


@pytest.mark.django_db(transaction=True)
def test_last_units_sell_once_under_50_concurrent_checkouts(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=9, safety_stock=2)

    def checkout(index):
        with translation.override("en"):
            return hold(lyon_store, secateur, holder=f"cart:{index}")

    outcomes = run_concurrently(50, checkout)

    held = [each for each in outcomes if isinstance(each, Reservation)]
    refused = [each for each in outcomes if isinstance(each, InsufficientStock)]
    assert (len(held), len(refused)) == (7, 43), outcomes
    assert all("is no longer available at" in str(each) for each in refused)
    level = level_of(lyon_store, secateur)
    assert (level.on_hand, level.reserved, level.available) == (9, 7, 0)
    assert active_units(lyon_store, secateur) == 7
    assert Reservation.objects.count() == 7
    assert not StockMovement.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_baskets_in_any_line_order_are_all_or_nothing_without_deadlock(
    lyon_store, paris_store, secateur, shovel
):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=9)
    StockLevelFactory(store=lyon_store, variant=shovel, on_hand=5)
    StockLevelFactory(store=paris_store, variant=secateur, on_hand=12)
    lines = [(lyon_store, secateur, 1), (lyon_store, shovel, 1), (paris_store, secateur, 2)]
    # Every order of the three lines, four times over.
    baskets = [list(order) for order in itertools.permutations(lines)] * 4

    def checkout(index):
        return reserve_lines(
            lines=baskets[index], holder=f"cart:{index}", kind=CHECKOUT, ttl=HOLD, actor="guest"
        )

    outcomes = run_concurrently(len(baskets), checkout)

    held = [each for each in outcomes if isinstance(each, list)]
    refused = [each for each in outcomes if isinstance(each, InsufficientStock)]
    assert (len(held), len(refused)) == (5, 19), outcomes
    assert not [each for each in outcomes if isinstance(each, OperationalError)]
    assert level_of(lyon_store, secateur).reserved == 5
    assert level_of(lyon_store, shovel).reserved == 5
    assert level_of(paris_store, secateur).reserved == 10
    assert Reservation.objects.values("holder").distinct().count() == 5
    assert not reserved_mismatches().exists()


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_and_new_buyers_racing_for_expired_holds_release_each_once(
    lyon_store, secateur
):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=6)
    for round_ in range(3):
        abandoned = [hold(lyon_store, secateur) for _ in range(6)]
        let_time_pass(abandoned)

        def buy_or_sweep(index, round_=round_):
            if index % 4 == 0:
                return release_expired_reservations()
            return hold(lyon_store, secateur, holder=f"cart:{round_}:{index}")

        outcomes = run_concurrently(12, buy_or_sweep)

        bought = [each for each in outcomes if isinstance(each, Reservation)]
        refused = [each for each in outcomes if isinstance(each, InsufficientStock)]
        swept = [each for each in outcomes if isinstance(each, int)]
        assert (len(bought), len(refused), len(swept)) == (6, 3, 3), outcomes
        assert sum(swept) <= 6
        expired = Reservation.objects.filter(pk__in=[each.pk for each in abandoned])
        assert set(expired.values_list("status", flat=True)) == {Reservation.Status.EXPIRED}
        assert level_of(lyon_store, secateur).reserved == 6
        assert not reserved_mismatches().exists()
        for each in bought:
            release_reservation(reservation=each, actor="test")


@pytest.mark.django_db(transaction=True)
def test_a_buyer_gets_the_units_a_sweep_freed_between_two_looks(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=1)
    let_time_pass([hold(lyon_store, secateur)])
    swept = []

    def sweep_before_looking_for_expired_holds(execute, sql, params, many, context):
        # The buyer's first try failed on the expired hold; the sweeper frees it right then.
        if sql.startswith("SELECT") and "expires_at" in sql and not swept:
            sweeper = threading.Thread(
                target=lambda: (swept.append(release_expired_reservations()), connection.close())
            )
            sweeper.start()
            sweeper.join(timeout=30)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(sweep_before_looking_for_expired_holds):
        bought = hold(lyon_store, secateur)

    assert swept == [1]
    assert bought.status == Reservation.Status.ACTIVE
    assert level_of(lyon_store, secateur).reserved == 1


@pytest.mark.django_db(transaction=True)
def test_a_sweep_waiting_on_a_lazy_release_finds_nothing_left_to_release(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=2)
    abandoned = [hold(lyon_store, secateur), hold(lyon_store, secateur)]
    let_time_pass(abandoned)
    swept = []

    with transaction.atomic():
        # The new buyer's transaction releases both expired holds and keeps the stock row locked.
        hold(lyon_store, secateur, 2)
        sweeper = threading.Thread(
            target=lambda: (swept.append(release_expired_reservations()), connection.close())
        )
        sweeper.start()
        time.sleep(0.5)
        assert sweeper.is_alive(), "the sweeper should wait for the stock row's lock"
    sweeper.join(timeout=30)

    assert swept == [0]
    assert level_of(lyon_store, secateur).reserved == 2
    assert active_units(lyon_store, secateur) == 2


# --- random sequences: a state machine against a model (hypothesis) -------------------------------


@dataclass(frozen=True)
class Reserve:
    quantity: int
    kind: str
    minutes: int


@dataclass(frozen=True)
class TimePasses:
    minutes: int


@dataclass(frozen=True)
class Sweep:
    pass


@dataclass(frozen=True)
class Sell:
    hold: int


@dataclass(frozen=True)
class Cancel:
    hold: int


@dataclass(frozen=True)
class PlaceOrder:
    hold: int


@dataclass(frozen=True)
class Renew:
    hold: int
    minutes: int


@dataclass(frozen=True)
class CustomerReturns:
    quantity: int


@dataclass(frozen=True)
class Restock:
    quantity: int


# Holds of 5 or 15 minutes and time passing by 10 or 20: holds often expire between two moves.
HOLD_MINUTES = st.sampled_from([5, 15])
A_HOLD = st.integers(0, 10**6)  # the index of a hold made earlier in the example (modulo)
RESERVE = st.builds(
    Reserve,
    quantity=st.integers(1, 3),
    kind=st.sampled_from([CHECKOUT, RESERVE_COLLECT, ORDER]),
    minutes=HOLD_MINUTES,
)
# Stock comes in by little, so that it runs short while expired holds are still waiting for
# the sweeper: the case the lazy release is for.
MOVES = st.one_of(
    RESERVE,
    st.builds(TimePasses, minutes=st.sampled_from([10, 20])),
    st.builds(Sell, hold=A_HOLD),
    st.builds(Cancel, hold=A_HOLD),
    st.builds(PlaceOrder, hold=A_HOLD),
    st.builds(Renew, hold=A_HOLD, minutes=HOLD_MINUTES),
    st.builds(Sweep),
    st.builds(CustomerReturns, quantity=st.just(1)),
    st.builds(Restock, quantity=st.integers(1, 2)),
)


class Hold:
    """The model of one reservation: what the database must say about it."""

    def __init__(self, pk, quantity, deadline):
        self.pk, self.quantity, self.deadline = pk, quantity, deadline
        self.status = Reservation.Status.ACTIVE


class StockMachine(RuleBasedStateMachine):
    """One store's stock of one variant under random moves (reserve, time passes, sweep, sell,
    cancel, place order, renew, customer returns, restock), checked after each against a plain
    model: available >= 0, reserved == the active holds, on hand == the sum of the movements,
    and every hold's status and every service's answer as the model predicts.

    The moves are one rule drawing from MOVES: with one rule per move, hypothesis' swarm testing
    spends many of a few dozen examples with most moves switched off. The model's clock counts
    whole minutes and holds last several, so the real seconds an example takes never change an
    outcome. Each example runs in a savepoint rolled back after it.
    """

    def __init__(self):
        super().__init__()
        self.atomic = None

    @initialize(on_hand=st.integers(0, 6), safety=st.integers(0, 2), abandoned=st.booleans())
    def stock_a_store(self, on_hand, safety, abandoned):
        """The store's stock; when `abandoned`, carts abandoned a while ago hold all of it (one
        unit each) and their holds have expired, but the sweeper has not run yet."""
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.store = StoreFactory(safety_stock_override=safety)
        self.variant = VariantFactory()
        update_offer(
            store=self.store, variant=self.variant, on_hand=on_hand, source="system",
            actor="machine", reason=StockMovement.Reason.FEED,
        )  # fmt: skip
        self.on_hand, self.safety, self.now, self.holds = on_hand, safety, 0, []
        if abandoned:
            for _cart in range(on_hand - safety):
                self.reserve(quantity=1, kind=CHECKOUT, minutes=5)
            self.timepasses(minutes=10)

    def teardown(self):
        if self.atomic is not None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    @rule(move=MOVES)
    def move(self, move):
        if isinstance(move, Sell | Cancel | PlaceOrder | Renew):
            if not self.holds:
                return
            held = self.holds[move.hold % len(self.holds)]
            arguments = {"minutes": move.minutes} if isinstance(move, Renew) else {}
            getattr(self, type(move).__name__.lower())(held, **arguments)
        else:
            getattr(self, type(move).__name__.lower())(**asdict(move))

    # The model.
    def counts(self, held):
        return held.status == Reservation.Status.ACTIVE and (
            held.deadline is None or held.deadline > self.now
        )

    def due(self, held):
        return held.status == Reservation.Status.ACTIVE and not self.counts(held)

    def expired(self, held):
        return held.status == Reservation.Status.EXPIRED or self.due(held)

    def reserved(self):
        return sum(h.quantity for h in self.holds if h.status == Reservation.Status.ACTIVE)

    def expect(self, error, service, **arguments):
        """Call the service; it must succeed (error None) or raise exactly `error`."""
        event(f"{service.__name__}: {error.__name__ if error else 'done'}")
        if error is None:
            return service(**arguments)
        with pytest.raises(error) as raised:
            service(**arguments)
        assert type(raised.value) is error
        return None

    def the(self, held):
        return Reservation(pk=held.pk, store=self.store, variant=self.variant)

    # The moves.
    def reserve(self, quantity, kind, minutes):
        fits = quantity <= self.on_hand - self.reserved() - self.safety
        due = [h for h in self.holds if self.due(h)]
        freed = 0 if fits else sum(h.quantity for h in due)
        granted = quantity <= self.on_hand - self.reserved() + freed - self.safety
        made = self.expect(
            None if granted else InsufficientStock, reserve_stock,
            store=self.store, variant=self.variant, quantity=quantity, holder=a_cart(),
            kind=kind, ttl=None if kind == ORDER else timedelta(minutes=minutes), actor="machine",
        )  # fmt: skip
        if made is not None:
            if not fits and due:
                event("reserve_stock: released expired holds first")
                for h in due:
                    h.status = Reservation.Status.EXPIRED
            deadline = None if kind == ORDER else self.now + minutes
            self.holds.append(Hold(made.pk, quantity, deadline))

    def timepasses(self, minutes):
        self.now += minutes
        Reservation.objects.filter(store=self.store, expires_at__isnull=False).update(
            expires_at=F("expires_at") - timedelta(minutes=minutes)
        )

    def sweep(self):
        due = [h for h in self.holds if self.due(h)]
        event(f"sweep: {'some due' if due else 'nothing due'}")
        assert release_expired_reservations() == len(due)
        for h in due:
            h.status = Reservation.Status.EXPIRED

    def sell(self, held):
        error = None
        if held.status in {Reservation.Status.RELEASED, Reservation.Status.CONVERTED}:
            error = IllegalTransition
        elif self.expired(held):
            error = ReservationExpired
        self.expect(
            error, consume_reservation, reservation=self.the(held), actor="machine",
            reference="sale",
        )  # fmt: skip
        if error is None and held.status == Reservation.Status.ACTIVE:
            held.status = Reservation.Status.CONSUMED
            self.on_hand -= held.quantity

    def cancel(self, held):
        error = None
        if held.status in {Reservation.Status.CONSUMED, Reservation.Status.CONVERTED}:
            error = IllegalTransition
        self.expect(error, release_reservation, reservation=self.the(held), actor="machine")
        if held.status == Reservation.Status.ACTIVE:
            held.status = Reservation.Status.RELEASED

    def placeorder(self, held):
        error = None
        if held.status in {Reservation.Status.CONSUMED, Reservation.Status.RELEASED}:
            error = IllegalTransition
        elif self.expired(held):
            error = ReservationExpired
        made = self.expect(
            error, convert_reservation, reservation=self.the(held), holder=f"order:{held.pk}",
            actor="machine",
        )  # fmt: skip
        if made is not None and held.status == Reservation.Status.ACTIVE:
            held.status = Reservation.Status.CONVERTED
            self.holds.append(Hold(made.pk, held.quantity, None))

    def renew(self, held, minutes):
        error = None
        if self.counts(held) and held.deadline is None:
            error = DomainError
        elif self.expired(held):
            error = ReservationExpired
        elif held.status != Reservation.Status.ACTIVE:
            error = IllegalTransition
        renewed = self.expect(
            error, extend_reservation, reservation=self.the(held),
            ttl=timedelta(minutes=minutes), actor="machine",
        )  # fmt: skip
        if renewed is not None:
            held.deadline = max(held.deadline, self.now + minutes)

    def customerreturns(self, quantity):
        adjust_on_hand(
            store=self.store, variant=self.variant, delta=quantity,
            reason=StockMovement.Reason.RETURN, source="system", actor="machine",
        )  # fmt: skip
        self.on_hand += quantity

    def restock(self, quantity):
        update_offer(
            store=self.store, variant=self.variant, on_hand=self.on_hand + quantity,
            source="system", actor="machine", reason=StockMovement.Reason.FEED,
        )  # fmt: skip
        self.on_hand += quantity

    # What must hold after every move.
    @invariant()
    def stock_adds_up(self):
        if self.atomic is None:
            return
        level = level_of(self.store, self.variant)
        movements = StockMovement.objects.filter(store=self.store, variant=self.variant)
        assert min(level.on_hand, level.reserved, level.safety_stock) >= 0
        assert level.available >= 0
        assert level.on_hand >= level.reserved
        # Stock is reserved only above the safety stock (a store may hold less than its safety).
        assert level.reserved == 0 or level.on_hand - level.reserved - level.safety_stock >= 0
        assert level.on_hand == self.on_hand == (movements.aggregate(s=Sum("delta"))["s"] or 0)
        assert level.reserved == self.reserved() == active_units(self.store, self.variant)
        assert dict(Reservation.objects.filter(store=self.store).values_list("pk", "status")) == {
            h.pk: h.status for h in self.holds
        }
        counted = sum(h.quantity for h in self.holds if self.counts(h))
        assert available_to_reserve([(self.store.pk, self.variant.pk)]) == {
            (self.store.pk, self.variant.pk): max(0, self.on_hand - counted - self.safety)
        }


@pytest.mark.django_db
def test_stock_adds_up_over_random_sequences_of_holds_sales_returns_and_restocks():
    run_state_machine_as_test(
        StockMachine,
        settings=hypothesis_settings(
            max_examples=30,
            stateful_step_count=20,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
