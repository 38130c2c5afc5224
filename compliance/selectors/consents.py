"""Reads of the consent ledger: a subject's current consent is its last row.

A customer's rows are those of her account and those a guest checkout wrote under her e-mail
address before she had one (the same address: the same person to write to); the last of them
decides. Before sending any marketing e-mail, ask `may_email` (one person) or
`accounts_that_may_be_emailed` (an audience).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.selectors import favourite_store_of
from stores.models import Store

from ..models import (
    COOKIE_PURPOSES,
    PER_STORE_PURPOSES,
    ConsentPurpose,
    ConsentRecord,
)


def subject_rows(*, user: Any = None, email: str = "", visitor_id: str = "") -> QuerySet:
    """Every row of one subject: an account (with the guest rows under its e-mail), a guest's
    e-mail address, or a visitor's cookie id."""
    if user is not None:
        condition = Q(user=user)
        if user.email:
            condition |= Q(user__isnull=True, email=user.email.lower())
    elif email:
        condition = Q(email=email.strip().lower())
    elif visitor_id:
        condition = Q(visitor_id=visitor_id)
    else:
        return ConsentRecord.objects.none()
    return ConsentRecord.objects.filter(condition)


def current_consent(
    *,
    purpose: str,
    store: Store | None = None,
    user: Any = None,
    email: str = "",
    visitor_id: str = "",
) -> ConsentRecord | None:
    """The subject's last row for `purpose` (and `store`, for a per-store purpose), or None:
    she never chose."""
    rows = subject_rows(user=user, email=email, visitor_id=visitor_id).filter(purpose=purpose)
    if purpose in PER_STORE_PURPOSES:
        rows = rows.filter(store=store)
    return rows.order_by("-recorded_at", "-id").first()


def may_email(
    *,
    purpose: str = ConsentPurpose.NETWORK_MARKETING,
    store: Store | None = None,
    user: Any = None,
    email: str = "",
) -> bool:
    """May we send her marketing e-mail for `purpose` (from `store`)? Only when her last word
    for it is a consent (or the store's soft opt-in) that she has not withdrawn since."""
    if purpose in COOKIE_PURPOSES:
        raise ValueError("Cookie choices are no e-mail consent.")
    row = current_consent(purpose=purpose, store=store, user=user, email=email)
    return bool(row and row.granted)


def may_email_for_store(*, store: Store, user: Any = None, email: str = "") -> bool:
    """May `store` send her its offers by e-mail?"""
    return may_email(purpose=ConsentPurpose.STORE_MARKETING, store=store, user=user, email=email)


def accounts_that_may_be_emailed(*, purpose: str, store: Store | None = None) -> QuerySet:
    """The customer accounts whose last row (of their account) for `purpose` (and `store`) is a
    consent: the audience of a campaign, one query."""
    latest = ConsentRecord.objects.filter(user=OuterRef("pk"), purpose=purpose)
    if purpose in PER_STORE_PURPOSES:
        latest = latest.filter(store=store)
    latest = latest.order_by("-recorded_at", "-id").values("granted")[:1]
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(marketing_consent=Subquery(latest))
        .filter(marketing_consent=True)
    )


def consents_of(user: Any) -> list[dict]:
    """Every consent and withdrawal of hers, oldest first, as the data export writes them."""
    rows = (
        subject_rows(user=user)
        .select_related("store")
        .order_by("recorded_at", "id")
        .exclude(purpose__in=COOKIE_PURPOSES, user__isnull=True)
    )
    return [
        {
            "purpose": row.purpose,
            "purpose_label": str(row.get_purpose_display()),
            "store": row.store.name if row.store else "",
            "granted": row.granted,
            "basis": row.basis,
            "notice_version": row.notice_version,
            "channel": row.channel,
            "recorded_at": row.recorded_at.isoformat(),
        }
        for row in rows
    ]


@dataclass(frozen=True)
class ConsentLine:
    """One toggle of the account page: a purpose (and a store) with her current word."""

    purpose: str
    store: Store | None
    current: ConsentRecord | None

    @property
    def key(self) -> str:
        return f"{self.purpose}:{self.store.pk}" if self.store else self.purpose

    @property
    def granted(self) -> bool:
        return bool(self.current and self.current.granted)


def account_consent_lines(user: Any) -> list[ConsentLine]:
    """The network's offers, then each store she has a word with (a consent, a soft opt-in,
    a withdrawal) or that is her store, by name."""
    rows = list(
        subject_rows(user=user)
        .exclude(purpose__in=COOKIE_PURPOSES)
        .select_related("store")
        .order_by("recorded_at", "id")
    )
    last: dict[tuple[str, int | None], ConsentRecord] = {}
    stores: dict[int, Store] = {}
    for row in rows:
        last[(row.purpose, row.store_id)] = row
        if row.store is not None:
            stores[row.store.pk] = row.store
    favourite = favourite_store_of(user)
    if favourite is not None and favourite.kind != Store.Kind.WAREHOUSE:
        stores.setdefault(favourite.pk, favourite)
    lines = [
        ConsentLine(
            purpose=ConsentPurpose.NETWORK_MARKETING,
            store=None,
            current=last.get((ConsentPurpose.NETWORK_MARKETING, None)),
        )
    ]
    lines += [
        ConsentLine(
            purpose=ConsentPurpose.STORE_MARKETING,
            store=store,
            current=last.get((ConsentPurpose.STORE_MARKETING, store.pk)),
        )
        for store in sorted(stores.values(), key=lambda store: store.name)
    ]
    return lines
