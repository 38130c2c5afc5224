"""Stores' connected accounts at the payment provider.

Transfers and payouts need a store's account: `payment_account_for` opens it on first use (the
dummy provider's accounts are ready at once; a real provider's need the store's onboarding).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import PaymentAccount
from .providers import AccountState, get_provider


def payment_account_for(store) -> PaymentAccount:
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


def apply_account_state(*, account: PaymentAccount, state: AccountState) -> PaymentAccount:
    """Copy what the provider says of the account onto our row."""
    account.charges_enabled = state.charges_enabled
    account.payouts_enabled = state.payouts_enabled
    account.details_submitted = state.details_submitted
    account.currently_due = list(state.currently_due)
    account.past_due = list(state.past_due)
    account.disabled_reason = state.disabled_reason[:100]
    account.save(
        update_fields=[
            "charges_enabled", "payouts_enabled", "details_submitted", "currently_due",
            "past_due", "disabled_reason", "updated_at",
        ]
    )  # fmt: skip
    return account
