"""The stores' profiles in the demo, through the real services (stores.services.profile and
team): the words owners wrote (demo/data/network.yaml's `store_profiles`), every selling store
closed on the coming public holidays, and a pending team invitation at the orders' store.
Idempotent: a re-run adds nothing and sends no second e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from stores.holidays import is_alsace_moselle, upcoming_public_holidays
from stores.models import Store, StoreInvitation
from stores.services.profile import close_on_public_holidays, set_store_presentation
from stores.services.team import invite_member

from .files import read_yaml

ACTOR = "demo"


@dataclass(frozen=True)
class ProfileCounts:
    descriptions: int
    closed_days: int
    invitations: int


def load_store_profiles() -> ProfileCounts:
    profiles = read_yaml("network.yaml").get("store_profiles", {})
    today = timezone.localdate()
    closed_days = 0
    for store in Store.objects.selling().order_by("pk"):
        days = [
            holiday.day
            for holiday in upcoming_public_holidays(
                today=today, alsace_moselle=is_alsace_moselle(store.postal_code)
            )
        ]
        closed_days += len(close_on_public_holidays(store=store, days=days, actor=ACTOR))
    descriptions = invitations = 0
    for slug, profile in profiles.items():
        store = Store.objects.filter(slug=slug).first()
        if store is None:
            continue
        if profile.get("description") and store.description != profile["description"]:
            set_store_presentation(store=store, description=profile["description"], actor=ACTOR)
            descriptions += 1
        invitation = profile.get("invitation")
        if (
            invitation
            and not StoreInvitation.objects.filter(
                store=store, email__iexact=invitation["email"]
            ).exists()
        ):
            owner = store.memberships.filter(role="owner").select_related("user").first()
            invite_member(
                store=store,
                email=invitation["email"],
                role=invitation["role"],
                actor=owner.user if owner else ACTOR,
            )
            invitations += 1
    return ProfileCounts(descriptions, closed_days, invitations)
