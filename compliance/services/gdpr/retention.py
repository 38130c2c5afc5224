"""The retention engine (GDPR art. 5(1)(e)): every purpose's clock applied in one run.

The clocks are one table, `settings.GDPR_RETENTION_DAYS` (legal defaults, each overridable);
`clocks.CLOCKS` says what each one removes and why, in the order a run applies them (the
export's cover page and docs/gdpr.md show it); `RUNNERS` below removes them. Each purpose
removes only what is past its clock and not removed yet, so running twice removes each item
once: the second run reports 0.
`apply_retention` records each run (`RetentionRun`: what it removed per purpose) and logs it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from fulfillment.services import forget_pickup_codes
from network_marketplace import retention as registry
from network_marketplace.models import AuditEvent, OutboxMessage, User
from network_marketplace.notifications import EMAIL_KIND, send_templated_email
from network_marketplace.webhooks import WEBHOOK_KIND
from stores.models import StoreMembership

from ...models import InactiveAccountWarning, RetainedPersonalData, RetentionRun
from .clocks import CLOCKS, days_of
from .erasure import AccountHasOpenOrders, close_account
from .export import expire_exports

logger = logging.getLogger(__name__)
ACTOR = "retention"
ERASED_SUFFIX = "@erased.invalid"
# The audit rows about a customer's personal data (accounts' and the exports' actions).
PERSONAL_DATA_ACTIONS = ("account.", "personal_export.")


def _cutoff(key: str, now: datetime) -> datetime:
    return now - timedelta(days=settings.GDPR_RETENTION_DAYS[key])


# Inactive accounts ----------------------------------------------------------------------------


def _customers() -> QuerySet[User]:
    """Customer accounts still open: no staff, no store member (their accounts are the stores'
    business, closed with their membership), not closed already."""
    return (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(email__endswith=ERASED_SUFFIX)
        .exclude(Exists(StoreMembership.objects.filter(user=OuterRef("pk"))))
        .annotate(activity=Coalesce("last_login", "date_joined"))
    )


def warn_inactive_accounts(now: datetime) -> int:
    """E-mail the customers whose account closes in GDPR_INACTIVE_WARNING_DAYS, once each per
    period of inactivity; returns how many were warned."""
    threshold = _cutoff("inactive_accounts", now) + timedelta(
        days=settings.GDPR_INACTIVE_WARNING_DAYS
    )
    warned = 0
    for user in _customers().filter(activity__lt=threshold).order_by("pk"):
        with transaction.atomic():
            warning = InactiveAccountWarning.objects.select_for_update().filter(user=user).first()
            if warning is not None and warning.activity_at == user.activity:
                continue
            InactiveAccountWarning.objects.update_or_create(
                user=user, defaults={"activity_at": user.activity, "warned_at": now}
            )
            closes_on = max(
                user.activity + timedelta(days=days_of("inactive_accounts")),
                now + timedelta(days=settings.GDPR_INACTIVE_WARNING_DAYS),
            )
            send_templated_email(
                to=user.email,
                template="account_inactive_warning",
                context={
                    "first_name": user.first_name,
                    "closes_on": timezone.localdate(closes_on).strftime("%d/%m/%Y"),
                    "years": days_of("inactive_accounts") // 365,
                },
                dedupe_key=f"account-inactive:{user.pk}:{user.activity.isoformat()}",
            )
            warned += 1
    return warned


def close_inactive_accounts(now: datetime) -> int:
    """Close the accounts inactive past the clock whose warning is GDPR_INACTIVE_WARNING_DAYS
    old; an account with an order still open waits. Returns how many were closed."""
    warned_before = now - timedelta(days=settings.GDPR_INACTIVE_WARNING_DAYS)
    due = _customers().filter(activity__lt=_cutoff("inactive_accounts", now))
    closed = 0
    for user in due.order_by("pk"):
        warning = InactiveAccountWarning.objects.filter(user=user).first()
        if warning is None or warning.activity_at != user.activity:
            continue
        if warning.warned_at > warned_before:
            continue
        try:
            report = close_account(user=user, actor=f"{ACTOR}: inactive account", now=now)
        except AccountHasOpenOrders:
            continue
        closed += 0 if report.already_closed else 1
    return closed


# The other purposes ---------------------------------------------------------------------------


def delete_sent_emails(now: datetime) -> int:
    cutoff = _cutoff("notifications", now)
    return OutboxMessage.objects.filter(
        kind=EMAIL_KIND, status=OutboxMessage.Status.SENT, sent_at__lt=cutoff
    ).delete()[0]


def delete_webhook_payloads(now: datetime) -> int:
    """The delivered (or given up) webhooks' messages go; each delivery's record stays
    (WebhookDelivery: endpoint, status, timing), without the payload."""
    cutoff = _cutoff("webhook_payloads", now)
    return OutboxMessage.objects.filter(
        kind=WEBHOOK_KIND,
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.DEAD],
        created_at__lt=cutoff,
    ).delete()[0]


def delete_pickup_code_digests(now: datetime) -> int:
    return forget_pickup_codes(before=_cutoff("pickup_code_digests", now))


def delete_personal_data_audit(now: datetime) -> int:
    query = Q()
    for prefix in PERSONAL_DATA_ACTIONS:
        query |= Q(action__startswith=prefix)
    return AuditEvent.objects.filter(
        query, created_at__lt=_cutoff("personal_data_audit", now)
    ).delete()[0]


def expire_data_exports(now: datetime) -> int:
    return expire_exports(now=now)


def delete_retained_legal_data(now: datetime) -> int:
    return RetainedPersonalData.objects.filter(delete_after__lt=now).delete()[0]


# What removes each clock's items; a clock without one here is an app's (registered in
# network_marketplace.retention: the guest carts are the checkout's).
RUNNERS: dict[str, Callable[[datetime], int]] = {
    "inactive_accounts": close_inactive_accounts,
    "notifications": delete_sent_emails,
    "pickup_code_digests": delete_pickup_code_digests,
    "webhook_payloads": delete_webhook_payloads,
    "personal_data_audit": delete_personal_data_audit,
    "data_exports": expire_data_exports,
    "retained_legal_data": delete_retained_legal_data,
}


def apply_retention(*, now: datetime | None = None, actor: str = ACTOR) -> RetentionRun:
    """Apply every purpose's clock once; record and log what each removed."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now, actor_label=actor)
    registered = registry.registered_purposes()
    removed: dict[str, int] = {"inactive_account_warnings": warn_inactive_accounts(now)}
    for clock in CLOCKS:
        purge = RUNNERS.get(clock.key) or registered.get(clock.key)
        if purge is None:
            logger.warning("retention: nothing removes %s (no function registered)", clock.key)
            continue
        removed[clock.key] = purge(now)
    run.removed = removed
    run.total = sum(count for key, count in removed.items() if key != "inactive_account_warnings")
    run.finished_at = timezone.now()
    run.save(update_fields=["removed", "total", "finished_at"])
    logger.info(
        "retention run %s removed %d: %s",
        run.pk,
        run.total,
        ", ".join(f"{key}={count}" for key, count in removed.items()),
    )
    return run
