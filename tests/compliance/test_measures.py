"""Measures and statements of reasons (DSA art. 17): one service applies a measure and writes
its statement together; a statement exists if and only if a measure took effect."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from catalog.models import Product
from compliance.models import Measure, MeasureKind, StatementOfReasons
from compliance.services import (
    InvalidMeasure,
    MeasureWithoutGround,
    apply_measure,
    expire_measures,
    lift_measure,
)
from network_marketplace.models import AuditEvent, WebhookDelivery, WebhookEndpoint
from network_marketplace.outbox import deliver_due_messages
from payments.models import PayoutHold
from payments.payouts import store_availability
from stores.models import StockLevel, Store
from stores.selectors import stores_with_variant_near
from stores.services import InsufficientStock, reserve_stock
from tests.factories import PASSWORD, StockLevelFactory, StoreFactory

GROUND = "Art. L. 421-3 du code de la consommation (produit dangereux)"


def measure_on(kind, target, actor, **extra):
    return apply_measure(
        kind=kind,
        target=target,
        source="own_initiative",
        facts="The blade guard is missing on the units sold.",
        legal_ground=GROUND,
        actor=actor,
        **extra,
    )


def _signed_in(client):
    from django.contrib.auth import get_user

    request = type("Request", (), {"session": client.session})()
    return get_user(request).is_authenticated


def offer_state(offer):
    offer.refresh_from_db()
    return offer.available, offer.in_stock


@pytest.mark.django_db
def test_disabled_offer_is_gone_from_stock_near_me_and_checkout_and_back_when_lifted(
    lyon_offer, lyon_owner, hq_admin, mediation_body
):
    variant = lyon_offer.variant
    near = {"latitude": 45.7578, "longitude": 4.832, "radius_km": 10}
    assert [o.store for o in stores_with_variant_near(variant_id=variant.pk, **near)]

    measure = measure_on(MeasureKind.OFFER_DISABLED, lyon_offer, hq_admin)

    assert offer_state(lyon_offer) == (0, False)
    assert stores_with_variant_near(variant_id=variant.pk, **near) == []
    with pytest.raises(InsufficientStock):
        reserve_stock(
            store=lyon_offer.store,
            variant=variant,
            quantity=1,
            holder="cart:x",
            kind="checkout",
            ttl=timedelta(minutes=15),
            actor="test",
        )
    statement = measure.statement
    assert statement.recipients == sorted(["owner.lyon@example.com", lyon_offer.store.email])
    assert "Médiateur du e-commerce" in statement.redress
    deliver_due_messages()
    assert [m.to for m in mail.outbox] == [statement.recipients]
    assert "The blade guard is missing" in mail.outbox[0].body

    lift_measure(measure=measure, reason="Guard fitted", actor=hq_admin)

    assert offer_state(lyon_offer) == (5, True)
    measure.refresh_from_db()
    assert measure.status == Measure.Status.LIFTED


@pytest.mark.django_db
def test_demoted_offer_is_listed_after_the_others_near_me(lyon_offer, hq_admin):
    near_store = lyon_offer.store
    far_store = StoreFactory(
        latitude=near_store.latitude + Decimal("0.01"), longitude=near_store.longitude
    )
    StockLevelFactory(store=far_store, variant=lyon_offer.variant, on_hand=3)
    near = {"latitude": 45.7578, "longitude": 4.832, "radius_km": 10}
    variant_id = lyon_offer.variant_id
    assert [o.store for o in stores_with_variant_near(variant_id=variant_id, **near)] == [
        near_store,
        far_store,
    ]

    measure_on(MeasureKind.OFFER_DEMOTED, lyon_offer, hq_admin)

    assert [o.store for o in stores_with_variant_near(variant_id=variant_id, **near)] == [
        far_store,
        near_store,
    ]


@pytest.mark.django_db
def test_disabled_product_listing_is_unpublished_for_every_store_and_republished(
    lyon_offer, paris_store, hq_admin
):
    product = lyon_offer.variant.product
    StockLevelFactory(store=paris_store, variant=lyon_offer.variant)

    measure = measure_on(MeasureKind.PRODUCT_LISTING_DISABLED, product, hq_admin)

    product.refresh_from_db()
    assert product.status != Product.Status.PUBLISHED
    assert set(measure.statement.affected_stores.all()) == {lyon_offer.store, paris_store}
    response = Client().get(f"/p/{product.slug}/")
    assert response.status_code == 404

    lift_measure(measure=measure, reason="Withdrawn in error", actor=hq_admin)

    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED


@pytest.mark.django_db
def test_suspended_store_does_not_sell_until_lifted(lyon_store, hq_admin):
    measure = measure_on(MeasureKind.STORE_SELLING_SUSPENDED, lyon_store, hq_admin)

    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.SUSPENDED
    assert not Store.objects.selling().filter(pk=lyon_store.pk).exists()

    lift_measure(measure=measure, reason="Complaint upheld", actor=hq_admin)

    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.ACTIVE


@pytest.mark.django_db
def test_store_stays_suspended_while_another_suspension_holds(lyon_store, hq_admin):
    first = measure_on(MeasureKind.STORE_SELLING_SUSPENDED, lyon_store, hq_admin)
    measure_on(MeasureKind.STORE_SELLING_SUSPENDED, lyon_store, hq_admin)

    lift_measure(measure=first, reason="One of two", actor=hq_admin)

    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.SUSPENDED


@pytest.mark.django_db
def test_held_payouts_block_the_store_payout_until_released(lyon_store, hq_admin):
    measure = measure_on(MeasureKind.PAYOUTS_HELD, lyon_store, hq_admin)

    availability = store_availability(lyon_store)
    assert not availability.can_receive_payouts
    assert "retient les virements" in availability.blocked_reason

    lift_measure(measure=measure, reason="Released", actor=hq_admin)

    assert not PayoutHold.objects.active().filter(store=lyon_store).exists()
    assert "retient les virements" not in store_availability(lyon_store).blocked_reason


@pytest.mark.django_db
def test_suspended_account_cannot_sign_in_until_reinstated(customer, hq_admin):
    client = Client()
    assert client.login(email=customer.email, password=PASSWORD)

    measure = measure_on(MeasureKind.ACCOUNT_SUSPENDED, customer, hq_admin)

    assert not client.session.get("_auth_user_id") or not _signed_in(client)
    assert not Client().login(email=customer.email, password=PASSWORD)
    assert measure.statement.recipients == [customer.email]

    lift_measure(measure=measure, reason="Reinstated", actor=hq_admin)

    assert Client().login(email=customer.email, password=PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(MeasureKind.values), ids=list(MeasureKind.values))
def test_every_measure_that_takes_effect_has_one_statement(kind, lyon_offer, customer, hq_admin):
    targets = {
        "offer_disabled": lyon_offer,
        "offer_demoted": lyon_offer,
        "product_listing_disabled": lyon_offer.variant.product,
        "store_selling_suspended": lyon_offer.store,
        "home_delivery_suspended": lyon_offer.store,
        "payouts_held": lyon_offer.store,
        "account_suspended": customer,
        "warning": lyon_offer.store,
        "store_terminated": lyon_offer.store,
    }

    measure = measure_on(kind, targets[kind], hq_admin)

    assert StatementOfReasons.objects.filter(measure=measure).count() == 1
    assert AuditEvent.objects.filter(action="measure.applied", target_id=str(measure.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"legal_ground": "", "terms_clause": ""}, MeasureWithoutGround),
        ({"facts": "  "}, InvalidMeasure),
        ({"kind": "account_suspended"}, InvalidMeasure),
        ({"ends_at": timezone.now() - timedelta(days=1)}, InvalidMeasure),
    ],
    ids=["no-ground", "no-facts", "wrong-target", "ends-in-the-past"],
)
def test_a_measure_that_cannot_take_effect_writes_nothing(changes, error, lyon_offer, hq_admin):
    call = {
        "kind": "offer_disabled",
        "target": lyon_offer,
        "source": "own_initiative",
        "facts": "Facts",
        "legal_ground": GROUND,
        "actor": hq_admin,
        **changes,
    }

    with pytest.raises(error):
        apply_measure(**call)

    assert not Measure.objects.exists()
    assert not StatementOfReasons.objects.exists()
    assert offer_state(lyon_offer) == (5, True)


@pytest.mark.django_db
def test_a_time_limited_suspension_ends_by_itself(lyon_store, hq_admin):
    now = timezone.now()
    measure = measure_on(
        MeasureKind.STORE_SELLING_SUSPENDED, lyon_store, hq_admin, ends_at=now + timedelta(days=7)
    )

    assert expire_measures(now=now + timedelta(days=6)) == 0
    assert expire_measures(now=now + timedelta(days=7, minutes=1)) == 1

    measure.refresh_from_db()
    lyon_store.refresh_from_db()
    assert (measure.status, lyon_store.status) == (Measure.Status.EXPIRED, Store.Status.ACTIVE)


@pytest.mark.django_db
def test_lifting_twice_changes_nothing_more(lyon_offer, hq_admin):
    measure = measure_on(MeasureKind.OFFER_DISABLED, lyon_offer, hq_admin)
    lift_measure(measure=measure, reason="Once", actor=hq_admin)
    events = AuditEvent.objects.count()

    lift_measure(measure=measure, reason="Twice", actor=hq_admin)

    assert AuditEvent.objects.count() == events
    assert StockLevel.objects.get(pk=lyon_offer.pk).in_stock


@pytest.mark.django_db
def test_the_stores_integrators_hear_of_a_measure_and_of_its_lifting(lyon_offer, hq_admin):
    WebhookEndpoint.objects.create(
        store=lyon_offer.store,
        url="https://erp.example.com/hooks",
        secret="s" * 32,
        event_types=["compliance.measure.applied", "compliance.measure.lifted"],
    )

    measure = measure_on(MeasureKind.OFFER_DISABLED, lyon_offer, hq_admin)
    lift_measure(measure=measure, reason="Fixed", actor=hq_admin)

    assert list(
        WebhookDelivery.objects.order_by("created_at").values_list("event_type", flat=True)
    ) == ["compliance.measure.applied", "compliance.measure.lifted"]


@pytest.mark.django_db
def test_a_terminated_store_is_closed_and_the_measure_cannot_be_lifted(lyon_store, hq_admin):
    measure = measure_on(MeasureKind.STORE_TERMINATED, lyon_store, hq_admin)

    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.CLOSED
    with pytest.raises(InvalidMeasure):
        lift_measure(measure=measure, reason="Oops", actor=hq_admin)
    measure.refresh_from_db()
    assert measure.is_active


@pytest.mark.django_db
def test_the_store_sees_on_its_stock_page_that_hq_blocked_the_offer(
    lyon_offer, lyon_owner, hq_admin
):
    measure_on(MeasureKind.OFFER_DISABLED, lyon_offer, hq_admin)
    owner = Client()
    owner.force_login(lyon_owner)

    page = owner.get(f"/store/{lyon_offer.store.slug}/stock/").content.decode()

    assert 'data-testid="offer-blocked"' in page
