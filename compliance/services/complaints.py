"""Internal complaints (DSA art. 20): the affected store or user, or the notifier, contests a
decision (a measure, or a notice's "no action") online and free, within the window from being
told of it; a person at HQ decides (recorded), and an upheld complaint reverses the measure in
the same transaction. The outcome names the out-of-court settlement bodies (art. 21)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import transition
from stores.models import Store

from ..models import Complaint, Measure, Notice, OutOfCourtBody
from ..states import COMPLAINT_LIFECYCLE, NOTICE_LIFECYCLE
from .measures import case_key, lift_measure
from .misuse import notices_suspended_for


class InvalidComplaint(DomainError):
    code = "invalid_complaint"
    http_status = 400

    def __init__(self, message: str, *, field: str = "__all__") -> None:
        super().__init__(message, field=field)
        self.field = field


class ComplaintWindowClosed(InvalidComplaint):
    """The decision was told longer ago than the window (settings.DSA_COMPLAINT_WINDOW_DAYS)."""

    code = "complaint_window_closed"


def told_at(*, measure: Measure | None, notice: Notice | None, complainant: str) -> datetime:
    """When the complainant was told of the decision: the window runs from there."""
    if complainant == Complaint.Complainant.NOTIFIER and notice is not None and notice.decided_at:
        return notice.decided_at
    if measure is not None:
        statement = getattr(measure, "statement", None)
        return statement.sent_at if statement and statement.sent_at else measure.started_at
    if notice is not None and notice.decided_at:
        return notice.decided_at
    raise InvalidComplaint(_("This decision has not been taken yet."))


def complaint_deadline(
    *, measure: Measure | None, notice: Notice | None, complainant: str
) -> datetime:
    return told_at(measure=measure, notice=notice, complainant=complainant) + timedelta(
        days=settings.DSA_COMPLAINT_WINDOW_DAYS
    )


def submit_complaint(
    *,
    complainant: str,
    text: str,
    contact_email: str,
    measure: Measure | None = None,
    notice: Notice | None = None,
    store: Store | None = None,
    user: User | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Record a complaint against a decision, or refuse it (InvalidComplaint,
    ComplaintWindowClosed) with nothing written. The complainant gets a receipt by e-mail."""
    now = now or timezone.now()
    if measure is None and notice is None:
        raise InvalidComplaint(_("Say which decision you contest."))
    if notice is None and measure is not None:
        notice = measure.notice
    if not text.strip():
        raise InvalidComplaint(_("Explain why you think the decision is wrong."), field="text")
    if "@" not in contact_email:
        raise InvalidComplaint(_("Give an e-mail address for the outcome."), field="contact_email")
    suspended = notices_suspended_for(contact_email)
    if suspended is not None:  # art. 23(2), compliance.services.misuse (part C2)
        raise InvalidComplaint(
            _(
                "Complaints from this address are not handled until %(date)s "
                "(misuse of the service)."
            )
            % {"date": f"{suspended.ends_at:%d/%m/%Y}"},
            field="contact_email",
        )
    deadline = complaint_deadline(measure=measure, notice=notice, complainant=complainant)
    if now > deadline:
        raise ComplaintWindowClosed(
            _(
                "A complaint against this decision had to be made by %(date)s: that period is "
                "over. You may still refer it to an out-of-court settlement body or a court."
            )
            % {"date": date_format(timezone.localtime(deadline), "DATE_FORMAT")}
        )
    with transaction.atomic():
        complaint = Complaint.objects.create(
            reference=f"R-{secrets.token_hex(4).upper()}",
            measure=measure,
            notice=notice,
            complainant=complainant,
            complainant_store=store,
            complainant_user=user if user is not None and user.is_authenticated else None,
            contact_email=contact_email.strip(),
            text=text.strip(),
            submitted_at=now,
        )
        record_audit_event(
            actor=user if user is not None and user.is_authenticated else complainant,
            action="complaint.received",
            target=complaint,
            store_id=store.pk if store else None,
            data={
                "case": _case(complaint),
                "reference": complaint.reference,
                "complainant": complainant,
            },
        )
        send_templated_email(
            to=complaint.contact_email,
            template="compliance/complaint_received",
            context={"reference": complaint.reference},
            dedupe_key=f"complaint-received:{complaint.pk}",
        )
    return complaint


def _case(complaint: Complaint) -> str:
    return case_key(notice_id=complaint.notice_id, measure_id=complaint.measure_id)


def decide_complaint(
    *,
    complaint: Complaint,
    upheld: bool,
    decision_text: str,
    actor: Any,
    now: datetime | None = None,
) -> Complaint:
    """A person at HQ decides (art. 20(6): not solely automated, so `actor` must be a staff
    user). Upheld: the measure is lifted (or a "no action" notice reopened) in the same
    transaction. The complainant is told the outcome and the out-of-court bodies."""
    now = now or timezone.now()
    if not isinstance(actor, User) or not actor.is_staff:
        raise InvalidComplaint(_("A complaint is decided by a member of HQ's staff."))
    if not decision_text.strip():
        raise InvalidComplaint(_("Write the reasons of the outcome."), field="decision_text")
    target = Complaint.Status.UPHELD if upheld else Complaint.Status.REJECTED
    with transaction.atomic():
        moved = transition(
            COMPLAINT_LIFECYCLE,
            complaint,
            target,
            actor=actor,
            reason=decision_text[:300],
            changes={"decided_at": now, "decided_by": actor, "decision_text": decision_text},
            audit_data={"case": _case(complaint)},
        )
        complaint = moved.row
        if not moved.moved:
            return complaint
        if upheld and complaint.measure is not None and complaint.measure.is_active:
            lift_measure(
                measure=complaint.measure,
                reason=_("Complaint %(reference)s upheld") % {"reference": complaint.reference},
                actor=actor,
                now=now,
            )
        elif upheld and complaint.notice is not None and complaint.measure is None:
            transition(
                NOTICE_LIFECYCLE,
                complaint.notice,
                Notice.Status.IN_REVIEW,
                actor=actor,
                reason=_("Complaint %(reference)s upheld") % {"reference": complaint.reference},
                audit_data={"case": _case(complaint)},
            )
        send_templated_email(
            to=complaint.contact_email,
            template="compliance/complaint_decided",
            context={
                "reference": complaint.reference,
                "upheld": upheld,
                "decision": decision_text,
                "bodies": [
                    {"name": body.name, "website": body.website}
                    for body in OutOfCourtBody.objects.filter(is_active=True)
                ],
            },
            dedupe_key=f"complaint-decided:{complaint.pk}",
        )
    return complaint
