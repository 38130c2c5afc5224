"""A plan change's invoice line and a cancellation's notice count days in words that agree with
the count: "1 jour", "2 jours"."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from marketing_hub.services.subscriptions import change_plan, preview_action
from payments.models import JournalEntry

from .subscriptions_fixtures import make_plan, make_plans, subscribed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "french"),
    [
        (
            31,
            "(1 jour\u00a0: 2,90\u00a0€), moins le jour non utilisé de Posts Sociaux (1,45\u00a0€)",
        ),
        (
            30,
            "(2 jours\u00a0: 5,81\u00a0€), moins les jours non utilisés de Posts Sociaux "
            "(2,90\u00a0€)",
        ),
    ],
    ids=["last-day-of-march", "two-days-left"],
)
def test_a_plan_change_bills_its_days_in_agreeing_words(lyon_store, day, french):
    plans = make_plans()
    subscription = subscribed(lyon_store, plans.social_posts, on=date(2026, 3, 1))
    dearer = make_plan("posts-sociaux-plus", plans.social_posts.pack, 9_000)

    with translation.override("fr"):
        change_plan(subscription=subscription, plan=dearer, actor="test", today=date(2026, 3, day))

    (entry,) = JournalEntry.objects.filter(reference__contains=":proration:")
    assert french in entry.label


@pytest.mark.parametrize(
    ("notice", "french"),
    [
        (1, "Avec le préavis de 1 jour de la formule"),
        (2, "Avec le préavis de 2 jours de la formule"),
    ],
    ids=["one-day", "two-days"],
)
def test_a_cancellation_states_the_notice_in_agreeing_words(lyon_store, notice, french):
    plan = make_plan("posts-locaux", "social_posts", 4_500, notice=notice)
    subscription = subscribed(lyon_store, plan, on=date(2026, 3, 1))

    with translation.override("fr"):
        sentence = preview_action(
            subscription=subscription, action="cancel", today=date(2026, 3, 10)
        )

    assert sentence.startswith(french)
