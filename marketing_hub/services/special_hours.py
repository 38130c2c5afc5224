"""A store's exceptional hours (a closed holiday, a late opening), which its Google Business
Profile listing carries (services/deliverables/gbp.py). The stores app keeps the regular hours;
these live in the hub until the stores app has them, and reach it through the
stores.hooks.special_days_of hook (selectors/special_hours.py): acceptance deadlines, promises
and pickup slots count them."""

from __future__ import annotations

from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor, record_audit_event
from network_marketplace.errors import DomainError
from stores.models import Store

from ..models import SpecialHours


class SpecialHoursRefused(DomainError):
    """The special day can't be saved as given."""

    code = "special_hours_refused"


def add_special_hours(
    *,
    store: Store,
    day: date,
    closed: bool,
    opens: time | None,
    closes: time | None,
    note: str,
    actor: Actor,
) -> SpecialHours:
    """Add one special day; a closed day keeps no times. Refused for a past day, a day that
    already has special hours, or an open day without both times or with them in the wrong
    order."""
    if day < timezone.localdate():
        raise SpecialHoursRefused(_("Choose today or a day to come."))
    if closed:
        opens = closes = None
    elif opens is None or closes is None:
        raise SpecialHoursRefused(
            _("Give the opening and closing times, or tick “closed all day”.")
        )
    elif closes <= opens:
        raise SpecialHoursRefused(_("The closing time must come after the opening time."))
    try:
        with transaction.atomic():
            row = SpecialHours.objects.create(
                store=store, day=day, closed=closed, opens=opens, closes=closes, note=note.strip()
            )
            record_audit_event(
                actor=actor,
                action="marketing.special_hours_added",
                target=row,
                store_id=store.pk,
                data={"day": day.isoformat(), "closed": closed},
            )
    except IntegrityError as exc:
        raise SpecialHoursRefused(_("This day already has special hours.")) from exc
    return row


def remove_special_hours(*, store: Store, special_hours_id: int, actor: Actor) -> bool:
    """Remove one of the store's special days (another store's is never found)."""
    with transaction.atomic():
        row = SpecialHours.objects.filter(store=store, pk=special_hours_id).first()
        if row is None:
            return False
        record_audit_event(
            actor=actor,
            action="marketing.special_hours_removed",
            target=row,
            store_id=store.pk,
            data={"day": row.day.isoformat()},
        )
        row.delete()
    return True
