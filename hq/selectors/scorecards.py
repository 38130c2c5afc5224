"""The stores' scorecards: each store's quality figures over a rolling period, read from the
records of the apps below (fulfilments and their events, returns), never copied.

One query per family of figures, grouped by store, whatever the number of stores:

- the acceptance decisions (a fulfilment's move out of "awaiting acceptance" in the period):
  routed, accepted, rejected, timed out, rejected for missing stock (stock accuracy), and the
  refused ones that went on to another location (re-routings away from the store);
- the acceptance times (accepted in the period: from the routing, the later of the fulfilment's
  creation and the order's placing, to the acceptance; median per store, computed here so that
  SQLite, the demo's database, gives the same answer as PostgreSQL);
- the home-delivery shipments (shipped in the period, or accepted and already overdue): late
  when shipped more than HQ's `ship_within_hours` after the routing;
- uncollected pickups (at the store where the customer was to collect);
- returns of the goods the store sold (started in the period, not cancelled).

Stock accuracy: a store routed an order because its feed said it had the goods; a rejection for
missing stock is a miss. The accuracy is the share of its routed orders without such a miss.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fulfillment.models import Fulfilment, FulfilmentEvent, Return, ReturnLine
from orders.models import FulfilmentMethod

from ..models import ScorecardSettings

S = Fulfilment.Status
DECISIONS = (S.ACCEPTED, S.REJECTED, S.TIMED_OUT)
SHIPPED = (S.SHIPPED, S.DELIVERED)
WAITING_TO_SHIP = (S.ACCEPTED, S.PICKED)


# A family's query limited to the stores asked (by the field naming the store), and the card of
# a store (made on first use).
Scoped = Callable[[QuerySet, str], QuerySet]
CardOf = Callable[[int], "Scorecard"]


@dataclass(frozen=True)
class Figure:
    """How one figure reads: its key in `Scorecard`, its label, its unit for display."""

    key: str
    label: object
    unit: str  # "count", "percent", "minutes"


FIGURES: tuple[Figure, ...] = (
    Figure("routed", _("Orders routed"), "count"),
    Figure("acceptance_rate", _("Acceptance rate"), "percent"),
    Figure("median_acceptance_minutes", _("Median acceptance time"), "minutes"),
    Figure("timeouts", pgettext_lazy("scorecard figure", "Not accepted in time"), "count"),
    Figure("rejected", pgettext_lazy("scorecard figure", "Rejected"), "count"),
    Figure("rerouted_away", _("Re-routed to another location"), "count"),
    Figure("late_shipments", _("Late shipments"), "count"),
    Figure("late_rate", _("Share of late shipments"), "percent"),
    Figure("stock_misses", _("Rejected for missing stock"), "count"),
    Figure("stock_accuracy", _("Stock accuracy"), "percent"),
    Figure("uncollected", _("Pickups not collected"), "count"),
    Figure("returns", _("Returns of its sales"), "count"),
)
FIGURE_LABELS = {figure.key: figure.label for figure in FIGURES}


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, one decimal (half up); None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Scorecard:
    """One store's figures over the period (start, end]."""

    store_id: int
    start: datetime
    end: datetime
    routed: int = 0
    accepted: int = 0
    rejected: int = 0
    timeouts: int = 0
    rerouted_away: int = 0
    stock_misses: int = 0
    median_acceptance_minutes: float | None = None
    shipments: int = 0  # shipped in the period, or overdue
    late_shipments: int = 0
    uncollected: int = 0
    returns: int = 0
    _durations: list[float] = field(default_factory=list, repr=False)

    @property
    def acceptance_rate(self) -> Decimal | None:
        return percent(self.accepted, self.routed)

    @property
    def late_rate(self) -> Decimal | None:
        return percent(self.late_shipments, self.shipments)

    @property
    def stock_accuracy(self) -> Decimal | None:
        return percent(self.routed - self.stock_misses, self.routed)

    def value(self, key: str) -> int | float | Decimal | None:
        return getattr(self, key)

    def as_dict(self) -> dict:
        """The figures as JSON (recorded with each step of the standing)."""
        data = {
            key: value
            for key, value in asdict(self).items()
            if not key.startswith("_") and key not in {"start", "end"}
        }
        for key in ("acceptance_rate", "late_rate", "stock_accuracy"):
            rate = getattr(self, key)
            data[key] = None if rate is None else float(rate)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        return data


def period_of(
    settings_row: ScorecardSettings, *, end: datetime | None = None
) -> tuple[datetime, datetime]:
    """The rolling period HQ set, ending at `end` (now)."""
    end = end or timezone.now()
    return end - timedelta(days=settings_row.period_days), end


def store_scorecards(
    *,
    start: datetime,
    end: datetime,
    store_ids: Collection[int] | None = None,
    ship_within: timedelta | None = None,
) -> dict[int, Scorecard]:
    """Every store's scorecard over (start, end], by store id: the stores of `store_ids` (all
    the stores with any figure when None; a store with none gets an empty card when named).
    Five queries, whatever the number of stores."""
    if ship_within is None:
        ship_within = timedelta(hours=ScorecardSettings.current().ship_within_hours)
    cards: dict[int, Scorecard] = {}

    def card(store_id: int) -> Scorecard:
        if store_id not in cards:
            cards[store_id] = Scorecard(store_id=store_id, start=start, end=end)
        return cards[store_id]

    for store_id in store_ids or ():
        card(store_id)

    def scoped(queryset: QuerySet, store_field: str) -> QuerySet:
        return (
            queryset if store_ids is None else queryset.filter(**{f"{store_field}__in": store_ids})
        )

    _decisions(scoped, card, start, end)
    _acceptance_times(scoped, card, start, end)
    _shipments(scoped, card, start, end, ship_within)
    _uncollected(scoped, card, start, end)
    _returns(scoped, card, start, end)
    for scorecard in cards.values():
        if scorecard._durations:
            scorecard.median_acceptance_minutes = round(statistics.median(scorecard._durations), 1)
    return cards


def store_scorecard(
    *, store_id: int, start: datetime, end: datetime, ship_within: timedelta | None = None
) -> Scorecard:
    return store_scorecards(start=start, end=end, store_ids=[store_id], ship_within=ship_within)[
        store_id
    ]


def _decisions(scoped: Scoped, card: CardOf, start: datetime, end: datetime) -> None:
    later_elsewhere = Fulfilment.objects.filter(
        order_id=OuterRef("fulfilment__order_id"), pk__gt=OuterRef("fulfilment_id")
    ).exclude(store_id=OuterRef("fulfilment__store_id"))
    rows = (
        scoped(FulfilmentEvent.objects.all(), "fulfilment__store_id")
        .filter(
            from_status=S.AWAITING_ACCEPTANCE,
            to_status__in=DECISIONS,
            created_at__gt=start,
            created_at__lte=end,
            fulfilment__order__placed_at__isnull=False,
        )
        .order_by()
        .values("fulfilment__store_id", "to_status")
        .annotate(
            n=Count("pk"),
            misses=Count("pk", filter=Q(fulfilment__rejected_for_missing_stock=True)),
            rerouted=Count("pk", filter=Exists(later_elsewhere)),
        )
    )
    for row in rows:
        scorecard = card(row["fulfilment__store_id"])
        scorecard.routed += row["n"]
        if row["to_status"] == S.ACCEPTED:
            scorecard.accepted += row["n"]
        else:
            if row["to_status"] == S.REJECTED:
                scorecard.rejected += row["n"]
                scorecard.stock_misses += row["misses"]
            else:
                scorecard.timeouts += row["n"]
            scorecard.rerouted_away += row["rerouted"]


def _acceptance_times(scoped: Scoped, card: CardOf, start: datetime, end: datetime) -> None:
    rows = (
        scoped(Fulfilment.objects.all(), "store_id")
        .filter(accepted_at__gt=start, accepted_at__lte=end, order__placed_at__isnull=False)
        .annotate(routed_at=Greatest("created_at", "order__placed_at"))
        .values_list("store_id", "routed_at", "accepted_at")
    )
    for store_id, routed_at, accepted_at in rows:
        minutes = max((accepted_at - routed_at).total_seconds() / 60, 0.0)
        card(store_id)._durations.append(minutes)


def _shipments(
    scoped: Scoped, card: CardOf, start: datetime, end: datetime, ship_within: timedelta
) -> None:
    rows = (
        scoped(Fulfilment.objects.all(), "store_id")
        .filter(method=FulfilmentMethod.HOME_DELIVERY, order__placed_at__isnull=False)
        .filter(
            Q(status__in=SHIPPED, closed_at__gt=start, closed_at__lte=end)
            | Q(status__in=WAITING_TO_SHIP)
        )
        .annotate(routed_at=Greatest("created_at", "order__placed_at"))
        .values_list("store_id", "status", "routed_at", "closed_at")
    )
    for store_id, status, routed_at, closed_at in rows:
        due = routed_at + ship_within
        if status in SHIPPED:
            scorecard = card(store_id)
            scorecard.shipments += 1
            scorecard.late_shipments += closed_at > due
        elif start < due <= end:  # still not shipped, and its time is up
            scorecard = card(store_id)
            scorecard.shipments += 1
            scorecard.late_shipments += 1


def _uncollected(scoped: Scoped, card: CardOf, start: datetime, end: datetime) -> None:
    collect_store = Coalesce("fulfilment__pickup_store_id", "fulfilment__store_id")
    rows = (
        FulfilmentEvent.objects.filter(
            to_status=S.UNCOLLECTED, created_at__gt=start, created_at__lte=end
        )
        .annotate(collect_store=collect_store)
        .order_by()
        .values("collect_store")
        .annotate(n=Count("pk"))
    )
    rows = scoped(rows, "collect_store")
    for row in rows:
        card(row["collect_store"]).uncollected += row["n"]


def _returns(scoped: Scoped, card: CardOf, start: datetime, end: datetime) -> None:
    rows = (
        scoped(ReturnLine.objects.all(), "seller_store_id")
        .filter(
            return_request__created_at__gt=start,
            return_request__created_at__lte=end,
        )
        .exclude(return_request__status=Return.Status.CANCELLED)
        .order_by()
        .values("seller_store_id")
        .annotate(n=Count("return_request_id", distinct=True))
    )
    for row in rows:
        if row["seller_store_id"] is not None:
            card(row["seller_store_id"]).returns += row["n"]


# Thresholds -----------------------------------------------------------------------------------

WARNING = "warning"
SUSPENSION = "suspension"


@dataclass(frozen=True)
class Breach:
    """A threshold the store's figures crossed: which figure, at which level, its value and
    the threshold."""

    figure: str
    level: str  # WARNING or SUSPENSION
    value: float
    threshold: float

    def as_dict(self) -> dict:
        return asdict(self)


def breaches(scorecard: Scorecard, settings_row: ScorecardSettings) -> list[Breach]:
    """The thresholds the figures cross, the worse level for each figure. The rates count only
    from HQ's minimum of orders (`min_routed`)."""
    found: list[Breach] = []

    def at_least(figure: str, value: int, warning: int, suspension: int) -> None:
        if value >= suspension:
            found.append(Breach(figure, SUSPENSION, value, suspension))
        elif value >= warning:
            found.append(Breach(figure, WARNING, value, warning))

    at_least(
        "timeouts",
        scorecard.timeouts,
        settings_row.timeouts_warning,
        settings_row.timeouts_suspension,
    )
    at_least(
        "stock_misses",
        scorecard.stock_misses,
        settings_row.stock_misses_warning,
        settings_row.stock_misses_suspension,
    )
    rate = scorecard.acceptance_rate
    if rate is not None and scorecard.routed >= settings_row.min_routed:
        if rate < settings_row.acceptance_rate_suspension:
            found.append(
                Breach(
                    "acceptance_rate",
                    SUSPENSION,
                    float(rate),
                    settings_row.acceptance_rate_suspension,
                )
            )
        elif rate < settings_row.acceptance_rate_warning:
            found.append(
                Breach(
                    "acceptance_rate", WARNING, float(rate), settings_row.acceptance_rate_warning
                )
            )
    late = scorecard.late_rate
    if late is not None and scorecard.shipments >= settings_row.min_routed:
        if late > settings_row.late_rate_suspension:
            found.append(
                Breach("late_rate", SUSPENSION, float(late), settings_row.late_rate_suspension)
            )
        elif late > settings_row.late_rate_warning:
            found.append(Breach("late_rate", WARNING, float(late), settings_row.late_rate_warning))
    return found


def worst_level(found: Iterable[Breach]) -> str | None:
    levels = {breach.level for breach in found}
    if SUSPENSION in levels:
        return SUSPENSION
    if WARNING in levels:
        return WARNING
    return None


def describe_breach(breach: Breach) -> str:
    """A breach in words, for the store's e-mail and the statement of reasons."""
    label = FIGURE_LABELS[breach.figure]
    if breach.figure == "acceptance_rate":
        return str(
            _("%(figure)s: %(value)s %% (threshold: below %(threshold)s %%)")
            % {
                "figure": label,
                "value": _number(breach.value),
                "threshold": _number(breach.threshold),
            }
        )
    if breach.figure == "late_rate":
        return str(
            _("%(figure)s: %(value)s %% (threshold: above %(threshold)s %%)")
            % {
                "figure": label,
                "value": _number(breach.value),
                "threshold": _number(breach.threshold),
            }
        )
    return str(
        _("%(figure)s: %(value)s (threshold: %(threshold)s)")
        % {"figure": label, "value": _number(breach.value), "threshold": _number(breach.threshold)}
    )


def _number(value: float) -> str:
    return number_format(Decimal(str(value)).normalize(), use_l10n=True)


# The stores' standings with their figures (HQ's list, the store's page) -----------------------


def scorecards_for(
    *, store_ids: Collection[int] | None = None, end: datetime | None = None
) -> tuple[dict[int, Scorecard], ScorecardSettings]:
    """The scorecards over HQ's rolling period ending `end` (now), with the settings used."""
    settings_row = ScorecardSettings.current()
    start, end = period_of(settings_row, end=end)
    cards = store_scorecards(
        start=start,
        end=end,
        store_ids=store_ids,
        ship_within=timedelta(hours=settings_row.ship_within_hours),
    )
    return cards, settings_row


__all__ = [
    "FIGURES",
    "FIGURE_LABELS",
    "SUSPENSION",
    "WARNING",
    "Breach",
    "Figure",
    "Scorecard",
    "breaches",
    "describe_breach",
    "percent",
    "period_of",
    "scorecards_for",
    "store_scorecard",
    "store_scorecards",
    "worst_level",
]
