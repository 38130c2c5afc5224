"""Stores' connected accounts at the payment provider.

Transfers and payouts need a store's account: `payment_account_for` opens it on first use (the
dummy provider's accounts are ready at once; a real provider's need the store's onboarding).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from network_marketplace.audit import Actor, record_audit_event
from stores.models import Store

from .models import PaymentAccount
from .providers import AccountState, get_provider
from .selectors import HQ_OWN_KINDS


def payment_account_for(store: Store) -> PaymentAccount:
    """The store's connected account, opened at the provider when it has none yet."""
    account = PaymentAccount.objects.filter(store=store).first()
    if account is not None:
        return account
    provider = get_provider()
    state = provider.create_account(
        store_slug=store.slug, email=store.email or "", country=store.country
    )
    try:
        with transaction.atomic():
            account = PaymentAccount.objects.create(
                store=store, provider=provider.name, reference=state.reference
            )
    except IntegrityError:  # opened meanwhile by a concurrent call
        return PaymentAccount.objects.get(store=store)
    return apply_account_state(account=account, state=state)


def apply_account_state(
    *,
    account: PaymentAccount,
    state: AccountState,
    as_of: datetime | None = None,
    actor: Actor = None,
) -> PaymentAccount:
    """Copy what the provider says of the account onto our row, unless our row already holds a
    newer state (`as_of`: when the provider said it; an event's `created`, now for a fresh
    read). An account whose requirements fall past due is flagged to HQ (an audit event, the
    admin's filter, the back-office's notice); it can no longer receive payouts."""
    as_of = as_of or timezone.now()
    with transaction.atomic():
        account = PaymentAccount.objects.select_for_update().get(pk=account.pk)
        if account.state_as_of is not None and as_of < account.state_as_of:
            return account
        was_past_due = bool(account.past_due)
        account.charges_enabled = state.charges_enabled
        account.payouts_enabled = state.payouts_enabled
        account.details_submitted = state.details_submitted
        account.currently_due = list(state.currently_due)
        account.past_due = list(state.past_due)
        account.disabled_reason = (state.disabled_reason or "")[:100]
        account.state_as_of = as_of
        account.save(
            update_fields=[
                "charges_enabled",
                "payouts_enabled",
                "details_submitted",
                "currently_due",
                "past_due",
                "disabled_reason",
                "state_as_of",
                "updated_at",
            ]
        )
        if bool(account.past_due) != was_past_due:
            record_audit_event(
                actor=actor or "payment provider",
                action="payment_account.past_due"
                if account.past_due
                else "payment_account.requirements_met",
                target=account,
                store_id=account.store_id,
                data={"reference": account.reference, "past_due": account.past_due},
            )
    return account


def refresh_account(*, account: PaymentAccount, actor: Actor = None) -> PaymentAccount:
    """Read the account at the provider now (the onboarding's return page). Raises
    ProviderUnavailable."""
    state = get_provider().retrieve_account(account_reference=account.reference)
    return apply_account_state(account=account, state=state, as_of=timezone.now(), actor=actor)


def start_onboarding(*, store: Store, refresh_url: str, return_url: str, actor: Actor) -> str:
    """The provider's onboarding URL for `store`, opening its account first if it has none.
    Raises ProviderUnavailable."""
    account = payment_account_for(store)
    url = get_provider().account_link(
        account_reference=account.reference, refresh_url=refresh_url, return_url=return_url
    )
    record_audit_event(
        actor=actor,
        action="payment_account.onboarding_started",
        target=account,
        store_id=store.pk,
        data={"reference": account.reference},
    )
    return url


@dataclass(frozen=True)
class PayoutReadiness:
    """How many franchised stores (open, not HQ's own) can receive a payout today, of how many."""

    payable: int
    franchised: int

    @property
    def all_payable(self) -> bool:
        return self.franchised > 0 and self.payable == self.franchised


def payout_readiness() -> PayoutReadiness:
    """The money dashboard's panel: it says every store can be paid only when it is true."""
    franchised = Store.objects.exclude(kind__in=HQ_OWN_KINDS).exclude(status=Store.Status.CLOSED)
    payable = franchised.filter(
        payment_account__payouts_enabled=True, payment_account__past_due=[]
    ).count()
    return PayoutReadiness(payable=payable, franchised=franchised.count())
