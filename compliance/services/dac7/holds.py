"""The DAC7 hold on a store's payouts (Directive 2021/514, annex V, section III.F: a seller
that does not give its data after two reminders has its consideration withheld until it does):
a `payments.PayoutHold` with a DAC7 reference and reason, and the notice telling the store why
and how to lift it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.notifications import send_templated_email
from payments.models import PayoutHold
from payments.payouts import hold_payouts, release_payouts
from stores.models import Store, StoreMembership

from ...models import Dac7Notice

SYSTEM_ACTOR = "compliance: DAC7"
LEGAL_GROUND = gettext_lazy(
    "Code général des impôts, art. 1649 ter B and ter E; Council Directive (EU) 2021/514 "
    "(DAC7), annex V, section III.F"
)


def hold_reference(store: Store, year: int) -> str:
    return f"compliance.dac7:{store.pk}:{year}"


def active_dac7_hold(store: Store) -> PayoutHold | None:
    return (
        PayoutHold.objects.active()
        .filter(store=store, reference__startswith=f"compliance.dac7:{store.pk}:")
        .first()
    )


def store_recipients(store: Store) -> list[str]:
    """The store's contact address and its owners' and managers' (active) addresses."""
    emails = [store.email] if store.email else []
    emails += StoreMembership.objects.filter(
        store=store,
        role__in=[StoreMembership.Role.OWNER, StoreMembership.Role.MANAGER],
        user__is_active=True,
    ).values_list("user__email", flat=True)
    return sorted(dict.fromkeys(email for email in emails if email))


def notify(
    *,
    store: Store,
    year: int,
    kind: str,
    text: str,
    missing: list[str],
    page_path: str = "",
    sent_at: datetime | None = None,
) -> Dac7Notice:
    """Record notice `kind` of `year` for the store (once: a second call returns the first)
    and e-mail it to the store, after commit through the outbox."""
    notice, created = Dac7Notice.objects.get_or_create(
        store=store,
        year=year,
        kind=kind,
        defaults={"text": text, "missing": missing, "sent_at": sent_at or timezone.now()},
    )
    recipients = store_recipients(store)
    if created and recipients:
        send_templated_email(
            to=recipients,
            template="dac7_notice",
            context={
                "store_name": store.name,
                "subject": str(notice.get_kind_display()),
                "text": text,
                "missing": missing,
                "page_path": page_path or f"/store/{store.slug}/compliance/tax-data/",
            },
            language=settings.LANGUAGE_CODE,
            dedupe_key=f"dac7-notice:{notice.pk}",
        )
    return notice


def hold_for_dac7(
    *,
    store: Store,
    year: int,
    missing: list[str],
    actor: Any = SYSTEM_ACTOR,
    sent_at: datetime | None = None,
) -> PayoutHold:
    """Hold the store's payouts for missing DAC7 data of `year`, with the statement to the
    store (its notice and e-mail). Idempotent."""
    with transaction.atomic():
        hold = hold_payouts(
            store=store,
            reference=hold_reference(store, year),
            reason=_("DAC7: the store's tax data is missing (%(ground)s)")
            % {"ground": LEGAL_GROUND},
            actor=actor,
        )
        notify(
            store=store,
            year=year,
            kind=Dac7Notice.Kind.PAYOUTS_HELD,
            text=_(
                "HQ must report to the tax administration (DGFiP) what each store earned on the "
                "marketplace in %(year)d, with the store's tax data. The store was reminded "
                "twice and the data is still missing, so its payouts are held from today: its "
                "balance stays owed to it. They are released as soon as the data is complete "
                "on the “Tax data (DAC7)” page of the back-office. Legal ground: %(ground)s."
            )
            % {"year": year, "ground": LEGAL_GROUND},
            missing=missing,
            sent_at=sent_at,
        )
    return hold


def release_dac7_hold(*, store: Store, actor: Any = SYSTEM_ACTOR) -> PayoutHold | None:
    """Release the DAC7 hold of the store's payouts (its data is complete), with its notice.
    None when there was none."""
    hold = active_dac7_hold(store)
    if hold is None:
        return None
    with transaction.atomic():
        released = release_payouts(reference=hold.reference, actor=actor)
        year = int(hold.reference.rsplit(":", 1)[1])
        notify(
            store=store,
            year=year,
            kind=Dac7Notice.Kind.PAYOUTS_RELEASED,
            text=_(
                "The store's tax data (DAC7) is complete: its payouts are released and the next "
                "payout run pays what it is owed."
            ),
            missing=[],
        )
    return released
