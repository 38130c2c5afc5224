"""The control tower on the admin home: HQ's figures for today and a chosen period, each with
the admin list behind it.

`control_tower_context(request)` builds what `templates/admin/index.html` shows; it is called by
`dashboard_callback` (django-unfold's DASHBOARD_CALLBACK) and by `with_control_tower`, which
wraps the stock `AdminSite.index` (config/urls.py). The figures are `hq.selectors`'; this
module only words them, formats them and links them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fulfillment.models import Return
from orders.models import FulfilmentMethod, Order

from . import formatting as fmt
from . import links
from .forms import PeriodForm
from .selectors.control_tower import ControlTower, Ranked, control_tower
from .selectors.periods import today_period


@dataclass
class Figure:
    """One number on the tower: what it is, its value, a detail line, the list behind it."""

    key: str
    label: str
    value: str
    url: str
    detail: str = ""
    alert: bool = False


@dataclass
class Bar:
    label: str | Promise
    value: str
    url: str
    share: float  # 0..100, the bar's width against the largest of its chart
    detail: str = ""


@dataclass
class RankedStore:
    name: str
    value: str
    detail: str
    url: str


@dataclass
class Ranking:
    key: str
    label: str
    worst: list[RankedStore] = field(default_factory=list)
    best: list[RankedStore] = field(default_factory=list)


def _bars(items: list[tuple[str | Promise, int, str, str, str]]) -> list[Bar]:
    """(label, amount to scale on, value shown, url, detail) into bars scaled on the largest."""
    top = max((amount for _l, amount, _v, _u, _d in items), default=0) or 1
    return [
        Bar(label, value, url, round(100 * amount / top, 1), detail)
        for label, amount, value, url, detail in items
    ]


def _orders_detail(orders: int) -> str:
    return ngettext("%(count)s order", "%(count)s orders", orders) % {"count": fmt.count(orders)}


def sales_section(tower: ControlTower) -> dict[str, Any]:
    period = tower.period
    channels = _bars(
        [
            (
                Order.Channel(key).label,
                sales.gmv_cents,
                fmt.money(sales.gmv_cents),
                links.orders(period, channel__exact=key),
                _orders_detail(sales.orders),
            )
            for key, sales in tower.by_channel.items()
        ]
    )
    methods: list[tuple[str | Promise, int, str, str, str]] = []
    for key, sales in tower.by_method.items():
        methods.append(
            (
                FulfilmentMethod(key).label,
                sales.gmv_cents,
                fmt.money(sales.gmv_cents),
                links.orders(period, lines__method__exact=key),
                _orders_detail(sales.orders),
            )
        )
    home = tower.home_by_location
    parcels = _bars(
        [
            (
                _("Shipped from a store"),
                home["store"],
                fmt.count(home["store"]),
                links.home_deliveries(period, warehouse=False),
                "",
            ),
            (
                _("Shipped from the warehouse"),
                home["warehouse"],
                fmt.count(home["warehouse"]),
                links.home_deliveries(period, warehouse=True),
                "",
            ),
        ]
    )
    totals = tower.totals
    return {
        "totals": [
            Figure(
                "gmv",
                _("GMV"),
                fmt.money(totals.gmv_cents),
                links.orders(period),
                _("items ordered, VAT included, delivery excluded"),
            ),
            Figure("orders", _("Orders"), fmt.count(totals.orders), links.orders(period)),
            Figure(
                "basket",
                _("Average basket"),
                fmt.money(totals.gmv_cents // totals.orders if totals.orders else 0),
                links.orders(period),
            ),
        ],
        "channels": channels,
        "methods": _bars(methods),
        "parcels": parcels,
        "chart": daily_chart(tower),
    }


def daily_chart(tower: ControlTower) -> dict[str, Any]:
    """The GMV of each day as SVG bars (server-rendered: no script), in a 100-unit-high box."""
    days = tower.daily
    top = max((gmv for _d, _o, gmv in days), default=0)
    width = 100 / max(len(days), 1)
    bars = []
    for index, (day, orders, gmv) in enumerate(days):
        height = round(90 * gmv / top, 2) if top else 0
        bars.append(
            {
                "x": round(index * width + width * 0.1, 3),
                "width": round(width * 0.8, 3),
                "y": round(100 - height, 2),
                "height": height,
                "title": _("%(day)s: %(gmv)s, %(orders)s")
                % {
                    "day": day.strftime("%d/%m"),
                    "gmv": fmt.money(gmv),
                    "orders": _orders_detail(orders),
                },
            }
        )
    return {
        "bars": bars,
        "top": fmt.whole_euros(top),
        "first": days[0][0] if days else None,
        "last": days[-1][0] if days else None,
    }


def today_figures(tower: ControlTower) -> list[Figure]:
    today, work, feeds, held = tower.today, tower.open_work, tower.feeds, tower.payouts
    totals = tower.totals
    return [
        Figure(
            "today-orders",
            _("Orders today"),
            fmt.count(totals.today_orders),
            links.orders(today),
            fmt.money(totals.today_gmv_cents),
        ),
        Figure(
            "awaiting",
            _("Awaiting acceptance"),
            fmt.count(work.awaiting),
            links.open_fulfilments("awaiting_acceptance"),
            ngettext(
                "%(count)s past its deadline",
                "%(count)s past their deadline",
                work.awaiting_overdue,
            )
            % {"count": fmt.count(work.awaiting_overdue)},
            alert=work.awaiting_overdue > 0,
        ),
        Figure(
            "late-to-ship",
            _("Parcels late, not shipped yet"),
            fmt.count(work.to_ship_late),
            links.late_to_ship(),
            alert=work.to_ship_late > 0,
        ),
        Figure(
            "ready",
            _("Ready for pickup"),
            fmt.count(work.ready),
            links.open_fulfilments("ready_for_pickup"),
            ngettext(
                "%(count)s past its pickup date",
                "%(count)s past their pickup date",
                work.ready_overdue,
            )
            % {"count": fmt.count(work.ready_overdue)},
            alert=work.ready_overdue > 0,
        ),
        Figure(
            "late-feeds",
            _("Late stock feeds"),
            fmt.count(len(feeds.late)),
            links.late_feeds(),
            _("of %(count)s locations, older than %(hours)s h")
            % {"count": fmt.count(feeds.locations), "hours": feeds.max_age_hours},
            alert=bool(feeds.late),
        ),
        Figure(
            "payouts-held",
            _("Payouts held"),
            fmt.count(len(held.held)),
            links.payouts_held(),
            _("%(amount)s owed to these stores") % {"amount": fmt.money(held.held_owed_cents)},
            alert=bool(held.held),
        ),
    ]


def quality_figures(tower: ControlTower) -> list[Figure]:
    period, quality, rerouting = tower.period, tower.quality, tower.rerouting
    return [
        Figure(
            "acceptance",
            _("Acceptance rate"),
            fmt.percent(quality.acceptance_rate),
            links.fulfilments_accepted(period),
            _("%(accepted)s accepted of %(decided)s answered")
            % {"accepted": fmt.count(quality.accepted), "decided": fmt.count(quality.decided)},
        ),
        Figure(
            "median-acceptance",
            _("Median acceptance time"),
            fmt.duration(quality.median_accept),
            links.fulfilments_accepted(period),
            _("from routing to acceptance"),
        ),
        Figure(
            "timeouts",
            _("Acceptance deadlines missed"),
            fmt.count(quality.timed_out),
            links.timed_out(period),
            ngettext("%(count)s refused", "%(count)s refused", quality.rejected)
            % {"count": fmt.count(quality.rejected)},
            alert=quality.timed_out > 0,
        ),
        Figure(
            "reroutings",
            _("Re-routings"),
            fmt.count(rerouting.reroutings),
            links.reroutings(period),
            _("refused or late fulfilments sent to the next location"),
        ),
        Figure(
            "late-shipments",
            _("Late shipments"),
            fmt.count(quality.shipped_late),
            links.shipped_late(period),
            _("of %(count)s parcels shipped") % {"count": fmt.count(quality.shipped)},
            alert=quality.shipped_late > 0,
        ),
        Figure(
            "stock-outs",
            _("Cancellations for stock-outs"),
            fmt.count(rerouting.stock_out_cancellations),
            links.stock_out_cancellations(period),
            ngettext(
                "%(count)s order affected", "%(count)s orders affected", rerouting.stock_out_orders
            )
            % {"count": fmt.count(rerouting.stock_out_orders)},
            alert=rerouting.stock_out_cancellations > 0,
        ),
        Figure(
            "uncollected",
            _("Uncollected pickups"),
            fmt.count(quality.uncollected),
            links.uncollected(period),
            _("of %(count)s pickups ended") % {"count": fmt.count(quality.collect_ended)},
            alert=quality.uncollected > 0,
        ),
    ]


def returns_bars(tower: ControlTower) -> list[Bar]:
    period = tower.period
    return _bars(
        [
            (
                Return.Reason(reason).label,
                number,
                fmt.count(number),
                links.returns(period, reason__exact=reason),
                "",
            )
            for reason, number in sorted(tower.returns.by_reason.items(), key=lambda item: -item[1])
        ]
    )


def ranking_label(key: str) -> str:
    return {
        "acceptance": _("Acceptance rate"),
        "speed": _("Median acceptance time"),
        "timeouts": _("Acceptance deadlines missed"),
        "reroutings": _("Re-routings away from the store"),
        "stock_outs": _("Refused (stock missing)"),
        "late": _("Late shipments"),
        "uncollected": _("Uncollected pickups"),
        "returns": _("Returns of its sales"),
        "attributed": _("Web sales in its catchment"),
    }[key]


def _ranked_store(tower: ControlTower, key: str, row: Ranked) -> RankedStore:
    period = tower.period
    store = tower.stores.get(row.store_id, {"name": "?"})
    if key == "speed":
        value = fmt.duration(timedelta(seconds=row.value))
        detail = _orders_detail(row.count)
        url = links.fulfilments_accepted(period, row.store_id)
    elif key == "attributed":
        value = fmt.money(int(row.value))
        detail = _orders_detail(row.count)
        url = links.orders(period, channel__exact="web", attributed_store__id__exact=row.store_id)
    else:
        value = fmt.percent(row.value)
        detail = _("%(count)s of %(cases)s") % {
            "count": fmt.count(row.count),
            "cases": fmt.count(row.cases),
        }
        url = {
            "acceptance": links.fulfilments_accepted,
            "timeouts": links.timed_out,
            "reroutings": links.reroutings,
            "stock_outs": links.rejected,
            "late": links.shipped_late,
            "uncollected": links.uncollected,
        }.get(key, links.completed)(period, row.store_id)
        if key == "returns":
            url = links.returns(period, lines__seller_store__id__exact=row.store_id)
    return RankedStore(store["name"], value, detail, url)


def rankings(tower: ControlTower) -> list[Ranking]:
    result = []
    for key, (worst, best) in tower.rankings().items():
        result.append(
            Ranking(
                key,
                ranking_label(key),
                [_ranked_store(tower, key, row) for row in worst],
                [_ranked_store(tower, key, row) for row in best],
            )
        )
    return result


def network_section(tower: ControlTower) -> dict[str, Any]:
    feeds, held, period = tower.feeds, tower.payouts, tower.period
    names = tower.stores
    late_feeds = [
        {
            "name": names.get(store_id, {}).get("name", "?"),
            "last": last,
            "url": links.store_feeds(store_id),
        }
        for store_id, last in feeds.late[:10]
    ]
    held_stores = [
        {
            "name": names.get(store_id, {}).get("name", "?"),
            "reason": reason,
            "since": since,
            "owed": fmt.money(owed),
        }
        for store_id, reason, since, owed in held.held[:10]
    ]
    return {
        "feeds": feeds,
        "late_feeds": late_feeds,
        "late_feeds_more": max(len(feeds.late) - 10, 0),
        "late_feeds_url": links.late_feeds(),
        "stock_policy_url": links.stock_policy(),
        "held_stores": held_stores,
        "payout_figures": [
            Figure(
                "held",
                _("Stores whose payouts HQ holds"),
                fmt.count(len(held.held)),
                links.payouts_held(),
                _("%(amount)s owed to them") % {"amount": fmt.money(held.held_owed_cents)},
                alert=bool(held.held),
            ),
            Figure(
                "failed-payouts",
                _("Failed payouts"),
                fmt.count(held.failed),
                links.failed_payouts(period),
                fmt.money(held.failed_cents),
                alert=held.failed > 0,
            ),
            Figure(
                "reserve",
                _("Held back for returns"),
                fmt.money(held.reserve_cents),
                links.payouts(period),
                _("by the period's payouts"),
            ),
            Figure(
                "not-payable",
                _("Stores that cannot be paid"),
                fmt.count(held.not_payable + held.without_account),
                links.money_dashboard(period),
                _("%(without)s without a payment account")
                % {"without": fmt.count(held.without_account)},
                alert=(held.not_payable + held.without_account) > 0,
            ),
        ],
        "money_dashboard_url": links.money_dashboard(period),
    }


def control_tower_context(request) -> dict[str, Any]:
    """What the admin home shows: the period form, and the tower's figures for it."""
    form = PeriodForm(request.GET or None)
    period = form.chosen_period()
    now = timezone.now()
    tower = control_tower(period=period, today=today_period(), now=now)
    attribution = tower.attribution
    return {
        "control_tower": {
            "period": period,
            "now": now,
            "today": today_figures(tower),
            "sales": sales_section(tower),
            "attributed_share": fmt.percent(
                (attribution.web_orders - attribution.unattributed_orders) / attribution.web_orders
                if attribution.web_orders
                else None
            ),
            "web_orders": fmt.count(attribution.web_orders),
            "web_orders_url": links.orders(period, channel__exact="web"),
            "quality": quality_figures(tower),
            "returns": returns_bars(tower),
            "returns_total": fmt.count(tower.returns.total),
            "returns_url": links.returns(period),
            "rankings": rankings(tower),
            "network": network_section(tower),
        },
        "period_form": form,
        "period_invalid": form.is_bound and not form.is_valid(),
    }


def dashboard_callback(request, context: dict[str, Any]) -> dict[str, Any]:
    """django-unfold's DASHBOARD_CALLBACK: the tower added to the admin index's context."""
    if "control_tower" not in context:
        context.update(control_tower_context(request))
    return context


def with_control_tower(index):
    """Wrap the stock `AdminSite.index` so the admin home shows the tower; an invalid period
    is answered 400 with the form's errors (and the default period's figures)."""

    def index_with_control_tower(request, extra_context=None):
        context = control_tower_context(request)
        response = index(request, extra_context={**context, **(extra_context or {})})
        if context["period_invalid"]:
            response.status_code = 400
        return response

    return index_with_control_tower
