"""Digital packs as subscriptions: subscribe, pause, resume, change plan (prorated to the day),
cancel with notice, and what the commitment forbids. Every move is a lifecycle move with its
event row; every refusal changes nothing."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections
from hypothesis import given
from hypothesis import strategies as st

from marketing_hub.models import Subscription, SubscriptionCharge, SubscriptionEvent
from marketing_hub.services import periods
from marketing_hub.services.billing import run_billing
from marketing_hub.services.subscriptions import (
    AlreadySubscribed,
    CommitmentForbids,
    PlanNotAvailable,
    SubscriptionNotAllowed,
    cancel_subscription,
    change_plan,
    end_due_subscriptions,
    pause_subscription,
    resume_subscription,
    subscribe,
)
from network_marketplace.errors import IllegalTransition
from network_marketplace.models import AuditEvent, WebhookDelivery
from network_marketplace.webhooks import create_endpoint
from payments import ledger
from payments.models import JournalEntry

from .subscriptions_fixtures import make_plan, make_plans, subscribed

pytestmark = pytest.mark.django_db
S = Subscription.Status
MARCH_1, MARCH_10 = date(2026, 3, 1), date(2026, 3, 10)


@pytest.fixture
def plans(db):
    return make_plans()


def charges(subscription, kind=SubscriptionCharge.Kind.PERIOD):
    return list(
        SubscriptionCharge.objects.filter(subscription=subscription, kind=kind).values_list(
            "period_start", "amount_excl_vat_cents"
        )
    )


def test_subscribing_starts_the_commitment_and_bills_the_rest_of_the_month(
    lyon_store, lyon_owner, plans
):
    subscription, secret = subscribe(
        store=lyon_store, plan=plans.gbp_plus, actor=lyon_owner, today=MARCH_10
    )

    assert subscription.status == S.ACTIVE
    assert subscription.commitment_ends_on == date(2027, 3, 10)
    # 22 days of March's 31 at 62,00 € a month
    assert charges(subscription) == [(MARCH_1, 4_400)]
    assert ledger.store_balance_cents(lyon_store) == -(4_400 + 880)
    invoice = subscription.charges.get().invoice
    assert (invoice.store, invoice.total_incl_vat_cents) == (lyon_store, 4_400 + 880)
    assert len(secret) >= 32
    assert subscription.feed_token != secret
    assert AuditEvent.objects.filter(action="subscription.created", store_id=lyon_store.pk).exists()


def test_a_store_has_one_live_subscription_per_plan(lyon_store, paris_store, plans):
    first = subscribed(lyon_store, plans.gbp_basic, on=MARCH_1)

    with pytest.raises(AlreadySubscribed):
        subscribe(store=lyon_store, plan=plans.gbp_basic, actor="test", today=MARCH_10)
    assert Subscription.objects.filter(store=lyon_store).count() == 1
    subscribed(paris_store, plans.gbp_basic, on=MARCH_1)  # another store may

    cancel_subscription(subscription=first, actor="test", today=date(2026, 3, 2))
    end_due_subscriptions(today=date(2026, 4, 1))
    again = subscribed(lyon_store, plans.gbp_basic, on=date(2026, 4, 2))
    assert again.pk != first.pk


def test_a_plan_no_longer_offered_cannot_be_subscribed(lyon_store):
    withdrawn = make_plan("ancien-pack", "gbp", 1_000, active=False)

    with pytest.raises(PlanNotAvailable, match="n\u2019est plus proposée"):
        subscribe(store=lyon_store, plan=withdrawn, actor="test", today=MARCH_1)
    assert not Subscription.objects.exists()
    assert not JournalEntry.objects.exists()


def test_pausing_during_the_commitment_is_refused_and_changes_nothing(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.gbp_plus, on=MARCH_1)

    with pytest.raises(CommitmentForbids, match="pendant son engagement"):
        pause_subscription(subscription=subscription, actor="test", today=MARCH_10)

    subscription.refresh_from_db()
    assert (subscription.status, subscription.paused_on) == (S.ACTIVE, None)
    assert not SubscriptionEvent.objects.filter(subscription=subscription).exists()


def test_a_paused_pack_is_not_billed_and_resuming_bills_the_rest_of_the_month(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.gbp_basic, on=MARCH_1)
    pause_subscription(subscription=subscription, actor="test", today=MARCH_10)

    run_billing(period=date(2026, 4, 1))
    assert charges(subscription) == [(MARCH_1, 3_000)]

    resumed = resume_subscription(subscription=subscription, actor="test", today=date(2026, 4, 21))

    assert resumed.status == S.ACTIVE
    # 10 days of April's 30 at 30,00 €
    assert charges(subscription) == [(MARCH_1, 3_000), (date(2026, 4, 1), 1_000)]
    moves = SubscriptionEvent.objects.filter(subscription=subscription).order_by("pk")
    assert [(e.from_status, e.to_status) for e in moves] == [
        (S.ACTIVE, S.PAUSED),
        (S.PAUSED, S.ACTIVE),
    ]


def test_cancelling_during_the_commitment_ends_with_the_commitment(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.gbp_plus, on=MARCH_1)

    cancelled = cancel_subscription(subscription=subscription, actor="test", today=MARCH_10)

    assert (cancelled.status, cancelled.ends_on) == (S.CANCELLING, date(2027, 3, 1))


def test_cancelling_after_the_commitment_gives_the_plans_notice(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.gbp_basic, on=MARCH_1)

    cancelled = cancel_subscription(subscription=subscription, actor="test", today=MARCH_10)

    assert (cancelled.status, cancelled.ends_on) == (S.CANCELLING, date(2026, 4, 9))
    # April is billed up to the end day (8 days of 30), May not at all; then it ends
    run_billing(period=date(2026, 4, 1))
    run_billing(period=date(2026, 5, 1))
    assert charges(subscription) == [(MARCH_1, 3_000), (date(2026, 4, 1), 800)]
    assert end_due_subscriptions(today=date(2026, 4, 9)) == 1
    subscription.refresh_from_db()
    assert subscription.status == S.ENDED
    with pytest.raises(IllegalTransition):
        resume_subscription(subscription=subscription, actor="test", today=date(2026, 4, 10))


def test_cancelling_a_paused_pack_ends_it_at_once(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.social_posts, on=MARCH_1)
    pause_subscription(subscription=subscription, actor="test", today=MARCH_10)

    ended = cancel_subscription(subscription=subscription, actor="test", today=date(2026, 3, 12))

    assert (ended.status, ended.ends_on) == (S.ENDED, date(2026, 3, 12))


def test_moving_to_a_dearer_plan_is_prorated_to_the_day(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.gbp_basic, on=MARCH_1)

    changed = change_plan(
        subscription=subscription, plan=plans.gbp_plus, actor="test", today=MARCH_10
    )

    assert changed.plan == plans.gbp_plus
    # 22 days of March: 44,00 € of the new plan less 21,29 € unused of the old one
    assert charges(subscription, SubscriptionCharge.Kind.PRORATION) == [(MARCH_10, 2_271)]
    entry = JournalEntry.objects.get(
        reference=f"marketing:subscription:{changed.pk}:proration:2026-03-10.1"
    )
    assert sum(line.debit_cents for line in entry.lines.all()) == 2_271 + 454
    # The new plan's commitment runs from the change day
    assert changed.commitment_ends_on == date(2027, 3, 10)
    # April is billed at the new plan
    run_billing(period=date(2026, 4, 1))
    assert charges(subscription)[-1] == (date(2026, 4, 1), 6_200)


def test_moving_to_a_cheaper_plan_during_the_commitment_is_refused(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.gbp_plus, on=MARCH_1)

    with pytest.raises(CommitmentForbids, match="moins chère pendant l\u2019engagement"):
        change_plan(subscription=subscription, plan=plans.gbp_basic, actor="test", today=MARCH_10)

    subscription.refresh_from_db()
    assert (subscription.plan, subscription.next_plan) == (plans.gbp_plus, None)
    assert not charges(subscription, SubscriptionCharge.Kind.PRORATION)


def test_a_downgrade_after_the_commitment_starts_on_the_first_of_next_month(lyon_store, plans):
    dearer = make_plan("gbp-premium", "gbp", 5_000)
    subscription = subscribed(lyon_store, dearer, on=MARCH_1)

    scheduled = change_plan(
        subscription=subscription, plan=plans.gbp_basic, actor="test", today=MARCH_10
    )

    assert (scheduled.plan, scheduled.next_plan, scheduled.next_plan_from) == (
        dearer, plans.gbp_basic, date(2026, 4, 1)
    )  # fmt: skip
    run_billing(period=date(2026, 4, 1))
    subscription.refresh_from_db()
    assert (subscription.plan, subscription.next_plan) == (plans.gbp_basic, None)
    assert charges(subscription) == [(MARCH_1, 5_000), (date(2026, 4, 1), 3_000)]


def test_the_plan_changes_once_a_day_and_within_its_pack(lyon_store, plans):
    subscription = subscribed(lyon_store, plans.gbp_basic, on=MARCH_1)
    change_plan(subscription=subscription, plan=plans.gbp_plus, actor="test", today=MARCH_10)
    premium = make_plan("gbp-premium", "gbp", 9_000)

    with pytest.raises(SubscriptionNotAllowed, match="déjà été changée aujourd\u2019hui"):
        change_plan(subscription=subscription, plan=premium, actor="test", today=MARCH_10)
    with pytest.raises(SubscriptionNotAllowed, match="même pack"):
        change_plan(
            subscription=subscription, plan=plans.local_ads, actor="test", today=date(2026, 3, 11)
        )
    subscription.refresh_from_db()
    assert subscription.plan == plans.gbp_plus


# The arithmetic, for every price and day


prices = st.integers(min_value=0, max_value=10_000_000)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@given(price=prices, day=days)
def test_a_whole_month_costs_the_plans_price_and_its_parts_add_up_to_it(price, day):
    first = periods.month_start(day)
    assert periods.period_fee_cents(price, first, start=first, end=None) == price
    # Split the month at `day`: the two parts differ from the price by at most a cent
    before = periods.period_fee_cents(price, first, start=first, end=day)
    after = periods.period_fee_cents(price, first, start=day, end=None)
    assert abs(before + after - price) <= 1


@given(old=prices, new=prices, day=days)
def test_a_proration_credits_the_old_plans_days_and_charges_the_new_ones(old, new, day):
    proration = periods.prorate(old_price_cents=old, new_price_cents=new, day=day)

    month_days = periods.days_in_month(day)
    assert proration.days == month_days - day.day + 1
    assert abs(proration.credit_cents - old * proration.days / month_days) <= 0.5
    assert abs(proration.charge_cents - new * proration.days / month_days) <= 0.5
    if day.day == 1:
        assert (proration.credit_cents, proration.charge_cents) == (old, new)
    if new >= old:
        assert proration.net_cents >= 0


@given(day=days, months=st.integers(min_value=0, max_value=36))
def test_the_commitment_ends_the_same_day_months_later_or_the_months_last(day, months):
    end = periods.add_months(day, months)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == months
    assert end.day == min(day.day, periods.days_in_month(end))


def test_each_move_sends_the_subscription_webhook(lyon_store, hq_admin, plans):
    create_endpoint(
        store=None,
        url="https://erp.example.com/hooks",
        event_types=["marketing.subscription.updated"],
        description="ERP",
        actor=hq_admin,
    )
    subscription = subscribed(lyon_store, plans.gbp_basic, on=MARCH_1)

    pause_subscription(subscription=subscription, actor="test", today=MARCH_10)
    pause_subscription(subscription=subscription, actor="test", today=MARCH_10)  # already paused
    cancel_subscription(subscription=subscription, actor="test", today=date(2026, 3, 11))

    deliveries = WebhookDelivery.objects.filter(event_type="marketing.subscription.updated")
    assert sorted(deliveries.values_list("event_id", flat=True)) == [
        f"marketing.subscription.updated:{subscription.pk}:active:paused",
        f"marketing.subscription.updated:{subscription.pk}:paused:ended",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_subscribes_at_once_make_one_subscription_billed_once(lyon_store, plans):
    barrier = threading.Barrier(4)
    outcomes = []

    def subscribe_now():
        try:
            barrier.wait(5)
            subscribe(store=lyon_store, plan=plans.gbp_basic, actor="test", today=MARCH_10)
            outcomes.append("subscribed")
        except AlreadySubscribed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=subscribe_now) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "refused", "refused", "subscribed"]
    subscription = Subscription.objects.get(store=lyon_store)
    assert charges(subscription) == [(MARCH_1, 2_129)]  # 22 days of 31 at 30,00 €
    assert JournalEntry.objects.count() == 1
