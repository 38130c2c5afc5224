"""Writing the consent ledger (GDPR art. 7; soft opt-in of art. L34-5 CPCE).

Every consent and every withdrawal is a new row with the notice version in force, the time and
the channel (compliance.models.consents); the ledger is its own audit trail. The rules:
- a store's offers by e-mail: consent, or the soft opt-in given at checkout for the store(s)
  that sold (never for another store, never for the network: the warehouse sells as HQ);
  a customer who objected once is not opted in again by a later purchase;
- the network's offers by e-mail: only an explicit consent (a box she ticked);
- cookies: the visitor's choice per category, under her cookie's visitor id.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label
from network_marketplace.errors import DomainError
from orders.models import Order
from stores.models import Store

from ..consent_cookie import CATEGORIES
from ..models import (
    COOKIE_PURPOSES,
    PER_STORE_PURPOSES,
    ConsentBasis,
    ConsentChannel,
    ConsentPurpose,
    ConsentRecord,
)
from ..selectors.consents import account_consent_lines, current_consent, subject_rows

MARKETING_PURPOSES = (ConsentPurpose.NETWORK_MARKETING, ConsentPurpose.STORE_MARKETING)


class InvalidConsent(DomainError):
    """A consent needs a known purpose and channel, a subject, and a store exactly when the
    purpose is a store's."""

    code = "invalid_consent"


def notice_version_for(purpose: str) -> str:
    """The notice a choice for `purpose` was made under: the cookie notice or the privacy one."""
    if purpose in COOKIE_PURPOSES:
        return settings.COOKIE_NOTICE_VERSION
    return settings.PRIVACY_NOTICE_VERSION


def record_consent(
    *,
    purpose: str,
    granted: bool,
    channel: str,
    actor: Any,
    user: Any = None,
    email: str = "",
    visitor_id: str = "",
    store: Store | None = None,
    basis: str = ConsentBasis.CONSENT,
    at: datetime | None = None,
) -> ConsentRecord:
    """Append one consent (granted) or withdrawal; raise InvalidConsent and write nothing when
    the row would not say whose, what for, or how."""
    if purpose not in ConsentPurpose.values:
        raise InvalidConsent(_("Unknown purpose."), field="purpose")
    if channel not in ConsentChannel.values:
        raise InvalidConsent(_("Unknown channel."), field="channel")
    if basis not in ConsentBasis.values or (
        basis == ConsentBasis.SOFT_OPT_IN and purpose != ConsentPurpose.STORE_MARKETING
    ):
        raise InvalidConsent(_("The soft opt-in covers only a store's own offers."), field="basis")
    if (store is None) == (purpose in PER_STORE_PURPOSES):
        raise InvalidConsent(_("A store's offers are consented to store by store."), field="store")
    if store is not None and store.kind == Store.Kind.WAREHOUSE:
        raise InvalidConsent(_("A warehouse sends no offers of its own."), field="store")
    if user is None and not email and not visitor_id:
        raise InvalidConsent(_("A consent is somebody's: an account, an e-mail or a visitor."))
    if purpose in COOKIE_PURPOSES and not visitor_id:
        raise InvalidConsent(_("A cookie choice is recorded under the visitor's cookie."))
    if user is not None and not email:
        # Her address at the time too: a lookup by address (a guest's) sees her latest word.
        email = user.email
    return ConsentRecord.objects.create(
        user=user,
        email=(email or "").strip().lower(),
        visitor_id=visitor_id,
        purpose=purpose,
        store=store,
        granted=granted,
        basis=basis,
        notice_version=notice_version_for(purpose),
        channel=channel,
        recorded_at=at or timezone.now(),
        recorded_by=actor_label(actor),
    )


def record_cookie_choice(
    *, granted: Iterable[str], visitor_id: str, channel: str, actor: Any, user: Any = None
) -> list[ConsentRecord]:
    """The visitor's answer for every category (allowed or refused), one row each, at once."""
    granted = set(granted)
    unknown = granted - CATEGORIES.keys()
    if unknown:
        raise InvalidConsent(_("Unknown cookie category."), field="categories")
    now = timezone.now()
    with transaction.atomic():
        return [
            record_consent(
                purpose=purpose,
                granted=category in granted,
                channel=channel,
                actor=actor,
                user=user if user is not None and user.is_authenticated else None,
                visitor_id=visitor_id,
                at=now,
            )
            for category, purpose in CATEGORIES.items()
        ]


def selling_stores(order: Order) -> list[Store]:
    """The stores that sell the order's parts (a warehouse sells as HQ and is left out)."""
    return list(
        Store.objects.filter(pk__in=order.fulfilments.values("store"))
        .exclude(kind=Store.Kind.WAREHOUSE)
        .order_by("pk")
    )


def record_checkout_choices(
    *, order: Order, refuse_store_offers: bool, network_offers: bool, actor: Any
) -> list[ConsentRecord]:
    """What the checkout's two boxes said, for the order's customer (her account, or the
    guest's e-mail): the soft opt-in of each selling store unless she objected (an earlier
    objection stands), the network's offers only if she asked for them."""
    subject = {"user": order.customer} if order.customer_id else {"email": order.email}
    written = []
    with transaction.atomic():
        for store in selling_stores(order):
            current = current_consent(
                purpose=ConsentPurpose.STORE_MARKETING, store=store, **subject
            )
            if refuse_store_offers:
                if current is not None and not current.granted:
                    continue
                granted = False
            elif current is None:
                granted = True
            else:
                continue
            written.append(
                record_consent(
                    purpose=ConsentPurpose.STORE_MARKETING,
                    store=store,
                    granted=granted,
                    basis=ConsentBasis.SOFT_OPT_IN,
                    channel=ConsentChannel.CHECKOUT,
                    actor=actor,
                    **subject,
                )
            )
        if network_offers:
            current = current_consent(purpose=ConsentPurpose.NETWORK_MARKETING, **subject)
            if current is None or not current.granted:
                written.append(
                    record_consent(
                        purpose=ConsentPurpose.NETWORK_MARKETING,
                        granted=True,
                        channel=ConsentChannel.CHECKOUT,
                        actor=actor,
                        **subject,
                    )
                )
    return written


def update_account_consents(
    *, user: Any, choices: dict[str, bool], actor: Any, channel: str = ConsentChannel.ACCOUNT_PAGE
) -> list[ConsentRecord]:
    """Her toggles on "Mes consentements", keyed as the page's lines (`ConsentLine.key`): a row
    for each one that changes her current word, none for the others. A key the page did not
    show is refused (InvalidConsent), and nothing is written."""
    lines = {line.key: line for line in account_consent_lines(user)}
    unknown = set(choices) - lines.keys()
    if unknown:
        raise InvalidConsent(_("Unknown consent: reload the page and try again."))
    written = []
    now = timezone.now()
    with transaction.atomic():
        for key, granted in choices.items():
            line = lines[key]
            if line.granted == granted and line.current is not None:
                continue
            if not granted and line.current is None:
                continue
            written.append(
                record_consent(
                    purpose=line.purpose,
                    store=line.store,
                    granted=granted,
                    channel=channel,
                    actor=actor,
                    user=user,
                    at=now,
                )
            )
    return written


def withdraw_all(*, user: Any, channel: str, actor: Any = None) -> list[ConsentRecord]:
    """Withdraw every marketing consent she has now (the account's closure, for one): a
    withdrawal row for each purpose and store whose last word is a consent."""
    last: dict[tuple[str, int | None], ConsentRecord] = {}
    rows = (
        subject_rows(user=user)
        .filter(purpose__in=MARKETING_PURPOSES)
        .select_related("store")
        .order_by("recorded_at", "id")
    )
    for row in rows:
        last[(row.purpose, row.store_id)] = row
    now = timezone.now()
    with transaction.atomic():
        return [
            record_consent(
                purpose=row.purpose,
                store=row.store,
                granted=False,
                channel=channel,
                actor=actor if actor is not None else user,
                user=user,
                at=now,
            )
            for row in last.values()
            if row.granted
        ]
