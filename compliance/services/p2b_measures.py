"""Restricting, suspending and terminating a store (P2B art. 4), through the one measures
service (compliance.services.measures, source "p2b"): each decision takes effect with its
statement of reasons, sent to the store before or when it takes effect.

Termination: notice is given now with its statement (a `warning` measure: it restricts nothing
yet, but states the decision, its facts and its ground, art. 4(1)), and on the effective date
(beat: `end_due_terminations`), at least P2B_TERMINATION_NOTICE_DAYS later unless an art. 4(4)
ground is recorded, a `store_terminated` measure closes the store with its own statement. With a
ground it may take effect at once: then only the `store_terminated` measure and its statement.
Lifting a suspension (`lift_measure`) puts the store back to selling: its offers, stock and
prices were kept and are on sale again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label
from network_marketplace.errors import DomainError
from network_marketplace.transitions import transition
from stores.models import StockLevel, Store

from ..models import (
    Art44Ground,
    Measure,
    MeasureKind,
    MeasureSource,
    StatementOfReasons,
    StoreTermination,
)
from ..states import STORE_TERMINATION_LIFECYCLE
from .measures import InvalidMeasure, apply_measure, lift_measure

Status = StoreTermination.Status


class TerminationNoticeTooShort(DomainError):
    """A termination needs the notice period unless an art. 4(4) ground is recorded."""

    code = "termination_notice_too_short"


class TerminationInvalid(DomainError):
    code = "termination_invalid"


def restrict_offer(
    *, offer: StockLevel, facts: str, terms_clause: str, actor: Any, demote: bool = False
) -> Measure:
    """Restrict one of a store's offers: off sale, or (`demote`) ranked last; with its
    statement of reasons (InvalidMeasure / MeasureWithoutGround: nothing changed)."""
    return apply_measure(
        kind=MeasureKind.OFFER_DEMOTED if demote else MeasureKind.OFFER_DISABLED,
        target=offer,
        source=MeasureSource.P2B,
        facts=facts,
        terms_clause=terms_clause,
        actor=actor,
    )


def suspend_store(
    *,
    store: Store,
    facts: str,
    terms_clause: str,
    actor: Any,
    ends_at: datetime | None = None,
) -> Measure:
    """Suspend the store's selling, with its statement of reasons, until `ends_at` or lifted.
    Its offers, stock and prices are kept, not deleted."""
    return apply_measure(
        kind=MeasureKind.STORE_SELLING_SUSPENDED,
        target=store,
        source=MeasureSource.P2B,
        facts=facts,
        terms_clause=terms_clause,
        actor=actor,
        ends_at=ends_at,
    )


def suspend_home_delivery(
    *,
    store: Store,
    facts: str,
    terms_clause: str,
    actor: Any,
    automated: bool = False,
) -> Measure:
    """Take the store out of home-delivery routing (it still sells for collection), with its
    statement of reasons; lifted by `lift_suspension`. `automated`: decided by a rule on the
    store's figures (HQ's scorecards), which the statement says."""
    return apply_measure(
        kind=MeasureKind.HOME_DELIVERY_SUSPENDED,
        target=store,
        source=MeasureSource.P2B,
        facts=facts,
        terms_clause=terms_clause,
        actor=actor,
        automated_detection=automated,
        automated_decision=StatementOfReasons.AutomatedDecision.FULLY
        if automated
        else StatementOfReasons.AutomatedDecision.NOT_AUTOMATED,
    )


def lift_suspension(*, measure: Measure, reason: str, actor: Any) -> Measure:
    """End a P2B suspension or restriction: the store sells again, its offers are back."""
    if not reason.strip():
        raise InvalidMeasure(_("Say why the measure is lifted."), field="reason")
    return lift_measure(measure=measure, reason=reason, actor=actor)


def earliest_termination_date(*, today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=settings.P2B_TERMINATION_NOTICE_DAYS)


def check_termination(*, reasons: str, terms_clause: str, effective_on: date, ground: str) -> None:
    """The rules of a termination notice, without writing anything."""
    if ground not in Art44Ground.values:
        raise TerminationInvalid(
            _("Unknown ground for a termination without notice."), field="ground"
        )
    if not reasons.strip():
        raise TerminationInvalid(_("State the reasons of the termination."), field="reasons")
    if not terms_clause.strip():
        raise TerminationInvalid(
            _("Name the clause of the terms the termination rests on."), field="terms_clause"
        )
    today = timezone.localdate()
    if effective_on < today:
        raise TerminationInvalid(
            _("A termination can't take effect in the past."), field="effective_on"
        )
    earliest = earliest_termination_date(today=today)
    if not ground and effective_on < earliest:
        raise TerminationNoticeTooShort(
            _(
                "A store's contract ends on %(earliest)s at the earliest: %(days)s days' "
                "notice (P2B regulation, art. 4(1)), unless a ground of art. 4(4) is recorded."
            )
            % {
                "earliest": earliest.strftime("%d/%m/%Y"),
                "days": settings.P2B_TERMINATION_NOTICE_DAYS,
            },
            field="effective_on",
            earliest=earliest.isoformat(),
        )


def give_termination_notice(
    *,
    store: Store,
    reasons: str,
    terms_clause: str,
    effective_on: date,
    actor: Any,
    ground: str = Art44Ground.NONE,
) -> StoreTermination:
    """Give `store` notice of termination with its statement of reasons, in one transaction;
    when it takes effect today (an art. 4(4) ground), the store is closed at once."""
    check_termination(
        reasons=reasons, terms_clause=terms_clause, effective_on=effective_on, ground=ground
    )
    if store.status == Store.Status.CLOSED:
        raise TerminationInvalid(_("This store is closed already."))
    facts = _("HQ terminates the contract with %(store)s, with effect on %(date)s. %(reasons)s") % {
        "store": store.name,
        "date": date_format(effective_on, "DATE_FORMAT"),
        "reasons": reasons.strip(),
    }
    if ground:
        facts += "\n" + _("Without the notice period: %(ground)s.") % {
            "ground": Art44Ground(ground).label
        }
    immediate = effective_on <= timezone.localdate()
    with transaction.atomic():
        if StoreTermination.objects.filter(store=store, status=Status.SCHEDULED).exists():
            raise TerminationInvalid(_("Notice of termination was already given to this store."))
        notice = None
        if not immediate:
            notice = apply_measure(
                kind=MeasureKind.WARNING,
                target=store,
                source=MeasureSource.P2B,
                facts=facts,
                terms_clause=terms_clause,
                legal_ground=str(Art44Ground(ground).label) if ground else "",
                actor=actor,
            )
        termination = StoreTermination.objects.create(
            store=store,
            reasons=reasons.strip(),
            terms_clause=terms_clause.strip(),
            ground=ground,
            effective_on=effective_on,
            decided_by_label=actor_label(actor),
            measure=notice,
        )
        if immediate:
            termination = _end(termination, actor=actor, facts=facts)
    return termination


def _end(termination: StoreTermination, *, actor: Any, facts: str = "") -> StoreTermination:
    """The contract ends: the store is closed by a `store_terminated` measure with its
    statement of reasons, and the termination is marked effective."""
    termination = StoreTermination.objects.select_for_update().get(pk=termination.pk)
    if termination.status != Status.SCHEDULED:
        return termination
    ground = termination.ground
    closing = apply_measure(
        kind=MeasureKind.STORE_TERMINATED,
        target=termination.store,
        source=MeasureSource.P2B,
        facts=facts
        or _("The notice of termination given on %(date)s has run out. %(reasons)s")
        % {
            "date": date_format(timezone.localtime(termination.notice_given_at), "DATE_FORMAT"),
            "reasons": termination.reasons,
        },
        terms_clause=termination.terms_clause,
        legal_ground=str(Art44Ground(ground).label) if ground else "",
        actor=actor,
    )
    return transition(
        STORE_TERMINATION_LIFECYCLE,
        termination,
        Status.EFFECTIVE,
        actor=actor,
        reason=_("Notice period over") if not ground else str(Art44Ground(ground).label)[:300],
        changes={"closing_measure": closing},
        locked=True,
    ).row


def withdraw_termination(
    *, termination: StoreTermination, reason: str, actor: Any
) -> StoreTermination:
    """HQ withdraws a notice before it takes effect: the store stays."""
    return transition(
        STORE_TERMINATION_LIFECYCLE, termination, Status.WITHDRAWN, actor=actor, reason=reason
    ).row


def end_due_terminations(*, today: date | None = None) -> list[StoreTermination]:
    """Close the stores whose notice has run out (beat; idempotent: each once)."""
    today = today or timezone.localdate()
    ended = []
    for termination in StoreTermination.objects.filter(
        status=Status.SCHEDULED, effective_on__lte=today
    ).order_by("pk"):
        with transaction.atomic():
            ended.append(_end(termination, actor="termination-job"))
    return ended
