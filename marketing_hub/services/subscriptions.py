"""A store's digital packs: subscribe, pause, resume, change plan, cancel, and the end of those
that reached their end day. Every status move goes through `transition()` with
SUBSCRIPTION_LIFECYCLE (event row, audit row, webhook).

The rules, as a franchisee reads them in the plans' terms:
- one live subscription per store and plan (the database refuses a second one too);
- the minimum commitment runs from the start: `commitment_ends_on = started_on + N months`;
- during the commitment a store may not pause, nor move to a cheaper plan (a downgrade): both
  are refused with a clear error; it may move to a plan at the same price or dearer at once;
- a change to a plan at the same price or dearer is prorated to the day: the unused days of the
  month at the old price are credited and the remaining days at the new price charged, as one
  proration charge (the change day counts for the new plan); the commitment becomes the later of
  the current one and the change day plus the new plan's minimum;
- a downgrade after the commitment takes effect on the 1st of next month (nothing to credit);
- cancelling is always accepted and gives the day it ends: the later of today plus the plan's
  notice and the end of the commitment (a store cancelling during its commitment is told it
  ends with the commitment); the subscription is "cancelling" until then, then "ended";
- a paused subscription is not billed; resuming bills the rest of the month; cancelling a
  paused subscription ends it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.money import format_cents
from network_marketplace.audit import Actor, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.transitions import transition
from stores.models import Store

from ..models import Subscription, SubscriptionCharge, SubscriptionPlan
from ..states import SUBSCRIPTION_LIFECYCLE
from .billing import bill_subscription
from .charging import ChargeLine, charge_store
from .feed_tokens import new_feed_secret
from .periods import add_months, month_start, next_month, prorate

S = Subscription.Status
LIVE = (S.ACTIVE, S.PAUSED, S.CANCELLING)


class SubscriptionNotAllowed(DomainError):
    """This change to the subscription is not allowed."""

    code = "subscription_not_allowed"
    http_status = 400


class PlanNotAvailable(SubscriptionNotAllowed):
    code = "plan_not_available"


class AlreadySubscribed(SubscriptionNotAllowed):
    code = "already_subscribed"
    http_status = 409


class CommitmentForbids(SubscriptionNotAllowed):
    code = "commitment_forbids"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def format_day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value is not None else "—"


def in_commitment(subscription: Subscription, *, today: date | None = None) -> bool:
    ends = subscription.commitment_ends_on
    return ends is not None and _today(today) < ends


def subscribe(
    *, store: Store, plan: SubscriptionPlan, actor: Actor, today: date | None = None
) -> tuple[Subscription, str]:
    """Subscribe `store` to `plan` from today and bill the rest of this month. Returns the
    subscription and the secret of its local inventory feed URL (shown once). Raises
    PlanNotAvailable (plan withdrawn) or AlreadySubscribed (a live one exists)."""
    today = _today(today)
    if not plan.is_active:
        raise PlanNotAvailable(
            _("The plan “%(plan)s” is no longer offered.") % {"plan": plan.name}, plan=plan.code
        )
    secret, digest = new_feed_secret()
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    store=store,
                    plan=plan,
                    status=S.ACTIVE,
                    started_on=today,
                    commitment_ends_on=(
                        add_months(today, plan.minimum_commitment_months)
                        if plan.minimum_commitment_months
                        else None
                    ),
                    feed_token=digest,
                    created_by=(
                        actor if getattr(actor, "is_authenticated", False) and actor.pk else None
                    ),
                )
        except IntegrityError as error:  # the one-live-subscription constraint
            raise AlreadySubscribed(
                _("%(store)s already subscribes to “%(plan)s”.")
                % {"store": store.name, "plan": plan.name},
                plan=plan.code,
            ) from error
        record_audit_event(
            actor=actor,
            action="subscription.created",
            target=subscription,
            store_id=store.pk,
            data={"plan": plan.code, "price_cents": plan.price_cents},
        )
        bill_subscription(subscription=subscription, period=today, actor=actor)
    subscription.refresh_from_db()
    return subscription, secret


def pause_subscription(
    *, subscription: Subscription, actor: Actor, today: date | None = None
) -> Subscription:
    """Pause billing and deliverables from next month on (this month stays billed). Refused
    during the commitment."""
    today = _today(today)

    def check(row: Subscription) -> None:
        if in_commitment(row, today=today):
            raise CommitmentForbids(
                _("This plan can't be paused during its commitment, which ends on %(day)s.")
                % {"day": format_day(row.commitment_ends_on)},
                commitment_ends_on=row.commitment_ends_on,
            )

    moved = transition(
        SUBSCRIPTION_LIFECYCLE,
        subscription,
        S.PAUSED,
        actor=actor,
        changes={"paused_on": today},
        before_save=check,
    )
    return moved.row


def resume_subscription(
    *, subscription: Subscription, actor: Actor, today: date | None = None
) -> Subscription:
    """Resume a paused subscription and bill the rest of this month if it was not billed."""
    today = _today(today)
    with transaction.atomic():
        moved = transition(
            SUBSCRIPTION_LIFECYCLE, subscription, S.ACTIVE, actor=actor, changes={"paused_on": None}
        )
        if moved.moved:
            bill_subscription(subscription=moved.row, period=today, actor=actor, from_day=today)
    return moved.row


def cancel_subscription(
    *, subscription: Subscription, actor: Actor, today: date | None = None
) -> Subscription:
    """Give notice: the subscription ends on the later of today plus the plan's notice and the
    end of its commitment, and is billed until then."""
    today = _today(today)

    def ends_on(row: Subscription) -> date:
        end = today + timedelta(days=row.plan.notice_days)
        if row.commitment_ends_on and row.commitment_ends_on > end:
            end = row.commitment_ends_on
        return end

    with transaction.atomic():
        row = (
            Subscription.objects.select_for_update().select_related("plan").get(pk=subscription.pk)
        )
        if row.status == S.CANCELLING:
            return row
        # A paused subscription (past its commitment: a pause needs that) ends at once.
        end = today if row.status == S.PAUSED else ends_on(row)
        if end <= today:
            moved = transition(
                SUBSCRIPTION_LIFECYCLE,
                row,
                S.ENDED,
                actor=actor,
                changes={"ends_on": today, "next_plan": None, "next_plan_from": None},
                locked=True,
            )
        else:
            moved = transition(
                SUBSCRIPTION_LIFECYCLE,
                row,
                S.CANCELLING,
                actor=actor,
                changes={"ends_on": end, "next_plan": None, "next_plan_from": None},
                locked=True,
            )
    return moved.row


def end_due_subscriptions(
    *, today: date | None = None, actor: Actor = "system:subscriptions"
) -> int:
    """Move the subscriptions whose end day has come to "ended" (the daily job). Billing reads
    `ends_on` itself, so nothing depends on this job running on time."""
    today = _today(today)
    ended = 0
    due = Subscription.objects.filter(status=S.CANCELLING, ends_on__lte=today).order_by("pk")
    for subscription in due:
        if transition(SUBSCRIPTION_LIFECYCLE, subscription, S.ENDED, actor=actor).moved:
            ended += 1
    return ended


def change_plan(
    *,
    subscription: Subscription,
    plan: SubscriptionPlan,
    actor: Actor,
    today: date | None = None,
) -> Subscription:
    """Move an active subscription to `plan`: at once and prorated to the day when `plan`
    costs as much or more, on the 1st of next month when it costs less (refused during the
    commitment). See the module's rules."""
    today = _today(today)
    if not plan.is_active:
        raise PlanNotAvailable(
            _("The plan “%(plan)s” is no longer offered.") % {"plan": plan.name}, plan=plan.code
        )
    with transaction.atomic():
        # Bill the month first (a change on the 1st before the job ran): the credit below is
        # of days this month's charge paid for.
        bill_subscription(subscription=subscription, period=today, actor=actor)
        row = (
            Subscription.objects.select_for_update()
            .select_related("plan", "store")
            .get(pk=subscription.pk)
        )
        current = row.plan
        if row.status != S.ACTIVE:
            raise SubscriptionNotAllowed(
                _("Only an active subscription can change plan (this one is “%(status)s”).")
                % {"status": row.get_status_display()},
                status=row.status,
            )
        if plan.pk == current.pk:
            if row.next_plan_id is not None:  # keep the plan: the scheduled downgrade is off
                row.next_plan, row.next_plan_from = None, None
                row.save(update_fields=["next_plan", "next_plan_from"])
            return row
        if plan.pack != current.pack:
            raise SubscriptionNotAllowed(
                _("“%(plan)s” is not a plan of the same pack: subscribe to it instead.")
                % {"plan": plan.name},
                plan=plan.code,
            )
        if Subscription.objects.filter(store=row.store, plan=plan).exclude(status=S.ENDED).exists():
            raise AlreadySubscribed(
                _("The store already subscribes to “%(plan)s”.") % {"plan": plan.name},
                plan=plan.code,
            )
        if plan.price_cents < current.price_cents:
            return _schedule_downgrade(row, plan, actor=actor, today=today)
        proration = prorate(
            old_price_cents=current.price_cents, new_price_cents=plan.price_cents, day=today
        )
        if SubscriptionCharge.objects.filter(
            subscription=row, kind=SubscriptionCharge.Kind.PRORATION, period_start=today
        ).exists():
            raise SubscriptionNotAllowed(
                _("The plan was already changed today: change it again tomorrow."),
            )
        reference = f"subscription:{row.pk}:proration:{today:%Y-%m-%d}"
        line_label = ngettext(
            "%(new)s from %(day)s (%(days)d day: %(charge)s), less the unused day of "
            "%(old)s (%(credit)s)",
            "%(new)s from %(day)s (%(days)d days: %(charge)s), less the unused days of "
            "%(old)s (%(credit)s)",
            proration.days,
        ) % {
            "new": plan.name,
            "old": current.name,
            "day": format_day(today),
            "days": proration.days,
            "charge": format_cents(proration.charge_cents),
            "credit": format_cents(proration.credit_cents),
        }
        invoice = None
        if proration.net_cents > 0:
            invoice = charge_store(
                store=row.store,
                reference=reference,
                label=_("Plan change: %(old)s to %(new)s")
                % {"old": current.name, "new": plan.name},
                lines=[ChargeLine(line_label, proration.net_cents, plan.vat_rate_bp)],
                actor=actor,
            )
        SubscriptionCharge.objects.create(
            subscription=row,
            kind=SubscriptionCharge.Kind.PRORATION,
            period_start=today,
            period_end=next_month(today),
            amount_excl_vat_cents=proration.net_cents,
            vat_rate_bp=plan.vat_rate_bp,
            reference=reference,
            invoice=invoice,
        )
        commitment = row.commitment_ends_on
        if plan.minimum_commitment_months:
            new_commitment = add_months(today, plan.minimum_commitment_months)
            commitment = max(commitment, new_commitment) if commitment else new_commitment
        row.plan = plan
        row.commitment_ends_on = commitment
        row.next_plan, row.next_plan_from = None, None
        row.save(update_fields=["plan", "commitment_ends_on", "next_plan", "next_plan_from"])
        record_audit_event(
            actor=actor,
            action="subscription.plan_changed",
            target=row,
            store_id=row.store_id,
            data={
                "from_plan": current.code,
                "to_plan": plan.code,
                "credit_cents": proration.credit_cents,
                "charge_cents": proration.charge_cents,
            },
        )
    return row


def _schedule_downgrade(
    row: Subscription, plan: SubscriptionPlan, *, actor: Actor, today: date
) -> Subscription:
    if in_commitment(row, today=today):
        raise CommitmentForbids(
            _(
                "You can't move to a cheaper plan during the commitment, which ends on %(day)s. "
                "You may move to a plan at the same price or dearer."
            )
            % {"day": format_day(row.commitment_ends_on)},
            commitment_ends_on=row.commitment_ends_on,
        )
    row.next_plan = plan
    row.next_plan_from = next_month(month_start(today))
    row.save(update_fields=["next_plan", "next_plan_from"])
    record_audit_event(
        actor=actor,
        action="subscription.downgrade_scheduled",
        target=row,
        store_id=row.store_id,
        data={"to_plan": plan.code, "from": str(row.next_plan_from)},
    )
    return row


def rotate_feed_secret(*, subscription: Subscription, actor: Actor) -> str:
    """A new secret URL for the subscription's feed (the old one is a 404 at once); returns
    the secret, shown once."""
    secret, digest = new_feed_secret()
    Subscription.objects.filter(pk=subscription.pk).update(feed_token=digest)
    record_audit_event(
        actor=actor,
        action="subscription.feed_url_renewed",
        target=subscription,
        store_id=subscription.store_id,
    )
    return secret


# What an action will do, for the confirmation pages and the API's previews


def preview_action(*, subscription: Subscription, action: str, today: date | None = None) -> str:
    """The sentence a confirmation page shows before `action` (pause, resume, cancel,
    change), or the rule that will refuse it."""
    today = _today(today)
    plan = subscription.plan
    if action == "pause":
        if in_commitment(subscription, today=today):
            return _("This plan can't be paused during its commitment, which ends on %(day)s.") % {
                "day": format_day(subscription.commitment_ends_on)
            }
        return _(
            "The pack stops from next month and is not billed while paused; this month, "
            "already billed, is not refunded."
        )
    if action == "resume":
        return _("The pack runs again at once; the rest of this month is billed if it was not.")
    if action == "cancel":
        if subscription.status == S.PAUSED:
            return _("The pack ends today.")
        end = today + timedelta(days=plan.notice_days)
        if subscription.commitment_ends_on and subscription.commitment_ends_on > end:
            return _(
                "Your commitment runs until %(day)s: the pack ends then, and is billed until then."
            ) % {"day": format_day(subscription.commitment_ends_on)}
        return ngettext(
            "With the plan's %(days)d day's notice, the pack ends on %(day)s.",
            "With the plan's %(days)d days' notice, the pack ends on %(day)s.",
            plan.notice_days,
        ) % {
            "days": plan.notice_days,
            "day": format_day(end),
        }
    return _(
        "A dearer plan starts today: you pay the new plan's remaining days of the month, less "
        "the unused days of this one. A cheaper plan starts on the 1st of next month, once the "
        "commitment is over."
    )


@dataclass(frozen=True)
class ChangePreview:
    plan: SubscriptionPlan
    when: date | None  # None: refused now
    net_cents: int
    refusal: str = ""


def change_previews(
    *, subscription: Subscription, today: date | None = None
) -> list[ChangePreview]:
    """For each other plan of the pack: when the change would start and what it would cost."""
    today = _today(today)
    current = subscription.plan
    previews = []
    others = SubscriptionPlan.objects.filter(is_active=True, pack=current.pack).exclude(
        pk=current.pk
    )
    for plan in others.order_by("price_cents"):
        if plan.price_cents >= current.price_cents:
            proration = prorate(
                old_price_cents=current.price_cents, new_price_cents=plan.price_cents, day=today
            )
            previews.append(ChangePreview(plan=plan, when=today, net_cents=proration.net_cents))
        elif in_commitment(subscription, today=today):
            previews.append(
                ChangePreview(
                    plan=plan,
                    when=None,
                    net_cents=0,
                    refusal=_("Not during the commitment (until %(day)s).")
                    % {"day": format_day(subscription.commitment_ends_on)},
                )
            )
        else:
            previews.append(
                ChangePreview(plan=plan, when=next_month(month_start(today)), net_cents=0)
            )
    return previews
