"""The digital packs' plans and helpers shared by the subscriptions, billing, deliverables and
feeds tests (imported by those modules: the folder's conftest belongs to every part)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from marketing_hub.models import SubscriptionPlan
from marketing_hub.services.subscriptions import subscribe

P = SubscriptionPlan.Pack


def make_plan(code: str, pack: str, price_cents: int, *, months: int = 0, notice: int = 0,
              active: bool = True) -> SubscriptionPlan:  # fmt: skip
    return SubscriptionPlan.objects.create(
        code=code, name=code.replace("-", " ").title(), pack=pack, price_cents=price_cents,
        minimum_commitment_months=months, notice_days=notice, is_active=active,
        includes=["Fiche mise à jour", "Rapport mensuel"],
    )  # fmt: skip


@dataclass(frozen=True)
class Plans:
    gbp_basic: SubscriptionPlan  # no commitment, 30 days' notice
    gbp_plus: SubscriptionPlan  # 12 months' commitment
    local_ads: SubscriptionPlan  # 3 months' commitment
    social_posts: SubscriptionPlan  # no commitment, no notice


def make_plans() -> Plans:
    """HQ's catalogue of packs: a test module's `plans` fixture returns this."""
    return Plans(
        gbp_basic=make_plan("gbp-essentiel", P.GBP, 3_000, months=0, notice=30),
        gbp_plus=make_plan("gbp-plus", P.GBP, 6_200, months=12, notice=30),
        local_ads=make_plan("annonces-locales", P.LOCAL_ADS, 9_900, months=3, notice=15),
        social_posts=make_plan("posts-sociaux", P.SOCIAL_POSTS, 4_500),
    )


def subscribed(store, plan, *, on: date, actor="test"):
    subscription, _secret = subscribe(store=store, plan=plan, actor=actor, today=on)
    return subscription


def subscribed_with_secret(store, plan, *, on: date, actor="test"):
    return subscribe(store=store, plan=plan, actor=actor, today=on)
