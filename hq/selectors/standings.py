"""The scorecards as pages show them: a store's figures against HQ's thresholds, in words, with
its standing and the history of its steps (the store's back-office page and HQ's admin page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.models import StatementOfReasons
from stores.models import Store

from ..models import ScorecardSettings, StandingEvent, StoreStanding
from ..selectors.scorecards import (
    FIGURES,
    SUSPENSION,
    WARNING,
    Breach,
    Scorecard,
    breaches,
    period_of,
    store_scorecards,
)

# Which threshold applies to which figure: (warning field, suspension field, comparison).
THRESHOLDS = {
    "timeouts": ("timeouts_warning", "timeouts_suspension", "≥"),
    "acceptance_rate": ("acceptance_rate_warning", "acceptance_rate_suspension", "<"),
    "late_rate": ("late_rate_warning", "late_rate_suspension", ">"),
    "stock_misses": ("stock_misses_warning", "stock_misses_suspension", "≥"),
}


def _number(value: float | Decimal | int) -> str:
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return number_format(value, use_l10n=True, force_grouping=True)


def format_figure(unit: str, value: float | Decimal | int | None) -> str:
    """A figure in words: "92,5 %", "1 h 05 min", "3"; "—" when there is nothing to count."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{_number(value)}\u00a0%"
    if unit == "minutes":
        minutes = round(float(value))
        if minutes < 60:
            return _("%(minutes)s min") % {"minutes": minutes}
        return _("%(hours)s h %(minutes)02d min") % {
            "hours": minutes // 60,
            "minutes": minutes % 60,
        }
    return _number(value)


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    value: str
    warning: str
    suspension: str
    level: str  # "", WARNING or SUSPENSION


@dataclass(frozen=True)
class EventRow:
    at: datetime
    from_label: str
    to_label: str
    to_status: str
    actor: str
    reason: str
    overridden: bool


@dataclass(frozen=True)
class ScorecardPage:
    store: Store
    standing: StoreStanding | None
    status: str
    status_label: str
    start: datetime
    end: datetime
    counted_from: datetime | None
    rows: list[FigureRow]
    breaches: list[Breach]
    events: list[EventRow]
    settings: ScorecardSettings
    statement: StatementOfReasons | None
    rates_note: str


def figure_rows(
    scorecard: Scorecard, settings_row: ScorecardSettings, found: list[Breach]
) -> list[FigureRow]:
    levels = {breach.figure: breach.level for breach in found}
    rows = []
    for figure in FIGURES:
        warning = suspension = "—"
        if figure.key in THRESHOLDS:
            warning_field, suspension_field, sign = THRESHOLDS[figure.key]
            warning = (
                f"{sign}\u00a0{format_figure(figure.unit, getattr(settings_row, warning_field))}"
            )
            suspension = (
                f"{sign}\u00a0{format_figure(figure.unit, getattr(settings_row, suspension_field))}"
            )
        rows.append(
            FigureRow(
                key=figure.key,
                label=str(figure.label),
                value=format_figure(figure.unit, scorecard.value(figure.key)),
                warning=warning,
                suspension=suspension,
                level=levels.get(figure.key, ""),
            )
        )
    return rows


def standing_events(standing: StoreStanding | None, *, limit: int = 20) -> list[EventRow]:
    if standing is None:
        return []
    labels = dict(StoreStanding.Status.choices)
    events: QuerySet[StandingEvent] = standing.events.order_by("-created_at", "-pk")[:limit]
    return [
        EventRow(
            at=event.created_at,
            from_label=str(labels.get(event.from_status, "")),
            to_label=str(labels.get(event.to_status, event.to_status)),
            to_status=event.to_status,
            actor=_("HQ") if event.overridden else _("Automatic (scorecard)"),
            reason=event.reason,
            overridden=event.overridden,
        )
        for event in events
    ]


def scorecard_page(*, store: Store, now: datetime | None = None) -> ScorecardPage:
    """The store's scorecard over HQ's period, against the thresholds, with its standing."""
    settings_row = ScorecardSettings.current()
    start, end = period_of(settings_row, end=now)
    scorecard = store_scorecards(
        start=start,
        end=end,
        store_ids=[store.pk],
        ship_within=_ship_within(settings_row),
    )[store.pk]
    found = breaches(scorecard, settings_row)
    standing = StoreStanding.objects.select_related("measure").filter(store=store).first()
    status = standing.status if standing else StoreStanding.Status.GOOD
    statement = None
    if standing is not None and standing.measure_id:
        statement = StatementOfReasons.objects.filter(measure_id=standing.measure_id).first()
    rates_note = ngettext(
        "The rates lead to a consequence from %(count)s order routed in the period.",
        "The rates lead to a consequence from %(count)s orders routed in the period.",
        settings_row.min_routed,
    ) % {"count": settings_row.min_routed}
    return ScorecardPage(
        store=store,
        standing=standing,
        status=status,
        status_label=str(StoreStanding.Status(status).label),
        start=start,
        end=end,
        counted_from=standing.counted_from
        if standing and standing.counted_from and standing.counted_from > start
        else None,
        rows=figure_rows(scorecard, settings_row, found),
        breaches=found,
        events=standing_events(standing),
        settings=settings_row,
        statement=statement,
        rates_note=rates_note,
    )


def _ship_within(settings_row: ScorecardSettings) -> timedelta:
    return timedelta(hours=settings_row.ship_within_hours)


__all__ = [
    "SUSPENSION",
    "WARNING",
    "EventRow",
    "FigureRow",
    "ScorecardPage",
    "figure_rows",
    "format_figure",
    "scorecard_page",
    "standing_events",
]
