"""The breach register (GDPR art. 33(5)): recording a breach and each change to it, audited.

The 72-hour clock (BREACH_NOTIFICATION_HOURS) runs from `detected_at`; it stops when the breach
is notified to the CNIL or HQ records its decision not to notify, with the reason. A
notification after the deadline must say why (art. 33(1)).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError

from ..models import Breach

AUDITED_FIELDS = (
    "detected_at",
    "occurred_at",
    "nature",
    "data_categories",
    "people_categories",
    "approx_people",
    "approx_records",
    "likely_consequences",
    "measures",
    "notified_to_cnil_at",
    "cnil_reference",
    "late_notification_reason",
    "people_informed_at",
    "not_notified",
    "not_notified_reason",
)


class InvalidBreach(DomainError):
    code = "invalid_breach"


def check_breach(breach: Breach) -> None:
    """The register's rules, field by field (InvalidBreach with `field`)."""
    now = timezone.now()
    if breach.detected_at and breach.detected_at > now + timedelta(minutes=5):
        raise InvalidBreach(_("A breach can't be detected in the future."), field="detected_at")
    if breach.occurred_at and breach.detected_at and breach.occurred_at > breach.detected_at:
        raise InvalidBreach(_("It occurred before it was detected."), field="occurred_at")
    if breach.not_notified and breach.notified_to_cnil_at:
        raise InvalidBreach(
            _("A breach notified to the CNIL has no decision not to notify."),
            field="not_notified",
        )
    if breach.not_notified and not breach.not_notified_reason.strip():
        raise InvalidBreach(
            _("Say why the breach is unlikely to result in a risk to people."),
            field="not_notified_reason",
        )
    for name in ("notified_to_cnil_at", "people_informed_at"):
        value = getattr(breach, name)
        if value and breach.detected_at and value < breach.detected_at:
            raise InvalidBreach(_("This is before the breach was detected."), field=name)
    if (
        breach.notified_to_cnil_at
        and breach.detected_at
        and breach.notified_to_cnil_at > breach.notification_deadline
        and not breach.late_notification_reason.strip()
    ):
        raise InvalidBreach(
            _("Notified after 72 hours: give the reasons for the delay (art. 33(1))."),
            field="late_notification_reason",
        )


def save_breach(*, breach: Breach, actor: Any) -> Breach:
    """Record a new breach or the changes to one, with an audit row listing what changed."""
    check_breach(breach)
    with transaction.atomic():
        before = (
            model_to_dict(Breach.objects.select_for_update().get(pk=breach.pk), AUDITED_FIELDS)
            if breach.pk
            else {}
        )
        created = breach.pk is None
        if created:
            breach.recorded_by = actor_label(actor)
        breach.save()
        after = model_to_dict(breach, AUDITED_FIELDS)
        changed = {
            name: {"from": _plain(before.get(name)), "to": _plain(after[name])}
            for name in AUDITED_FIELDS
            if created or before.get(name) != after[name]
        }
        if changed:
            record_audit_event(
                actor=actor,
                action="breach.recorded" if created else "breach.changed",
                target=breach,
                data={"changes": changed},
            )
    return breach


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def deadline_status(breach: Breach, *, now: datetime | None = None) -> tuple[str, timedelta]:
    """("settled" | "open" | "overdue", time left (negative when overdue))."""
    left = breach.notification_deadline - (now or timezone.now())
    if breach.is_settled:
        return "settled", left
    return ("open" if left > timedelta(0) else "overdue"), left
