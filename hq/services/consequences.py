"""The automatic consequences of the scorecards, and HQ's overrides.

`apply_consequences` (beat: `hq.tasks.apply_scorecard_consequences`) reads every selling store's
scorecard over HQ's rolling period and moves its standing (hq/states.py):

- good, a warning threshold crossed: warned;
- warned, a suspension threshold crossed: out of home-delivery routing, for HQ's suspension
  length at least, through compliance's measure (`suspend_home_delivery`: the statement of
  reasons goes to the store, which may complain); warned, the figures back within the warning
  thresholds: good again;
- out of home delivery, once the suspension's length is over: back (the measure lifted) when
  the figures are within the warning thresholds (rule "figures"), or at once with the figures
  counted afresh from then (rule "time").

Each step is one transaction on the standing's locked row (two runs at once make one step), with
its event (figures and thresholds of the moment) and the e-mail to the store's owners and
managers (outbox). A run changes nothing for a store whose standing fits its figures: running it
twice is harmless. HQ's overrides (`impose_suspension`, `lift_standing`) take a reason, recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compliance.services.measures import lift_measure
from compliance.services.p2b_measures import suspend_home_delivery
from network_marketplace.errors import DomainError
from network_marketplace.notifications import send_templated_email
from network_marketplace.public_urls import public_url
from network_marketplace.transitions import transition
from stores.models import Store, StoreMembership

from ..models import RecoveryRule, ScorecardSettings, StoreStanding
from ..selectors.scorecards import (
    SUSPENSION,
    Breach,
    Scorecard,
    breaches,
    describe_breach,
    period_of,
    store_scorecards,
    worst_level,
)
from ..states import STANDING_LIFECYCLE

Status = StoreStanding.Status
SYSTEM_ACTOR = "hq.scorecards"


class ReasonRequired(DomainError):
    code = "reason_required"


@dataclass(frozen=True)
class Step:
    """What a run did to one store."""

    store_id: int
    previous: str
    status: str


def standing_of(store: Store, *, now: datetime | None = None) -> StoreStanding:
    """The store's standing (good, from now, when it had none)."""
    standing, _created = StoreStanding.objects.get_or_create(
        store=store, defaults={"since": now or timezone.now()}
    )
    return standing


def evaluated_stores() -> QuerySet[Store]:
    """The stores the consequences apply to: selling stores (not the warehouse)."""
    return Store.objects.filter(status=Store.Status.ACTIVE).exclude(kind=Store.Kind.WAREHOUSE)


def apply_consequences(*, now: datetime | None = None) -> list[Step]:
    """Move every selling store's standing to fit its figures (see the module docstring).
    Returns the steps made. Safe to run twice, and concurrently."""
    now = now or timezone.now()
    settings_row = ScorecardSettings.current()
    start, end = period_of(settings_row, end=now)
    ship_within = timedelta(hours=settings_row.ship_within_hours)
    stores = list(evaluated_stores().order_by("pk"))
    standings = {
        standing.store_id: standing for standing in StoreStanding.objects.filter(store__in=stores)
    }
    cards = store_scorecards(
        start=start, end=end, store_ids=[store.pk for store in stores], ship_within=ship_within
    )
    steps = []
    for store in stores:
        standing = standing_of(store, now=now) if store.pk not in standings else standings[store.pk]
        scorecard = cards[store.pk]
        if standing.counted_from and standing.counted_from > start:
            scorecard = store_scorecards(
                start=standing.counted_from, end=end, store_ids=[store.pk], ship_within=ship_within
            )[store.pk]
        if _decide(standing, scorecard, settings_row, now) is None:
            continue
        step = _evaluate_locked(store, settings_row, now, start, end, ship_within)
        if step is not None:
            steps.append(step)
    return steps


def _decide(
    standing: StoreStanding, scorecard: Scorecard, settings_row: ScorecardSettings, now: datetime
) -> str | None:
    """The standing the figures call for, or None when it stays."""
    level = worst_level(breaches(scorecard, settings_row))
    if standing.status == Status.GOOD:
        return Status.WARNED if level is not None else None
    if standing.status == Status.WARNED:
        if level == SUSPENSION:
            return Status.SUSPENDED
        return Status.GOOD if level is None else None
    # Suspended: never before its length is over.
    if standing.suspended_until and now < standing.suspended_until:
        return None
    if settings_row.recovery == RecoveryRule.TIME or level is None:
        return Status.GOOD
    return None


def _evaluate_locked(
    store: Store,
    settings_row: ScorecardSettings,
    now: datetime,
    start: datetime,
    end: datetime,
    ship_within: timedelta,
) -> Step | None:
    """Lock the standing, read the figures again, make the step if it is still due."""
    with transaction.atomic():
        standing = StoreStanding.objects.select_for_update().get(store=store)
        since = max(start, standing.counted_from) if standing.counted_from else start
        scorecard = store_scorecards(
            start=since, end=end, store_ids=[store.pk], ship_within=ship_within
        )[store.pk]
        target = _decide(standing, scorecard, settings_row, now)
        if target is None:
            return None
        previous = standing.status
        found = breaches(scorecard, settings_row)
        if target == Status.WARNED:
            _warn(standing, scorecard, found, settings_row, now, actor=SYSTEM_ACTOR)
        elif target == Status.SUSPENDED:
            _suspend(standing, scorecard, found, settings_row, now, actor=SYSTEM_ACTOR)
        else:
            fresh_start = previous == Status.SUSPENDED and bool(found)
            _restore(
                standing,
                scorecard,
                found,
                settings_row,
                now,
                actor=SYSTEM_ACTOR,
                reason=_recovery_reason(previous, fresh_start),
                counted_from=now if fresh_start else standing.counted_from,
            )
        return Step(store_id=store.pk, previous=previous, status=target)


def _recovery_reason(previous: str, fresh_start: bool) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if fresh_start:
            return _("The suspension is over; the figures are counted afresh from now.")
        if previous == Status.SUSPENDED:
            return _("The suspension is over and the figures are back within the thresholds.")
        return _("The figures are back within the warning thresholds.")


def _record(
    standing: StoreStanding,
    target: str,
    *,
    scorecard: Scorecard | None,
    found: list[Breach],
    settings_row: ScorecardSettings,
    actor: Any,
    reason: str,
    overridden: bool,
    changes: dict,
) -> StoreStanding:
    return transition(
        STANDING_LIFECYCLE,
        standing,
        target,
        actor=actor,
        reason=reason,
        changes=changes,
        locked=True,
        audit_data={"breaches": [breach.as_dict() for breach in found], "overridden": overridden},
        event_fields={
            "figures": scorecard.as_dict() if scorecard is not None else {},
            "thresholds": settings_row.as_dict(),
            "breaches": [breach.as_dict() for breach in found],
            "overridden": overridden,
        },
    ).row


def _breach_lines(found: list[Breach]) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [describe_breach(breach) for breach in found]


def _warn(
    standing: StoreStanding,
    scorecard: Scorecard,
    found: list[Breach],
    settings_row: ScorecardSettings,
    now: datetime,
    *,
    actor: Any,
) -> None:
    lines = _breach_lines(found)
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Warning: %(figures)s.") % {"figures": "; ".join(lines)}
    standing = _record(
        standing,
        Status.WARNED,
        scorecard=scorecard,
        found=found,
        settings_row=settings_row,
        actor=actor,
        reason=reason,
        overridden=False,
        changes={"since": now},
    )
    _tell_store(standing, step="warned", lines=lines, settings_row=settings_row)


def _suspend(
    standing: StoreStanding,
    scorecard: Scorecard | None,
    found: list[Breach],
    settings_row: ScorecardSettings,
    now: datetime,
    *,
    actor: Any,
    hq_reason: str = "",
    days: int | None = None,
) -> None:
    days = days or settings_row.suspension_days
    until = now + timedelta(days=days)
    lines = _breach_lines(found)
    overridden = bool(hq_reason)
    with translation.override(settings.LANGUAGE_CODE):
        facts = _(
            "Your store is taken out of home-delivery routing for %(days)s days at least, from "
            "%(start)s. Your click & collect, reserve & collect and store page stay."
        ) % {"days": days, "start": date_format(timezone.localtime(now), "DATETIME_FORMAT")}
        if hq_reason:
            facts += " " + _("HQ's decision: %(reason)s") % {"reason": hq_reason}
        if lines:
            facts += " " + _("Your figures over the last %(days)s days: %(figures)s.") % {
                "days": settings_row.period_days,
                "figures": "; ".join(lines),
            }
        if settings_row.recovery == RecoveryRule.FIGURES:
            facts += " " + _(
                "You come back once the suspension is over and your figures are within the "
                "warning thresholds."
            )
        else:
            facts += " " + _("You come back at the end of the suspension.")
        clause = _(
            "Network terms, quality of service: HQ's scorecard thresholds (acceptance, "
            "timeouts, late shipments, stock accuracy)."
        )
        reason = hq_reason or _("Out of home delivery: %(figures)s.") % {
            "figures": "; ".join(lines)
        }
    measure = suspend_home_delivery(
        store=standing.store,
        facts=facts,
        terms_clause=clause,
        actor=actor,
        automated=not overridden,
    )
    standing = _record(
        standing,
        Status.SUSPENDED,
        scorecard=scorecard,
        found=found,
        settings_row=settings_row,
        actor=actor,
        reason=reason,
        overridden=overridden,
        changes={"since": now, "suspended_until": until, "measure": measure},
    )
    _tell_store(
        standing, step="suspended", lines=lines, settings_row=settings_row, hq_reason=hq_reason
    )


def _restore(
    standing: StoreStanding,
    scorecard: Scorecard | None,
    found: list[Breach],
    settings_row: ScorecardSettings,
    now: datetime,
    *,
    actor: Any,
    reason: str,
    counted_from: datetime | None,
    overridden: bool = False,
) -> None:
    previous = standing.status
    measure = standing.measure
    standing = _record(
        standing,
        Status.GOOD,
        scorecard=scorecard,
        found=found,
        settings_row=settings_row,
        actor=actor,
        reason=reason,
        overridden=overridden,
        changes={
            "since": now,
            "suspended_until": None,
            "measure": None,
            "counted_from": counted_from,
        },
    )
    if measure is not None and measure.is_active:
        lift_measure(measure=measure, reason=reason, actor=actor, now=now)
    _tell_store(
        standing,
        step="recovered" if previous == Status.SUSPENDED else "warning_lifted",
        lines=[],
        settings_row=settings_row,
        hq_reason=reason if overridden else "",
    )


def store_recipients(store: Store) -> list[str]:
    """Who hears about the store's standing: its owners and managers (the store's e-mail
    when it has none)."""
    emails = list(
        StoreMembership.objects.filter(
            store=store,
            role__in=[StoreMembership.Role.OWNER, StoreMembership.Role.MANAGER],
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return emails or ([store.email] if store.email else [])


def _until_label(until: datetime | None) -> str:
    if until is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(timezone.localtime(until), "DATETIME_FORMAT")


def _tell_store(
    standing: StoreStanding,
    *,
    step: str,
    lines: list[str],
    settings_row: ScorecardSettings,
    hq_reason: str = "",
) -> None:
    store = standing.store
    recipients = store_recipients(store)
    if not recipients:
        return
    event = standing.events.order_by("-pk").first()
    path = reverse("backoffice:scorecard", args=[store.slug])
    send_templated_email(
        to=recipients,
        template="hq_standing",
        context={
            "store_name": store.name,
            "step": step,
            "lines": lines,
            "hq_reason": hq_reason,
            "period_days": settings_row.period_days,
            "until_label": _until_label(standing.suspended_until),
            "scorecard_url": public_url(path),
        },
        dedupe_key=f"hq-standing:{standing.pk}:{event.pk if event else step}",
    )


# HQ's overrides --------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Give the reason for HQ's decision."), reason=_("Required."))
    return reason


def impose_suspension(
    *, store: Store, reason: str, actor: Any, days: int | None = None, now: datetime | None = None
) -> StoreStanding:
    """HQ takes the store out of home-delivery routing by hand, for `days` (HQ's suspension
    length by default), with its reason and the figures of the moment; recorded as an override
    and sent to the store with its statement of reasons. Idempotent on a suspended store."""
    reason = _reason(reason)
    now = now or timezone.now()
    settings_row = ScorecardSettings.current()
    if days is not None and not 1 <= days <= 90:
        raise DomainError(_("Between 1 and 90 days."), days=_("Between 1 and 90 days."))
    standing_of(store, now=now)
    start, end = period_of(settings_row, end=now)
    with transaction.atomic():
        standing = StoreStanding.objects.select_for_update().get(store=store)
        if standing.status == Status.SUSPENDED:
            return standing
        scorecard = store_scorecards(start=start, end=end, store_ids=[store.pk])[store.pk]
        _suspend(
            standing,
            scorecard,
            breaches(scorecard, settings_row),
            settings_row,
            now,
            actor=actor,
            hq_reason=reason,
            days=days,
        )
    return StoreStanding.objects.get(pk=standing.pk)


def lift_standing(
    *, store: Store, reason: str, actor: Any, now: datetime | None = None
) -> StoreStanding:
    """HQ lifts a warning or a suspension by hand, with its reason: back in good standing (and
    in home-delivery routing), the figures counted afresh from now so the next run does not
    take it out again for the same misses. Idempotent on a store in good standing."""
    reason = _reason(reason)
    now = now or timezone.now()
    settings_row = ScorecardSettings.current()
    standing_of(store, now=now)
    start, end = period_of(settings_row, end=now)
    with transaction.atomic():
        standing = StoreStanding.objects.select_for_update().get(store=store)
        if standing.status == Status.GOOD:
            return standing
        scorecard = store_scorecards(start=start, end=end, store_ids=[store.pk])[store.pk]
        _restore(
            standing,
            scorecard,
            breaches(scorecard, settings_row),
            settings_row,
            now,
            actor=actor,
            reason=reason,
            counted_from=now,
            overridden=True,
        )
    return StoreStanding.objects.get(pk=standing.pk)
