from datetime import timedelta

import pytest
from django.utils import timezone, translation

from fulfillment.models import Fulfilment, FulfilmentEvent
from fulfillment.services import (
    PickupCodeVoid,
    WrongPickupCode,
    accept_fulfilment,
    cancel_fulfilment,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
    mark_uncollected,
    record_reserve_outcome,
    reissue_pickup_code,
    reject_fulfilment,
    ship_fulfilment,
    time_out_fulfilment,
)
from network_marketplace.errors import DomainError, IllegalTransition

from .conftest import make_fulfilment

S = Fulfilment.Status


def ready(fulfilment, actor):
    accept_fulfilment(fulfilment=fulfilment, actor=actor)
    mark_picked(fulfilment=fulfilment, actor=actor)
    return mark_ready_for_pickup(fulfilment=fulfilment, actor=actor)


def test_click_and_collect_goes_from_acceptance_to_handover(click_collect, lyon_owner):
    result = ready(click_collect, lyon_owner)

    collected = hand_over(fulfilment=click_collect, code=result.pickup_code, actor=lyon_owner)

    assert collected.status == S.COLLECTED
    assert list(
        FulfilmentEvent.objects.filter(fulfilment=click_collect).values_list("to_status", flat=True)
    ) == [S.ACCEPTED, S.PICKED, S.READY_FOR_PICKUP, S.COLLECTED]
    assert len(result.pickup_code) == 6
    assert result.pickup_code not in collected.pickup_code_digest


def test_home_delivery_ships_with_carrier_and_tracking(home_delivery, lyon_owner):
    accept_fulfilment(fulfilment=home_delivery, actor=lyon_owner)
    mark_picked(fulfilment=home_delivery, actor=lyon_owner)

    shipped = ship_fulfilment(
        fulfilment=home_delivery, carrier="Colissimo", tracking_number="6A123", actor=lyon_owner
    )

    assert (shipped.status, shipped.carrier, shipped.tracking_number) == (
        S.SHIPPED,
        "Colissimo",
        "6A123",
    )


@pytest.mark.parametrize("purchased", [True, False], ids=["bought", "not-bought"])
def test_reserve_and_collect_ends_with_the_stores_outcome(reserve_collect, lyon_owner, purchased):
    ready(reserve_collect, lyon_owner)

    done = record_reserve_outcome(fulfilment=reserve_collect, purchased=purchased, actor=lyon_owner)

    assert done.status == (S.PURCHASED_IN_STORE if purchased else S.NOT_PURCHASED)


def test_a_cancelled_fulfilment_cannot_be_shipped(home_delivery, lyon_owner):
    cancel_fulfilment(fulfilment=home_delivery, actor=lyon_owner, reason="Customer cancelled")

    with pytest.raises(IllegalTransition) as refused:
        ship_fulfilment(
            fulfilment=home_delivery, carrier="Colissimo", tracking_number="1", actor=lyon_owner
        )

    assert refused.value.facts == {"current": S.CANCELLED, "target": S.SHIPPED}
    home_delivery.refresh_from_db()
    assert home_delivery.status == S.CANCELLED


def test_a_refused_step_says_so_in_the_words_of_the_fulfilments_method(home_delivery, lyon_owner):
    cancel_fulfilment(fulfilment=home_delivery, actor=lyon_owner, reason="Customer cancelled")

    with translation.override("en"), pytest.raises(IllegalTransition) as refused:
        mark_picked(fulfilment=home_delivery, actor=lyon_owner)

    assert refused.value.message == (
        "A home delivery fulfilment can't go from “Cancelled” to “Picked”."
    )


def make_ready(fulfilment, actor):
    return mark_ready_for_pickup(fulfilment=fulfilment, actor=actor)


def ship(fulfilment, actor):
    return ship_fulfilment(fulfilment=fulfilment, carrier="X", tracking_number="1", actor=actor)


def bought_in_store(fulfilment, actor):
    return record_reserve_outcome(fulfilment=fulfilment, purchased=True, actor=actor)


@pytest.mark.parametrize(
    ("fixture", "made_ready", "step"),
    [
        pytest.param("home_delivery", False, make_ready, id="home-delivery-made-ready"),
        pytest.param("click_collect", False, ship, id="collect-shipped"),
        pytest.param("click_collect", True, bought_in_store, id="click-collect-purchased"),
    ],
)
def test_a_step_that_does_not_fit_the_method_is_refused(
    request, lyon_owner, fixture, made_ready, step
):
    fulfilment = request.getfixturevalue(fixture)
    accept_fulfilment(fulfilment=fulfilment, actor=lyon_owner)
    mark_picked(fulfilment=fulfilment, actor=lyon_owner)
    if made_ready:
        make_ready(fulfilment, lyon_owner)

    with pytest.raises(IllegalTransition):
        step(fulfilment, lyon_owner)


def test_repeating_a_step_is_harmless(click_collect, lyon_owner):
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)

    assert FulfilmentEvent.objects.filter(fulfilment=click_collect).count() == 1


def test_a_wrong_pickup_code_is_refused_and_counted(click_collect, lyon_owner):
    result = ready(click_collect, lyon_owner)
    wrong = "000000" if result.pickup_code != "000000" else "111111"

    with pytest.raises(WrongPickupCode) as refused:
        hand_over(fulfilment=click_collect, code=wrong, actor=lyon_owner)

    click_collect.refresh_from_db()
    assert click_collect.status == S.READY_FOR_PICKUP
    assert click_collect.pickup_code_failures == 1
    assert refused.value.facts["remaining"] == 4


def test_the_pickup_code_cannot_be_found_by_trying(click_collect, lyon_owner):
    result = ready(click_collect, lyon_owner)
    guesses = (f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" != result.pickup_code)

    for _attempt in range(5):
        with pytest.raises(WrongPickupCode):
            hand_over(fulfilment=click_collect, code=next(guesses), actor=lyon_owner)
    # Even the right code no longer works once the code is void.
    with pytest.raises(PickupCodeVoid):
        hand_over(fulfilment=click_collect, code=result.pickup_code, actor=lyon_owner)

    fresh = reissue_pickup_code(fulfilment=click_collect, actor=lyon_owner)
    collected = hand_over(fulfilment=click_collect, code=fresh.pickup_code, actor=lyon_owner)
    assert collected.status == S.COLLECTED


def test_rejecting_needs_a_reason(click_collect, lyon_owner):
    with pytest.raises(DomainError):
        reject_fulfilment(fulfilment=click_collect, actor=lyon_owner, reason="  ")

    rejected = reject_fulfilment(fulfilment=click_collect, actor=lyon_owner, reason="Abîmé")
    assert (rejected.status, rejected.rejection_reason) == (S.REJECTED, "Abîmé")


def test_timeout_applies_only_after_the_deadline_and_only_once(lyon_store):
    now = timezone.now()
    late = make_fulfilment(store=lyon_store, accept_deadline=now - timedelta(minutes=1))
    on_time = make_fulfilment(store=lyon_store, accept_deadline=now + timedelta(minutes=30))

    first = time_out_fulfilment(fulfilment=late, now=now)
    second = time_out_fulfilment(fulfilment=late, now=now)
    untouched = time_out_fulfilment(fulfilment=on_time, now=now)

    assert (first[0].status, first[1]) == (S.TIMED_OUT, True)
    assert second[1] is False
    assert (untouched[0].status, untouched[1]) == (S.AWAITING_ACCEPTANCE, False)
    assert FulfilmentEvent.objects.filter(fulfilment=late).count() == 1


def test_an_accepted_fulfilment_does_not_time_out(click_collect, lyon_owner):
    Fulfilment.objects.filter(pk=click_collect.pk).update(
        accept_deadline=timezone.now() - timedelta(minutes=5)
    )
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)

    result, moved = time_out_fulfilment(fulfilment=click_collect)

    assert (result.status, moved) == (S.ACCEPTED, False)


def test_uncollected_after_the_collection_date(click_collect, lyon_owner):
    ready(click_collect, lyon_owner)
    later = timezone.now() + timedelta(days=6)

    result, moved = mark_uncollected(fulfilment=click_collect, now=later)

    assert (result.status, moved) == (S.UNCOLLECTED, True)


def test_every_step_is_emitted_once_to_the_stores_webhooks(click_collect, lyon_owner, lyon_store):
    from network_marketplace.models import WebhookDelivery
    from network_marketplace.webhooks import create_endpoint

    create_endpoint(
        store=lyon_store, url="https://erp.example.com/hooks", event_types=["*"],
        description="ERP", actor=lyon_owner,
    )  # fmt: skip

    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)  # repeated: no new event
    mark_picked(fulfilment=click_collect, actor=lyon_owner)
    result = mark_ready_for_pickup(fulfilment=click_collect, actor=lyon_owner)
    hand_over(fulfilment=click_collect, code=result.pickup_code, actor=lyon_owner)

    assert list(
        WebhookDelivery.objects.order_by("created_at").values_list("event_type", flat=True)
    ) == [
        "fulfillment.accepted",
        "fulfillment.picked",
        "fulfillment.ready",
        "fulfillment.handed_over",
    ]
