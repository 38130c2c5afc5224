"""The store's profile as its owner or manager runs it from the back-office (HQ from the
admin): weekly opening hours, special days (closures, holiday hours, public holidays in one
click), services, daily capacity within HQ's bounds, photo and description.

Every write checks everything first and raises `ProfileRefused` with messages by field (the
back-office form's field names) before changing anything, so bad input changes nothing; it
locks the store row (stores.locks), saves, and leaves an audit row with what was before and
what is after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from itertools import pairwise
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor, record_audit_event
from network_marketplace.errors import DomainError

from ..holidays import is_alsace_moselle, public_holiday_on
from ..locks import lock_store
from ..models import Store, StoreProfilePolicy, StoreSpecialDay
from ..opening_hours import DAY_KEYS, STORE_TIME_ZONE, day_ranges
from .images import ImageRefused, check_store_image

RANGES_PER_DAY = 2
MAX_DESCRIPTION_CHARS = 2000
SERVICE_FIELDS = (
    "offers_click_collect",
    "offers_ship_from_store",
    "offers_reserve_collect",
    "accepts_returns",
)


class ProfileRefused(DomainError):
    """The store's profile can't be saved as given."""

    code = "store_profile_refused"

    def __init__(self, errors: Mapping[str, str | list[str]]) -> None:
        by_field = {
            field: [messages] if isinstance(messages, str) else list(messages)
            for field, messages in errors.items()
        }
        first = next(iter(by_field.values()))[0]
        super().__init__(first, errors=by_field)
        self.errors = by_field


def _today() -> date:
    return timezone.localdate(timezone=STORE_TIME_ZONE)


# Weekly hours -----------------------------------------------------------------------------

Range = tuple[time | None, time | None]


def range_field(day: str, index: int, end: str) -> str:
    """The field of a range's end ("opens"/"closes") in errors and the form: "mon_1_opens"."""
    return f"{day}_{index}_{end}"


def _checked_hours(hours: Mapping[str, Sequence[Range]]) -> dict[str, list[list[str]]]:
    errors: dict[str, str] = {}
    checked: dict[str, list[list[str]]] = {}
    for day in DAY_KEYS:
        given = list(hours.get(day, ()))
        if len(given) > RANGES_PER_DAY:
            errors[range_field(day, RANGES_PER_DAY + 1, "opens")] = _(
                "At most %(count)s ranges a day."
            ) % {"count": RANGES_PER_DAY}
            continue
        ranges: list[tuple[time, time, int]] = []
        for index, (opens, closes) in enumerate(given, start=1):
            if opens is None and closes is None:
                continue
            if opens is None or closes is None:
                missing = "opens" if opens is None else "closes"
                errors[range_field(day, index, missing)] = _(
                    "Give both the opening and the closing time, or neither."
                )
            elif closes <= opens:
                errors[range_field(day, index, "closes")] = _(
                    "The closing time must come after the opening time."
                )
            else:
                ranges.append((opens, closes, index))
        ranges.sort()
        for (_o, first_closes, _i), (second_opens, _c, index) in pairwise(ranges):
            if second_opens < first_closes:
                errors[range_field(day, index, "opens")] = _(
                    "This range overlaps the day's other range."
                )
        checked[day] = [[f"{o:%H:%M}", f"{c:%H:%M}"] for o, c, _i in ranges]
    if errors:
        raise ProfileRefused(errors)
    return checked


def hours_as_ranges(opening_hours: Any) -> dict[str, list[Range]]:
    """A store's `opening_hours` as {day: [(opens, closes), ...]} for the form."""
    return {
        day: [(item.opens, item.closes) for item in day_ranges(opening_hours, weekday)]
        for weekday, day in enumerate(DAY_KEYS)
    }


def set_opening_hours(*, store: Store, hours: Mapping[str, Sequence[Range]], actor: Actor) -> Store:
    """Replace the store's weekly hours: up to two ranges a day, each closing after it opens,
    not overlapping; a day without a range is closed. Ranges past midnight are HQ's (admin)."""
    checked = _checked_hours(hours)
    with transaction.atomic():
        locked = lock_store(store.pk)
        before = locked.opening_hours
        if before == checked:
            return locked
        locked.opening_hours = checked
        locked.save(update_fields=["opening_hours", "updated_at"])
        record_audit_event(
            actor=actor,
            action="store.opening_hours_changed",
            target=locked,
            store_id=locked.pk,
            data={"before": before, "after": checked},
        )
    return locked


# Special days -----------------------------------------------------------------------------


def _special_day_data(row: StoreSpecialDay) -> dict:
    return {
        "day": row.day.isoformat(),
        "closed": row.closed,
        "opens": f"{row.opens:%H:%M}" if row.opens else None,
        "closes": f"{row.closes:%H:%M}" if row.closes else None,
        "note": row.note,
    }


def add_special_day(
    *,
    store: Store,
    day: date,
    closed: bool,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
    actor: Actor,
) -> StoreSpecialDay:
    """Add one special day; a closed day keeps no times. Refused for a past day, a day that
    already has special hours, an open day without both times or with them in the wrong order."""
    if day < _today():
        raise ProfileRefused({"day": _("Choose today or a day to come.")})
    if closed:
        opens = closes = None
    elif opens is None or closes is None:
        raise ProfileRefused(
            {
                "opens" if opens is None else "closes": _(
                    "Give the opening and closing times, or tick “closed all day”."
                )
            }
        )
    elif closes <= opens:
        raise ProfileRefused({"closes": _("The closing time must come after the opening time.")})
    try:
        with transaction.atomic():
            lock_store(store.pk)
            row = StoreSpecialDay.objects.create(
                store=store, day=day, closed=closed, opens=opens, closes=closes, note=note.strip()
            )
            record_audit_event(
                actor=actor,
                action="store.special_day_added",
                target=store,
                store_id=store.pk,
                data={"before": None, "after": _special_day_data(row)},
            )
    except IntegrityError as exc:
        raise ProfileRefused({"day": _("This day already has special hours.")}) from exc
    return row


def remove_special_day(*, store: Store, special_day_id: int, actor: Actor) -> bool:
    """Remove one of the store's special days (another store's is never found)."""
    with transaction.atomic():
        lock_store(store.pk)
        row = StoreSpecialDay.objects.filter(store=store, pk=special_day_id).first()
        if row is None:
            return False
        record_audit_event(
            actor=actor,
            action="store.special_day_removed",
            target=store,
            store_id=store.pk,
            data={"before": _special_day_data(row), "after": None},
        )
        row.delete()
    return True


def close_on_public_holidays(
    *, store: Store, days: Iterable[date], actor: Actor
) -> list[StoreSpecialDay]:
    """Close the store all day on these French public holidays (named in the note), skipping
    those that already have special hours. Refused, with nothing saved, for a day that is not
    a public holiday where the store is, or one that is past."""
    alsace_moselle = is_alsace_moselle(store.postal_code)
    holidays = []
    for day in sorted(set(days)):
        holiday = public_holiday_on(day, alsace_moselle=alsace_moselle)
        if holiday is None:
            raise ProfileRefused({"holiday": _("This day is not a public holiday.")})
        if day < _today():
            raise ProfileRefused({"holiday": _("Choose today or a day to come.")})
        holidays.append(holiday)
    made: list[StoreSpecialDay] = []
    with transaction.atomic():
        lock_store(store.pk)
        taken = set(
            StoreSpecialDay.objects.filter(
                store=store, day__in=[h.day for h in holidays]
            ).values_list("day", flat=True)
        )
        for holiday in holidays:
            if holiday.day in taken:
                continue
            row = StoreSpecialDay.objects.create(
                store=store, day=holiday.day, closed=True, note=holiday.name[:100]
            )
            record_audit_event(
                actor=actor,
                action="store.special_day_added",
                target=store,
                store_id=store.pk,
                data={"before": None, "after": _special_day_data(row), "public_holiday": True},
            )
            made.append(row)
    return made


# Services, capacity, presentation ---------------------------------------------------------


def capacity_bounds() -> tuple[int, int]:
    policy = StoreProfilePolicy.current()
    return policy.min_daily_capacity, policy.max_daily_capacity


def set_store_services(
    *,
    store: Store,
    offers_click_collect: bool,
    offers_ship_from_store: bool,
    offers_reserve_collect: bool,
    accepts_returns: bool,
    daily_capacity: int | None,
    actor: Actor,
) -> Store:
    """The services the store offers and the orders a day it can handle: within HQ's bounds
    (StoreProfilePolicy), or empty for the network's default."""
    low, high = capacity_bounds()
    if daily_capacity is not None and not low <= daily_capacity <= high:
        raise ProfileRefused(
            {
                "daily_capacity": _("Choose between %(low)s and %(high)s orders a day.")
                % {"low": low, "high": high}
            }
        )
    wanted = {
        "offers_click_collect": bool(offers_click_collect),
        "offers_ship_from_store": bool(offers_ship_from_store),
        "offers_reserve_collect": bool(offers_reserve_collect),
        "accepts_returns": bool(accepts_returns),
        "daily_capacity": daily_capacity,
    }
    with transaction.atomic():
        locked = lock_store(store.pk)
        before = {name: getattr(locked, name) for name in wanted}
        if before == wanted:
            return locked
        for name, value in wanted.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*wanted, "updated_at"])
        record_audit_event(
            actor=actor,
            action="store.services_changed",
            target=locked,
            store_id=locked.pk,
            data={"before": before, "after": wanted},
        )
    return locked


def set_store_presentation(
    *,
    store: Store,
    description: str,
    photo: UploadedFile | None = None,
    clear_photo: bool = False,
    actor: Actor,
) -> Store:
    """The store's words and photo on its page. The photo must be a real PNG or JPEG within the
    size limit; a refused photo or a too long text changes nothing, the text included."""
    errors: dict[str, str] = {}
    description = description.strip()
    if len(description) > MAX_DESCRIPTION_CHARS:
        errors["description"] = _("At most %(count)s characters.") % {
            "count": MAX_DESCRIPTION_CHARS
        }
    extension = ""
    if photo is not None:
        try:
            extension = check_store_image(photo)
        except ImageRefused as refused:
            errors["photo"] = refused.message
    if errors:
        raise ProfileRefused(errors)
    with transaction.atomic():
        locked = lock_store(store.pk)
        before = {"description": locked.description, "photo": locked.photo.name or ""}
        if photo is not None:
            locked.photo.save(f"{locked.slug}-photo.{extension}", photo, save=False)
        elif clear_photo:
            locked.photo = ""
        locked.description = description
        after = {"description": locked.description, "photo": locked.photo.name or ""}
        if before == after and photo is None:
            return locked
        locked.save(update_fields=["description", "photo", "updated_at"])
        record_audit_event(
            actor=actor,
            action="store.presentation_changed",
            target=locked,
            store_id=locked.pk,
            data={"before": before, "after": after},
        )
    return locked
