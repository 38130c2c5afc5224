"""The DAC7 calendar, run by one daily beat job (`run_dac7_calendar`), idempotent:

- reminders: a franchise store whose DAC7 data is missing gets a first reminder on
  settings.DAC7_REMINDER_DATES[0] of the reporting year and a second on [1] (e-mail and
  back-office banner, each recorded once as a `Dac7Notice`);
- payout hold: DAC7_HOLD_AFTER_DAYS after the second reminder, a store still missing data has
  its payouts held (compliance.services.dac7.holds), released as soon as its data is complete
  (at once when the store saves it, or by this job after an edit in HQ's admin);
- the declaration: in January (DAC7_DECLARATION_MONTH), last year's declaration and the stores'
  copies are prepared once, before the 31 January deadline of the copies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from stores.models import Store

from ...models import Dac7Notice
from .data import missing_dac7_data
from .declaration import Dac7NotReady, prepare_year_once
from .holds import active_dac7_hold, hold_for_dac7, notify, release_dac7_hold

logger = logging.getLogger(__name__)


@dataclass
class Dac7Run:
    reminded: list[tuple[str, str]] = field(default_factory=list)  # (store slug, notice kind)
    held: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    declaration: str = ""
    problem: str = ""


def reminder_dates(year: int) -> tuple[date, date]:
    first, second = (
        date(year, *(int(part) for part in value.split("-")))
        for value in settings.DAC7_REMINDER_DATES
    )
    return first, second


def _reminder_text(year: int, number: int, hold_on: date) -> str:
    return _(
        "Reminder %(number)d of 2: HQ must report to the tax administration (DGFiP) what each "
        "store earned on the marketplace in %(year)d (DAC7, Code général des impôts art. 1649 "
        "ter A to E), with the store's tax data. The store's data is missing or invalid. If it "
        "is still missing on %(hold_on)s, the store's payouts will be held until it is given."
    ) % {"number": number, "year": year, "hold_on": hold_on.strftime("%d/%m/%Y")}


def run_dac7_calendar(*, today: date | None = None) -> Dac7Run:
    today = today or timezone.localdate()
    run = Dac7Run()
    stores = Store.objects.filter(
        kind=Store.Kind.FRANCHISE, status__in=[Store.Status.ACTIVE, Store.Status.SUSPENDED]
    ).order_by("pk")
    for store in stores:
        missing = missing_dac7_data(store)
        if not missing:
            if active_dac7_hold(store) is not None and release_dac7_hold(store=store):
                run.released.append(store.slug)
            continue
        # Last year's reminders may end in a hold in January, before its declaration.
        years = [today.year - 1] if today.month <= settings.DAC7_DECLARATION_MONTH else []
        for year in [*years, today.year]:
            _remind_or_hold(store, year, today, missing, run)
    if today.month == settings.DAC7_DECLARATION_MONTH:
        try:
            made = prepare_year_once(year=today.year - 1)
        except Dac7NotReady as exc:
            run.problem = exc.message
            logger.warning("DAC7 declaration of %s not prepared: %s", today.year - 1, exc.message)
        else:
            run.declaration = made.filename if made is not None else ""
    return run


def _remind_or_hold(store: Store, year: int, today: date, missing: list[str], run: Dac7Run) -> None:
    first, second = reminder_dates(year)
    if today < first:
        return
    at = timezone.make_aware(datetime.combine(today, time(hour=6)))
    sent = {n.kind: n for n in Dac7Notice.objects.filter(store=store, year=year)}
    gap = second - first
    K = Dac7Notice.Kind
    if K.FIRST_REMINDER not in sent:
        hold_on = today + gap + timedelta(days=settings.DAC7_HOLD_AFTER_DAYS)
        notify(
            store=store,
            year=year,
            kind=K.FIRST_REMINDER,
            text=_reminder_text(year, 1, hold_on),
            missing=missing,
            sent_at=at,
        )
        run.reminded.append((store.slug, K.FIRST_REMINDER))
        return
    first_sent = timezone.localdate(sent[K.FIRST_REMINDER].sent_at)
    if K.SECOND_REMINDER not in sent:
        if today >= second and today >= first_sent + gap:
            hold_on = today + timedelta(days=settings.DAC7_HOLD_AFTER_DAYS)
            notify(
                store=store,
                year=year,
                kind=K.SECOND_REMINDER,
                text=_reminder_text(year, 2, hold_on),
                missing=missing,
                sent_at=at,
            )
            run.reminded.append((store.slug, K.SECOND_REMINDER))
        return
    second_sent = timezone.localdate(sent[K.SECOND_REMINDER].sent_at)
    due = second_sent + timedelta(days=settings.DAC7_HOLD_AFTER_DAYS)
    if today >= due and K.PAYOUTS_HELD not in sent:
        hold_for_dac7(store=store, year=year, missing=missing, sent_at=at)
        run.held.append(store.slug)
