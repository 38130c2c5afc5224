"""The pickup time a customer chose, in words: the same label in the store's queue, HQ's admin
and the e-mails ("lundi 2 mars, 11:30 to 12:00" with an en dash, in the network's time zone)."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone, translation

from stores.opening_hours import STORE_TIME_ZONE

from ..models import Order, PickupSlot

EN_DASH = "\u2013"


def slot_label(starts_at: datetime | None, ends_at: datetime | None, *, short: bool = False) -> str:
    """The day and the times, joined by an en dash ("lun 2 mar" when short); "" without a
    slot. In the active language."""
    if starts_at is None or ends_at is None:
        return ""
    start = timezone.localtime(starts_at, STORE_TIME_ZONE)
    end = timezone.localtime(ends_at, STORE_TIME_ZONE)
    day = formats.date_format(start, "D j b" if short else "l j F")
    return f"{day}, {start:%H:%M}{EN_DASH}{end:%H:%M}"


def pickup_slot_label(order: Order, *, store_id: int, language: str | None = None) -> str:
    """The label of the slot `order`'s customer chose at `store_id`, "" when none; in
    `language` (an e-mail's) when given. Reads the order's prefetched slots when there."""
    slot = next((s for s in order.pickup_slots.all() if s.store_id == store_id), None)
    if slot is None:
        return ""
    if language:
        with translation.override(language):
            return slot_label(slot.starts_at, slot.ends_at)
    return slot_label(slot.starts_at, slot.ends_at)


def slots_label(slots: list[PickupSlot], *, short: bool = True) -> str:
    """Every slot of an order (one per pickup store), joined."""
    return " · ".join(slot_label(slot.starts_at, slot.ends_at, short=short) for slot in slots)
