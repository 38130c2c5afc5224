"""The retention clocks (GDPR art. 5(1)(e)): what each one of `settings.GDPR_RETENTION_DAYS`
removes and why, in the order a retention run applies them. The export's cover page, HQ's
pages and docs/gdpr.md show this table; the engine (retention.py) runs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Clock:
    key: str  # settings.GDPR_RETENTION_DAYS[key]
    label: Promise
    basis: Promise  # why this long


def days_of(key: str) -> int:
    return settings.GDPR_RETENTION_DAYS[key]


CLOCKS: list[Clock] = [
    Clock(
        "inactive_accounts",
        _("Customer accounts nobody signed in to"),
        _("Closed after 3 years without a sign-in (CNIL), once warned by e-mail a month before."),
    ),
    Clock(
        "abandoned_carts",
        _("Guest carts nobody touched"),
        _("A cart serves the purchase under way; a customer's own cart goes with her account."),
    ),
    Clock(
        "notifications",
        _("E-mails sent to customers and stores"),
        _("Kept to answer a question about an order or a claim, then deleted."),
    ),
    Clock(
        "pickup_code_digests",
        _("Pickup codes of orders handed over or ended"),
        _("A code serves only the handover."),
    ),
    Clock(
        "webhook_payloads",
        _("Data sent to the stores' systems (webhooks)"),
        _("Kept to resend a failed delivery; the delivery's record stays, without its data."),
    ),
    Clock(
        "personal_data_audit",
        _("Activity records of changes to customers' data"),
        _("Kept to prove who changed what (security), then deleted."),
    ),
    Clock(
        "data_exports",
        _("Customers' data exports (the ZIP files)"),
        _("The download link works this long; the request stays on record."),
    ),
    Clock(
        "retained_legal_data",
        _("What the law keeps of a closed account (orders, invoices)"),
        _(
            "10 years: accounting records (Code de commerce L123-22), consumer contracts of "
            "120 EUR or more (Code de la consommation L213-1)."
        ),
    ),
]


def period_label(days: int) -> str:
    """ "3 years", "30 days": whole years when the clock is a number of years (leap days aside)."""
    years, rest = divmod(days, 365)
    if years and rest <= years // 4 + 1:
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def retention_table() -> list[dict[str, Any]]:
    """Each clock with its days, for the cover page, HQ's pages and the docs."""
    return [
        {
            "key": c.key,
            "label": c.label,
            "basis": c.basis,
            "days": days_of(c.key),
            "period": period_label(days_of(c.key)),
        }
        for c in CLOCKS
    ]
