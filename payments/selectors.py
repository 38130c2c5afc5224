"""Reads of payments for pages and other apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import PaymentAccount


def payment_account_of(store) -> PaymentAccount | None:
    """The store's connected account, or None when it was never opened."""
    return PaymentAccount.objects.filter(store=store).first()


def may_see_payment_account(*, user, membership) -> bool:
    """HQ and the store's owner see (and move on) the store's payment account; the rest of
    its team does not."""
    from stores.models import StoreMembership

    return bool(user.is_staff or (membership and membership.role == StoreMembership.Role.OWNER))


@dataclass(frozen=True)
class AccountSummary:
    state: str  # not_opened, incomplete, ready, past_due
    label: str
    tone: str  # ok, warn, danger, neutral
    account: PaymentAccount | None
    requirements: list[str]


# Stripe's most frequent requirements, in words; the others are shown by their name.
REQUIREMENT_LABELS = {
    "external_account": gettext_lazy("The store's bank account"),
    "business_profile.url": gettext_lazy("The business's website"),
    "business_profile.mcc": gettext_lazy("The business's activity"),
    "company.tax_id": gettext_lazy("The company's registration number"),
    "representative.first_name": gettext_lazy("The representative's first name"),
    "representative.last_name": gettext_lazy("The representative's last name"),
    "representative.dob.day": gettext_lazy("The representative's date of birth"),
    "representative.verification.document": gettext_lazy("The representative's identity document"),
    "tos_acceptance.date": gettext_lazy("Acceptance of the provider's terms"),
}


def requirement_label(name: str) -> str:
    """Stripe's requirement names (`business_profile.url`) in words a person reads."""
    label = REQUIREMENT_LABELS.get(name)
    return str(label) if label else name.replace(".", " · ").replace("_", " ")


def account_summary(store) -> AccountSummary:
    account = payment_account_of(store)
    if account is None:
        return AccountSummary("not_opened", _("Not opened"), "neutral", None, [])
    state = account.onboarding_state
    if state == "past_due":
        due = account.past_due
        return AccountSummary(
            state,
            _("Requirements past due"),
            "danger",
            account,
            [requirement_label(n) for n in due],
        )
    if state == "ready":
        return AccountSummary(state, _("Ready"), "ok", account, [])
    return AccountSummary(
        state, _("Onboarding incomplete"), "warn", account,
        [requirement_label(name) for name in account.currently_due],
    )  # fmt: skip
