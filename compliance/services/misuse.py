"""Misuse of the service (DSA art. 23), HQ's policy as settings (published on the terms page):

- Manifestly illegal content (art. 23(1)): HQ marks a store (or a user) when it decides a
  notice or takes a measure. Within MISUSE_WINDOW_DAYS, at MISUSE_WARNING_THRESHOLD marks the
  account gets a warning (`apply_measure(kind="warning", source="misuse")`), at
  MISUSE_SUSPENSION_THRESHOLD (and once warned) its selling or account is suspended for
  MISUSE_SUSPENSION_DAYS (`store_selling_suspended` / `account_suspended`, with `ends_at`).
- Manifestly unfounded notices or complaints (art. 23(2)): held against the notifier's e-mail
  (and its account, if any). The same thresholds give a warning, then a suspension of the
  handling of what that e-mail sends (`NotifierSuspension`, checked by the notice and complaint
  intake with `notices_suspended_for`). Both are e-mailed with their reasons; where the notifier
  has an account (a user, a store) the warning is also a measure with its statement of reasons.

Marking is idempotent: one mark per decided record (`source`, e.g. "notice:12").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import AuditEvent, User
from network_marketplace.notifications import send_templated_email
from stores.models import Store

from ..models import (
    Measure,
    MeasureKind,
    MeasureSource,
    MisuseKind,
    MisuseRecord,
    NotifierSuspension,
)
from .measures import apply_measure

CONTENT_KINDS = (MisuseKind.ILLEGAL_CONTENT,)
NOTICE_KINDS = (MisuseKind.UNFOUNDED_NOTICE, MisuseKind.UNFOUNDED_COMPLAINT)
LEGAL_GROUND = "Regulation (EU) 2022/2065 (Digital Services Act), article 23"


class InvalidMisuseMark(DomainError):
    code = "invalid_misuse_mark"
    http_status = 400


@dataclass(frozen=True)
class MisuseOutcome:
    """What a mark led to: the record, the account's count in the window, and the action
    taken now ("", "warning" or "suspension")."""

    record: MisuseRecord
    count: int
    action: str = ""
    measure: Measure | None = None
    suspension: NotifierSuspension | None = None


def misuse_policy() -> dict[str, int]:
    """The thresholds as the terms page states them."""
    return {
        "window_days": settings.MISUSE_WINDOW_DAYS,
        "warning": settings.MISUSE_WARNING_THRESHOLD,
        "suspension": settings.MISUSE_SUSPENSION_THRESHOLD,
        "suspension_days": settings.MISUSE_SUSPENSION_DAYS,
    }


def notices_suspended_for(email: str, *, now: datetime | None = None) -> NotifierSuspension | None:
    """The suspension in force of notices and complaints sent from `email`, if any."""
    now = now or timezone.now()
    return (
        NotifierSuspension.objects.filter(
            email=email.strip().lower(), starts_at__lte=now, ends_at__gt=now
        )
        .order_by("-ends_at")
        .first()
    )


def mark_misuse(
    *,
    kind: str,
    source: str,
    actor: Any,
    store: Store | None = None,
    user: User | None = None,
    email: str = "",
    note: str = "",
    now: datetime | None = None,
) -> MisuseOutcome:
    """HQ marks one decided record as a manifest case against an account (a store, a user,
    or a notifier's e-mail), then applies the policy. Marking the same record again returns
    the first mark and does nothing more."""
    if kind not in MisuseKind.values:
        raise InvalidMisuseMark(_("Unknown kind of misuse."))
    email = email.strip().lower()
    if kind in NOTICE_KINDS and not email:
        email = (user.email if user else "") or (store.email if store else "")
        email = email.lower()
    if store is None and user is None and not email:
        raise InvalidMisuseMark(_("Name the account the misuse is held against."))
    if kind in CONTENT_KINDS and store is None and user is None:
        raise InvalidMisuseMark(_("Manifestly illegal content is held against a store or a user."))
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = MisuseRecord.objects.create(
                    kind=kind,
                    store=store,
                    user=user,
                    email=email if kind in NOTICE_KINDS else "",
                    source=source,
                    note=note[:300],
                    marked_by=actor if isinstance(actor, User) else None,
                    marked_at=now,
                )
        except IntegrityError:
            record = MisuseRecord.objects.get(kind=kind, source=source)
            return MisuseOutcome(record=record, count=_count(record, now))
        record_audit_event(
            actor=actor,
            action="misuse.marked",
            target=record,
            store_id=store.pk if store else None,
            data={"kind": kind, "source": source},
        )
        if kind in CONTENT_KINDS:
            return _apply_content_policy(record, actor=actor, now=now)
        return _apply_notice_policy(record, actor=actor, now=now)


def _account_records(record: MisuseRecord, now: datetime) -> QuerySet[MisuseRecord]:
    since = now - timedelta(days=settings.MISUSE_WINDOW_DAYS)
    records = MisuseRecord.objects.filter(marked_at__gt=since, marked_at__lte=now)
    if record.kind in CONTENT_KINDS:
        records = records.filter(kind__in=CONTENT_KINDS)
        return (
            records.filter(store=record.store)
            if record.store_id
            else records.filter(user=record.user)
        )
    return records.filter(kind__in=NOTICE_KINDS, email=record.email)


def _count(record: MisuseRecord, now: datetime) -> int:
    return _account_records(record, now).count()


def _facts(record: MisuseRecord, count: int) -> str:
    return _(
        "%(count)d decisions of HQ within %(days)d days found %(what)s (the last one on "
        "%(source)s). Our policy on misuse: a warning from %(warning)d, a suspension of "
        "%(suspension_days)d days from %(suspension)d."
    ) % {
        "count": count,
        "days": settings.MISUSE_WINDOW_DAYS,
        "what": MisuseKind(record.kind).label.lower(),
        "source": record.source,
        "warning": settings.MISUSE_WARNING_THRESHOLD,
        "suspension": settings.MISUSE_SUSPENSION_THRESHOLD,
        "suspension_days": settings.MISUSE_SUSPENSION_DAYS,
    }


def _terms_clause() -> str:
    return _("Terms of use, “Misuse of the service” (policy under DSA article 23)")


def _apply_content_policy(record: MisuseRecord, *, actor: Any, now: datetime) -> MisuseOutcome:
    count = _count(record, now)
    target: Store | User | None = record.store or record.user
    assert target is not None  # noqa: S101 - mark_misuse refuses content marks without one
    since = now - timedelta(days=settings.MISUSE_WINDOW_DAYS)
    misuse_measures = Measure.objects.filter(
        source=MeasureSource.MISUSE,
        target_id=target.pk,
        started_at__gt=since,
        **({"store": record.store} if record.store_id else {"user": record.user}),
    )
    warned = misuse_measures.filter(kind=MeasureKind.WARNING).exists()
    suspension_kind = (
        MeasureKind.STORE_SELLING_SUSPENDED if record.store_id else MeasureKind.ACCOUNT_SUSPENDED
    )
    suspended = misuse_measures.filter(kind=suspension_kind, status=Measure.Status.ACTIVE).exists()
    common = {
        "target": target,
        "source": MeasureSource.MISUSE,
        "facts": _facts(record, count),
        "legal_ground": LEGAL_GROUND,
        "terms_clause": _terms_clause(),
        "actor": actor,
        "now": now,
    }
    if count >= settings.MISUSE_SUSPENSION_THRESHOLD and warned and not suspended:
        measure = apply_measure(
            kind=suspension_kind,
            ends_at=now + timedelta(days=settings.MISUSE_SUSPENSION_DAYS),
            **common,
        )
        return MisuseOutcome(record=record, count=count, action="suspension", measure=measure)
    if count >= settings.MISUSE_WARNING_THRESHOLD and not warned:
        measure = apply_measure(kind=MeasureKind.WARNING, **common)
        return MisuseOutcome(record=record, count=count, action="warning", measure=measure)
    return MisuseOutcome(record=record, count=count)


def _apply_notice_policy(record: MisuseRecord, *, actor: Any, now: datetime) -> MisuseOutcome:
    count = _count(record, now)
    email = record.email
    since = now - timedelta(days=settings.MISUSE_WINDOW_DAYS)
    warned = AuditEvent.objects.filter(
        action="misuse.notifier_warned", data__email=email, created_at__gt=since
    ).exists()
    facts = _facts(record, count)
    if count >= settings.MISUSE_SUSPENSION_THRESHOLD and warned:
        if notices_suspended_for(email, now=now) is not None:
            return MisuseOutcome(record=record, count=count)
        suspension = NotifierSuspension.objects.create(
            email=email,
            kind=record.kind,
            starts_at=now,
            ends_at=now + timedelta(days=settings.MISUSE_SUSPENSION_DAYS),
            reasons=facts,
            decided_by_label=actor_label(actor),
        )
        record_audit_event(
            actor=actor,
            action="misuse.notifier_suspended",
            target=suspension,
            data={"email": email, "until": suspension.ends_at.isoformat()},
        )
        _tell_notifier(email, facts=facts, suspension=suspension, key=f"suspension:{suspension.pk}")
        return MisuseOutcome(record=record, count=count, action="suspension", suspension=suspension)
    if count >= settings.MISUSE_WARNING_THRESHOLD and not warned:
        record_audit_event(
            actor=actor,
            action="misuse.notifier_warned",
            target=record,
            data={"email": email, "count": count},
        )
        measure = None
        account = record.store or record.user
        if account is not None:
            measure = apply_measure(
                kind=MeasureKind.WARNING,
                target=account,
                source=MeasureSource.MISUSE,
                facts=facts,
                legal_ground=LEGAL_GROUND,
                terms_clause=_terms_clause(),
                actor=actor,
                now=now,
            )
        else:
            _tell_notifier(email, facts=facts, suspension=None, key=f"warning:{record.pk}")
        return MisuseOutcome(record=record, count=count, action="warning", measure=measure)
    return MisuseOutcome(record=record, count=count)


def _tell_notifier(
    email: str, *, facts: str, suspension: NotifierSuspension | None, key: str
) -> None:
    send_templated_email(
        to=email,
        template="compliance/misuse_notifier",
        context={
            "facts": facts,
            "suspended_until": f"{suspension.ends_at:%d/%m/%Y}" if suspension else "",
            "legal_ground": LEGAL_GROUND,
        },
        dedupe_key=f"misuse-notifier:{key}",
    )
