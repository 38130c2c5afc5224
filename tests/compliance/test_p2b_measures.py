"""Restriction, suspension and termination of a store (P2B art. 4): each with its statement of
reasons when it takes effect; a termination needs 30 days' notice unless an art. 4(4) ground is
recorded; lifting a suspension puts the store's offers back on sale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from compliance.models import Measure, StatementOfReasons, StoreTermination
from compliance.services import MeasureWithoutGround
from compliance.services.p2b_measures import (
    TerminationInvalid,
    TerminationNoticeTooShort,
    end_due_terminations,
    give_termination_notice,
    lift_suspension,
    restrict_offer,
    suspend_store,
    withdraw_termination,
)
from network_marketplace.outbox import deliver_due_messages
from stores.models import Store
from stores.selectors import stores_with_variant_near

CLAUSE = "Article 9.2 des conditions magasins (délais d'acceptation)"
NEAR = {"latitude": 45.7578, "longitude": 4.832, "radius_km": 10}


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def selling_near(offer):
    return [level.store for level in stores_with_variant_near(variant_id=offer.variant_id, **NEAR)]


@pytest.mark.django_db
def test_a_termination_without_notice_or_ground_is_refused_and_nothing_changes(
    lyon_store, hq_admin
):
    with pytest.raises(TerminationNoticeTooShort) as refused:
        give_termination_notice(
            store=lyon_store, reasons="Refus répétés de commandes.", terms_clause=CLAUSE,
            effective_on=in_days(10), actor=hq_admin,
        )  # fmt: skip

    assert "30" in refused.value.message
    assert StoreTermination.objects.count() == 0
    assert StatementOfReasons.objects.count() == 0
    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.ACTIVE


@pytest.mark.django_db
def test_a_termination_without_reasons_or_clause_is_refused(lyon_store, hq_admin):
    for reasons, clause in (("", CLAUSE), ("Refus répétés.", "")):
        with pytest.raises(TerminationInvalid):
            give_termination_notice(
                store=lyon_store, reasons=reasons, terms_clause=clause,
                effective_on=in_days(45), actor=hq_admin,
            )  # fmt: skip
    assert Measure.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_notice_of_termination_sends_the_statement_now_and_closes_the_store_on_the_day(
    lyon_store, lyon_owner, hq_admin
):
    termination = give_termination_notice(
        store=lyon_store, reasons="Refus répétés de commandes.", terms_clause=CLAUSE,
        effective_on=in_days(30), actor=hq_admin,
    )  # fmt: skip
    deliver_due_messages()

    statement = termination.measure.statement
    assert termination.measure.source == "p2b"
    assert "Refus répétés de commandes." in statement.facts
    assert statement.terms_clause == CLAUSE
    assert "owner.lyon@example.com" in statement.recipients
    assert any("Refus répétés" in message.body for message in mail.outbox)
    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.ACTIVE  # notice runs: the store still sells

    assert end_due_terminations(today=in_days(29)) == []
    ended = end_due_terminations(today=in_days(30))

    assert [t.pk for t in ended] == [termination.pk]
    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.CLOSED
    closing = ended[0].closing_measure
    assert (closing.kind, closing.source) == ("store_terminated", "p2b")
    assert "Refus répétés de commandes." in closing.statement.facts
    assert end_due_terminations(today=in_days(31)) == []


@pytest.mark.django_db
def test_an_art_4_4_ground_ends_the_contract_at_once_with_its_statement(lyon_store, hq_admin):
    termination = give_termination_notice(
        store=lyon_store, reasons="Vente de contrefaçons constatée par huissier.",
        terms_clause=CLAUSE, effective_on=timezone.localdate(), ground="repeated_breach",
        actor=hq_admin,
    )  # fmt: skip

    assert termination.status == StoreTermination.Status.EFFECTIVE
    assert termination.measure is None  # no notice period: one decision, when it takes effect
    assert termination.closing_measure.kind == "store_terminated"
    assert "art. 4, §4, c" in termination.closing_measure.statement.legal_ground
    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.CLOSED


@pytest.mark.django_db
def test_a_withdrawn_notice_leaves_the_store_open(lyon_store, hq_admin):
    termination = give_termination_notice(
        store=lyon_store, reasons="Refus répétés.", terms_clause=CLAUSE,
        effective_on=in_days(31), actor=hq_admin,
    )  # fmt: skip
    withdraw_termination(termination=termination, reason="Accord trouvé", actor=hq_admin)

    assert end_due_terminations(today=in_days(40)) == []
    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.ACTIVE


@pytest.mark.django_db
def test_lifting_a_suspension_puts_the_store_s_offers_back_on_sale(lyon_offer, hq_admin):
    store = lyon_offer.store
    assert selling_near(lyon_offer) == [store]

    measure = suspend_store(
        store=store, facts="Données bancaires invalides.", terms_clause=CLAUSE, actor=hq_admin
    )

    assert measure.statement.measure == measure
    assert selling_near(lyon_offer) == []
    lyon_offer.refresh_from_db()
    assert (lyon_offer.on_hand, lyon_offer.price_cents) == (5, lyon_offer.price_cents)

    lift_suspension(measure=measure, reason="Données corrigées", actor=hq_admin)

    assert selling_near(lyon_offer) == [store]
    store.refresh_from_db()
    assert store.status == Store.Status.ACTIVE


@pytest.mark.django_db
def test_a_restriction_needs_a_clause_and_then_takes_the_offer_off_sale(lyon_offer, hq_admin):
    with pytest.raises(MeasureWithoutGround):
        restrict_offer(offer=lyon_offer, facts="Prix hors bornes.", terms_clause="", actor=hq_admin)
    assert Measure.objects.count() == 0

    measure = restrict_offer(
        offer=lyon_offer, facts="Prix hors bornes.", terms_clause=CLAUSE, actor=hq_admin
    )

    assert measure.source == "p2b"
    assert selling_near(lyon_offer) == []


@pytest.mark.django_db
def test_hq_gives_notice_in_admin_and_a_short_notice_is_a_form_error(lyon_store, hq_admin):
    admin = Client()
    admin.force_login(hq_admin)
    data = {
        "store": lyon_store.pk,
        "reasons": "Refus répétés de commandes.",
        "terms_clause": CLAUSE,
        "ground": "",
        "effective_on": in_days(10).isoformat(),
    }

    refused = admin.post("/admin/compliance/storetermination/add/", data)

    assert refused.status_code == 200
    assert "30" in refused.content.decode()
    assert StoreTermination.objects.count() == 0
    given = admin.post(
        "/admin/compliance/storetermination/add/",
        {**data, "effective_on": in_days(30).isoformat()},
    )
    assert given.status_code == 302
    termination = StoreTermination.objects.get()
    assert termination.measure.statement.terms_clause == CLAUSE
    admin.post(
        "/admin/compliance/storetermination/",
        {"action": "withdraw", "_selected_action": [termination.pk]},
    )
    termination.refresh_from_db()
    assert termination.status == StoreTermination.Status.WITHDRAWN
