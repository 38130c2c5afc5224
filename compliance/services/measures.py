"""Measures and their statements of reasons (DSA art. 17; P2B art. 4 uses the same service).

The API that every part of compliance calls (notices, complaints, misuse, trader data, P2B):

    apply_measure(*, kind, target, source, facts, actor,
                  legal_ground="", terms_clause="", category="",
                  territorial_scope=None, ends_at=None,
                  automated_detection=False, automated_decision="not_automated",
                  notice=None, now=None) -> Measure
        kind:   a MeasureKind ("offer_disabled", "product_listing_disabled", "offer_demoted",
                "store_selling_suspended", "home_delivery_suspended", "payouts_held",
                "account_suspended", "warning",
                "store_terminated" (closes the store for good; can't be lifted)).
        target: a stores.StockLevel (offer_*), a catalog.Product (product_listing_disabled),
                a stores.Store (store_selling_suspended, home_delivery_suspended,
                payouts_held, store_terminated,
                warning) or a User
                (account_suspended, warning).
        source: a MeasureSource ("notice", "trusted_flagger", "own_initiative", "misuse",
                "trader_data", "p2b", "complaint").
        legal_ground (illegal content: the law it breaks) or terms_clause (incompatible with
        the terms: the clause): one of them is required (MeasureWithoutGround, nothing written).
        In ONE transaction: the measure takes effect on the lower app (through its services),
        the Measure row, its StatementOfReasons (art. 17(3)), the audit rows and the e-mail of
        the statement to the affected store's contacts or the user (outbox). An invalid call
        (InvalidMeasure, MeasureWithoutGround) changes nothing.

    lift_measure(*, measure, reason, actor, now=None) -> Measure
        Reverses it (the offer is back, the product listed again, the store selling, the
        payouts released, the account usable) unless another active measure of the same kind
        still holds the same target; idempotent; the store or user is told.

    expire_measures(*, now=None) -> int    (beat: time-limited measures end at `ends_at`)

A statement exists if and only if a measure took effect: both are written together or not at
all, and nothing else writes a statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Product
from catalog.services import archive_product, publish_product
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import transition
from network_marketplace.webhooks import EVENT_TYPES, emit_event
from payments.payouts import hold_payouts, release_payouts
from stores.models import StockLevel, Store, StoreMembership
from stores.services import (
    change_store_status,
    set_home_delivery_suspension,
    set_offer_moderation,
)

from ..models import (
    KIND_TARGET,
    Measure,
    MeasureKind,
    MeasureSource,
    Notice,
    OutOfCourtBody,
    StatementOfReasons,
    TargetKind,
)
from ..states import MEASURE_LIFECYCLE

K = MeasureKind


def register_webhook_events() -> None:
    """The store's integrators learn that HQ restricted (or restored) its content: an offer
    disabled must leave the POS's web channel too. Called by ComplianceConfig.ready()."""
    EVENT_TYPES["compliance.measure.applied"] = gettext_lazy(
        "HQ applied a measure to the store's content, selling or payouts (statement of reasons)."
    )
    EVENT_TYPES["compliance.measure.lifted"] = gettext_lazy("A measure on the store was lifted.")


def _emit(event: str, measure: Measure, statement: StatementOfReasons, stores: list) -> None:
    data = {
        "measure": measure.pk,
        "kind": measure.kind,
        "status": measure.status,
        "target_kind": measure.target_kind,
        "target_id": measure.target_id,
        "statement": str(statement.uuid),
        "started_at": measure.started_at.isoformat(),
        "ends_at": measure.ends_at.isoformat() if measure.ends_at else None,
    }
    for store in stores:
        emit_event(
            event_type=event,
            store_id=store.pk,
            event_id=f"{event}:{measure.pk}:{store.pk}",
            data=data,
        )


class InvalidMeasure(DomainError):
    """The measure can't be applied as asked (wrong target, no facts, an end before its start)."""

    code = "invalid_measure"
    http_status = 400


class MeasureWithoutGround(InvalidMeasure):
    """A statement of reasons needs a legal ground or a terms clause (art. 17(3)(d)-(e))."""

    code = "measure_without_ground"


def _target_kind(target: Any) -> str:
    if isinstance(target, StockLevel):
        return TargetKind.OFFER
    if isinstance(target, Product):
        return TargetKind.PRODUCT
    if isinstance(target, Store):
        return TargetKind.STORE
    if isinstance(target, User):
        return TargetKind.ACCOUNT
    raise InvalidMeasure(_("A measure applies to an offer, a product, a store or an account."))


def case_key(*, notice_id: int | None, measure_id: int | None = None) -> str:
    """The key every audit row of one case carries in its data ("case"): the notice's, else
    the measure's. compliance.selectors.case_trail reads a case's rows by it."""
    return f"notice:{notice_id}" if notice_id else f"measure:{measure_id}"


COMPLAINT_SALT = "compliance.complaint"


def complaint_token(
    *, notice: Notice | None = None, measure: Measure | None = None, who: str
) -> str:
    """The signed key of the complaint form for a decision, sent in the decision's e-mail:
    whoever holds it may contest that decision online, without an account (art. 20)."""
    return signing.dumps(
        {
            "notice": notice.pk if notice else None,
            "measure": measure.pk if measure else None,
            "who": who,
        },
        salt=COMPLAINT_SALT,
    )


def read_complaint_token(token: str) -> dict | None:
    """What a complaint link is for ({"notice", "measure", "who"}), or None if forged."""
    try:
        return signing.loads(token, salt=COMPLAINT_SALT)
    except signing.BadSignature:
        return None


def redress_text() -> str:
    """What the store or user may do against a decision (art. 17(3)(f)): the internal
    complaint (free, online, within the window), the listed out-of-court bodies, the courts."""
    bodies = ", ".join(
        f"{body.name} ({body.website})" for body in OutOfCourtBody.objects.filter(is_active=True)
    )
    months = round(settings.DSA_COMPLAINT_WINDOW_DAYS / 30.4)
    lines = [
        _(
            "You may contest this decision free of charge through our internal complaint "
            "system, online, within %(months)s months of being told of it."
        )
        % {"months": months},
        _("You may also refer it to a certified out-of-court dispute settlement body: %(bodies)s.")
        % {"bodies": bodies or _("the list is published on our legal page")},
        _("You may in any case bring it before the competent court."),
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Affected:
    store: Store | None
    user: User | None
    stores: list[Store]


def _affected(kind: str, target: Any) -> _Affected:
    if isinstance(target, StockLevel):
        return _Affected(store=target.store, user=None, stores=[target.store])
    if isinstance(target, Store):
        return _Affected(store=target, user=None, stores=[target])
    if isinstance(target, User):
        return _Affected(store=None, user=target, stores=[])
    stores = list(
        Store.objects.filter(stock_levels__variant__product=target).distinct().order_by("pk")
    )
    return _Affected(store=None, user=None, stores=stores)


def _recipients(stores: list[Store], user: User | None) -> list[str]:
    emails: list[str] = []
    if user is not None and user.email:
        emails.append(user.email)
    for store in stores:
        if store.email:
            emails.append(store.email)
        emails += StoreMembership.objects.filter(
            store=store,
            role__in=[StoreMembership.Role.OWNER, StoreMembership.Role.MANAGER],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    return sorted(dict.fromkeys(email for email in emails if email))


def _take_effect(measure: Measure, target: Any, actor: Any) -> dict:
    """Apply the measure on the lower app through its services; returns what lifting needs."""
    reference = f"compliance.measure:{measure.pk}"
    if measure.kind == K.OFFER_DISABLED:
        set_offer_moderation(offer=target, sales_blocked=True, actor=actor, reference=reference)
    elif measure.kind == K.OFFER_DEMOTED:
        set_offer_moderation(offer=target, demoted=True, actor=actor, reference=reference)
    elif measure.kind == K.PRODUCT_LISTING_DISABLED:
        previous = target.status
        if previous == Product.Status.PUBLISHED:  # a draft or archived one is not shown anyway
            archive_product(product=target, actor=actor)
        return {"status": previous}
    elif measure.kind == K.STORE_SELLING_SUSPENDED:
        previous = target.status
        if previous == Store.Status.ACTIVE:
            change_store_status(
                store=target, status=Store.Status.SUSPENDED, actor=actor, reason=reference
            )
        return {"status": previous}
    elif measure.kind == K.HOME_DELIVERY_SUSPENDED:
        set_home_delivery_suspension(store=target, suspended=True, actor=actor, reference=reference)
    elif measure.kind == K.STORE_TERMINATED:
        previous = target.status
        change_store_status(store=target, status=Store.Status.CLOSED, actor=actor, reason=reference)
        return {"status": previous}
    elif measure.kind == K.PAYOUTS_HELD:
        hold_payouts(store=target, reference=reference, reason=_("compliance measure"), actor=actor)
    elif measure.kind == K.ACCOUNT_SUSPENDED:
        previous = target.is_active
        User.objects.filter(pk=target.pk).update(is_active=False)
        record_audit_event(
            actor=actor, action="user.suspended", target=target, data={"reference": reference}
        )
        return {"is_active": previous}
    return {}


def _still_held(measure: Measure) -> bool:
    """Another active measure of the same kind holds the same target: lifting this one must
    not undo the effect."""
    return (
        Measure.objects.filter(
            kind=measure.kind, target_kind=measure.target_kind, target_id=measure.target_id
        )
        .filter(status=Measure.Status.ACTIVE)
        .exclude(pk=measure.pk)
        .exists()
    )


def _undo_effect(measure: Measure, actor: Any) -> None:
    reference = f"compliance.measure:{measure.pk}"
    if measure.kind == K.PAYOUTS_HELD:
        release_payouts(reference=reference, actor=actor)
        return
    if measure.kind == K.WARNING or _still_held(measure):
        return
    if measure.kind in {K.OFFER_DISABLED, K.OFFER_DEMOTED}:
        offer = StockLevel.objects.filter(pk=measure.target_id).first()
        if offer is None:
            return
        switch = "sales_blocked" if measure.kind == K.OFFER_DISABLED else "demoted"
        set_offer_moderation(offer=offer, actor=actor, reference=reference, **{switch: False})
    elif measure.kind == K.PRODUCT_LISTING_DISABLED:
        product = Product.objects.get(pk=measure.target_id)
        if measure.restore.get("status") == Product.Status.PUBLISHED:
            publish_product(product=product, actor=actor)
    elif measure.kind == K.STORE_SELLING_SUSPENDED:
        store = Store.objects.get(pk=measure.target_id)
        if (
            measure.restore.get("status") == Store.Status.ACTIVE
            and store.status == Store.Status.SUSPENDED
        ):
            change_store_status(
                store=store, status=Store.Status.ACTIVE, actor=actor, reason=reference
            )
    elif measure.kind == K.HOME_DELIVERY_SUSPENDED:
        store = Store.objects.get(pk=measure.target_id)
        set_home_delivery_suspension(store=store, suspended=False, actor=actor, reference=reference)
    elif measure.kind == K.ACCOUNT_SUSPENDED and measure.restore.get("is_active", True):
        user = User.objects.get(pk=measure.target_id)
        User.objects.filter(pk=user.pk).update(is_active=True)
        record_audit_event(
            actor=actor, action="user.reinstated", target=user, data={"reference": reference}
        )


def _check(
    *,
    kind: str,
    target_kind: str,
    facts: str,
    legal_ground: str,
    terms_clause: str,
    ends_at: datetime | None,
    now: datetime,
    source: str,
) -> None:
    if kind not in K.values:
        raise InvalidMeasure(_("Unknown measure “%(kind)s”.") % {"kind": kind}, field="kind")
    if source not in MeasureSource.values:
        raise InvalidMeasure(_("Unknown source “%(source)s”.") % {"source": source}, field="source")
    wanted = KIND_TARGET.get(kind)
    allowed = {wanted} if wanted else {TargetKind.STORE, TargetKind.ACCOUNT}
    if target_kind not in allowed:
        raise InvalidMeasure(
            _("“%(kind)s” can't apply to this content.") % {"kind": K(kind).label}, field="target"
        )
    if not facts.strip():
        raise InvalidMeasure(_("State the facts and circumstances of the decision."), field="facts")
    if not legal_ground.strip() and not terms_clause.strip():
        raise MeasureWithoutGround(
            _("Give the legal ground or the clause of the terms the decision rests on."),
            field="legal_ground",
        )
    if ends_at is not None and ends_at <= now:
        raise InvalidMeasure(_("A measure can't end before it starts."), field="ends_at")


def apply_measure(
    *,
    kind: str,
    target: Any,
    source: str,
    facts: str,
    actor: Any,
    legal_ground: str = "",
    terms_clause: str = "",
    category: str = "",
    territorial_scope: list[str] | None = None,
    ends_at: datetime | None = None,
    automated_detection: bool = False,
    automated_decision: str = StatementOfReasons.AutomatedDecision.NOT_AUTOMATED,
    notice: Notice | None = None,
    now: datetime | None = None,
) -> Measure:
    """Apply a measure and write its statement of reasons, in one transaction (see the module
    docstring). Raises InvalidMeasure / MeasureWithoutGround before anything is written."""
    now = now or timezone.now()
    target_kind = _target_kind(target)
    _check(
        kind=kind,
        target_kind=target_kind,
        facts=facts,
        legal_ground=legal_ground,
        terms_clause=terms_clause,
        ends_at=ends_at,
        now=now,
        source=source,
    )
    affected = _affected(kind, target)
    with transaction.atomic():
        measure = Measure.objects.create(
            kind=kind,
            source=source,
            target_kind=target_kind,
            target_id=target.pk,
            store=affected.store,
            user=affected.user,
            notice=notice,
            started_at=now,
            ends_at=ends_at,
            decided_by=actor if isinstance(actor, User) else None,
            actor_label=actor_label(actor),
        )
        restore = _take_effect(measure, target, actor)
        if restore:
            measure.restore = restore
            measure.save(update_fields=["restore"])
        recipients = _recipients(affected.stores, affected.user)
        statement = StatementOfReasons.objects.create(
            measure=measure,
            territorial_scope=list(territorial_scope or settings.DSA_TERRITORIAL_SCOPE),
            facts=facts.strip(),
            category=category,
            legal_ground=legal_ground.strip(),
            terms_clause=terms_clause.strip(),
            automated_detection=automated_detection,
            automated_decision=automated_decision,
            redress=redress_text(),
            recipients=recipients,
            sent_at=now if recipients else None,
        )
        statement.affected_stores.set(affected.stores)
        _emit("compliance.measure.applied", measure, statement, affected.stores)
        case = case_key(notice_id=notice.pk if notice else None, measure_id=measure.pk)
        record_audit_event(
            actor=actor,
            action="measure.applied",
            target=measure,
            store_id=measure.store_id,
            data={
                "case": case,
                "kind": kind,
                "source": source,
                "target_kind": target_kind,
                "target": target.pk,
                "statement": str(statement.uuid),
            },
        )
        stores: list[Store | None] = list(affected.stores) or [None]
        for store in stores:
            to = _recipients([store], affected.user) if store else recipients
            if to:
                send_templated_email(
                    to=to,
                    template="compliance/statement_of_reasons",
                    context=_statement_context(statement, store),
                    dedupe_key=f"statement:{statement.pk}:{store.pk if store else 'user'}",
                )
    return measure


def _statement_context(statement: StatementOfReasons, store: Store | None) -> dict:
    measure = statement.measure
    return {
        "statement_uuid": str(statement.uuid),
        "measure": str(K(measure.kind).label),
        "store_name": store.name if store else "",
        "store_slug": store.slug if store else "",
        "started_at": measure.started_at.isoformat(),
        "ends_at": measure.ends_at.isoformat() if measure.ends_at else "",
        "territorial_scope": ", ".join(statement.territorial_scope),
        "facts": statement.facts,
        "source": str(MeasureSource(measure.source).label),
        "automated_detection": statement.automated_detection,
        "automated_decision": str(statement.get_automated_decision_display()),
        "legal_ground": statement.legal_ground,
        "terms_clause": statement.terms_clause,
        "redress": statement.redress,
        "complaint_path": reverse(
            "legal:complaint",
            args=[complaint_token(measure=measure, who="store" if store else "user")],
        ),
    }


def lift_measure(
    *,
    measure: Measure,
    reason: str,
    actor: Any,
    now: datetime | None = None,
    expired: bool = False,
) -> Measure:
    """Lift (or, `expired`, end) an active measure and reverse its effect in one transaction;
    idempotent (a lifted measure is returned as it is)."""
    now = now or timezone.now()
    if measure.kind == K.STORE_TERMINATED and measure.is_active:
        raise InvalidMeasure(_("A terminated store can't be reopened by lifting the measure."))
    target = Measure.Status.EXPIRED if expired else Measure.Status.LIFTED
    with transaction.atomic():
        moved = transition(
            MEASURE_LIFECYCLE,
            measure,
            target,
            actor=actor,
            reason=reason,
            changes={"lifted_at": now, "lift_reason": reason[:300]},
            audit_data={"case": case_key(notice_id=measure.notice_id, measure_id=measure.pk)},
        )
        if moved.previous == target or not moved.moved:
            return moved.row
        measure = moved.row
        _undo_effect(measure, actor)
        statement = StatementOfReasons.objects.filter(measure=measure).first()
        if statement is not None:
            _emit(
                "compliance.measure.lifted",
                measure,
                statement,
                list(statement.affected_stores.all()),
            )
            told: list[Store | None] = list(statement.affected_stores.all()) or [None]
            for store in told:
                to = _recipients([store], measure.user) if store else _recipients([], measure.user)
                if to:
                    send_templated_email(
                        to=to,
                        template="compliance/measure_lifted",
                        context={
                            "statement_uuid": str(statement.uuid),
                            "measure": str(K(measure.kind).label),
                            "reason": reason,
                            "store_name": store.name if store else "",
                        },
                        dedupe_key=f"measure-lifted:{measure.pk}:{store.pk if store else 'user'}",
                    )
    return measure


def expire_measures(*, now: datetime | None = None) -> int:
    """End the measures whose end date passed (a time-limited suspension): each in its own
    transaction; safe to run twice. Returns how many ended."""
    now = now or timezone.now()
    ended = 0
    due = Measure.objects.filter(status=Measure.Status.ACTIVE, ends_at__lte=now).order_by("pk")
    for measure in due:
        lift_measure(
            measure=measure,
            reason=_("End date reached."),
            actor="compliance.expiry",
            now=now,
            expired=True,
        )
        ended += 1
    return ended
