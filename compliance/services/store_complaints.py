"""Stores' complaints to HQ (P2B art. 11): opened by the store within the window, a thread of
messages both ways, closed by a person at HQ with an outcome; the annual report of art. 11(4)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import transition
from stores.models import Store

from ..models import StoreComplaint, StoreComplaintMessage
from ..states import STORE_COMPLAINT_LIFECYCLE
from .terms import store_contacts

Status = StoreComplaint.Status


class ComplaintInvalid(DomainError):
    code = "complaint_invalid"


class ComplaintTooLate(DomainError):
    """The facts are older than the window in which a complaint may be filed."""

    code = "complaint_too_late"


class ComplaintClosed(DomainError):
    """The complaint is closed: no more messages."""

    code = "complaint_closed"
    http_status = 409


def complaint_window_start(*, today: date | None = None) -> date:
    """The oldest date of facts a complaint filed today may be about."""
    return (today or timezone.localdate()) - timedelta(days=settings.P2B_COMPLAINT_WINDOW_DAYS)


def _new_reference() -> str:
    return f"RP-{timezone.localdate():%Y}-{secrets.token_hex(3).upper()}"


def open_store_complaint(
    *, store: Store, kind: str, subject: str, occurred_on: date, message: str, actor: Any
) -> StoreComplaint:
    """Open a complaint for `store`, with its first message; the answer is due within
    P2B_COMPLAINT_HANDLING_DAYS. Refused (nothing written) when a field is missing or the
    facts are outside the window."""
    subject, message = subject.strip(), message.strip()
    if kind not in StoreComplaint.Kind.values:
        raise ComplaintInvalid(_("Choose the type of complaint."), field="kind")
    if not subject or not message:
        raise ComplaintInvalid(_("Give a subject and describe the problem."), field="message")
    today = timezone.localdate()
    if occurred_on > today:
        raise ComplaintInvalid(
            _("The date of the facts can't be in the future."), field="occurred_on"
        )
    earliest = complaint_window_start(today=today)
    if occurred_on < earliest:
        raise ComplaintTooLate(
            _(
                "A complaint may be filed within %(days)s days of the facts: facts of "
                "%(date)s or later."
            )
            % {"days": settings.P2B_COMPLAINT_WINDOW_DAYS, "date": earliest.strftime("%d/%m/%Y")},
            field="occurred_on",
        )
    now = timezone.now()
    with transaction.atomic():
        complaint = StoreComplaint.objects.create(
            reference=_new_reference(),
            store=store,
            kind=kind,
            subject=subject,
            occurred_on=occurred_on,
            opened_by=actor if isinstance(actor, User) else None,
            opened_by_label=actor_label(actor),
            due_at=now + timedelta(days=settings.P2B_COMPLAINT_HANDLING_DAYS),
        )
        StoreComplaintMessage.objects.create(
            complaint=complaint,
            from_hq=False,
            author=actor if isinstance(actor, User) else None,
            author_label=actor_label(actor),
            body=message,
        )
        record_audit_event(
            actor=actor,
            action="store_complaint.opened",
            target=complaint,
            store_id=store.pk,
            data={"reference": complaint.reference, "kind": kind},
        )
    return complaint


def add_complaint_message(
    *, complaint: StoreComplaint, body: str, from_hq: bool, actor: Any
) -> StoreComplaintMessage:
    """A message in the thread. HQ's first answer moves the complaint to "being handled"."""
    body = body.strip()
    if not body:
        raise ComplaintInvalid(_("Write a message."), field="body")
    with transaction.atomic():
        complaint = StoreComplaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status == Status.CLOSED:
            raise ComplaintClosed(_("This complaint is closed."))
        row = StoreComplaintMessage.objects.create(
            complaint=complaint,
            from_hq=from_hq,
            author=actor if isinstance(actor, User) else None,
            author_label=actor_label(actor),
            body=body,
        )
        if from_hq:
            _tell_store(complaint, body=body, outcome="")
        if from_hq and complaint.status == Status.OPEN:
            transition(
                STORE_COMPLAINT_LIFECYCLE,
                complaint,
                Status.IN_PROGRESS,
                actor=actor,
                reason=_("HQ answered"),
                changes={"handled_by_label": actor_label(actor)},
                locked=True,
            )
    return row


def close_store_complaint(
    *, complaint: StoreComplaint, outcome: str, note: str, actor: Any
) -> StoreComplaint:
    """A person at HQ closes the complaint with an outcome and its reasons (sent in the
    thread). Idempotent for a closed complaint."""
    note = note.strip()
    if outcome not in StoreComplaint.Outcome.values or not outcome:
        raise ComplaintInvalid(_("Choose the outcome."), field="outcome")
    if not note:
        raise ComplaintInvalid(_("Give the decision's reasons."), field="outcome_note")
    with transaction.atomic():
        moved = transition(
            STORE_COMPLAINT_LIFECYCLE,
            complaint,
            Status.CLOSED,
            actor=actor,
            reason=str(StoreComplaint.Outcome(outcome).label),
            changes={
                "outcome": outcome,
                "outcome_note": note,
                "closed_at": timezone.now(),
                "handled_by_label": actor_label(actor),
            },
        )
        if moved.moved:
            label = str(StoreComplaint.Outcome(outcome).label)
            StoreComplaintMessage.objects.create(
                complaint=moved.row,
                from_hq=True,
                author=actor if isinstance(actor, User) else None,
                author_label=actor_label(actor),
                body=f"{label}. {note}",
            )
            _tell_store(moved.row, body=note, outcome=label)
    return moved.row


def _tell_store(complaint: StoreComplaint, *, body: str, outcome: str) -> None:
    """E-mail the store's contacts HQ's answer or decision (outbox, after commit)."""
    recipients = store_contacts(complaint.store)
    if not recipients:
        return
    count = complaint.messages.count()
    send_templated_email(
        to=recipients,
        template="p2b_complaint_answered",
        context={
            "store_name": complaint.store.name,
            "reference": complaint.reference,
            "subject": complaint.subject,
            "outcome": outcome,
            "body": body,
            "complaint_path": f"/store/{complaint.store.slug}/complaints/{complaint.pk}/",
        },
        dedupe_key=f"p2b-complaint:{complaint.pk}:{count}:{'closed' if outcome else 'answer'}",
    )
