"""The admin lists behind the control tower's figures: each figure links to the changelist
filtered to the rows it counts, with lookups the admin allows (the model's own fields, a foreign
key's id, or a list filter the model admin declares)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse

from fulfillment.selectors import SHIPPED_STATUSES
from fulfillment.states import COMPLETED_STATUSES
from stores.selectors.feeds import FEED_APPLIED

from .selectors.control_tower import (
    COLLECT_ENDS,
    KEPT_STATUSES,
    LINES_CANCELLED,
    REROUTED,
    STOCK_OUT_REASONS,
)
from .selectors.periods import Period


def changelist(model: str, **params) -> str:
    """`model` as "app_model"; parameters with None values are left out."""
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=False)
    url = reverse(f"admin:{model}_changelist")
    return f"{url}?{query}" if query else url


def _range(name: str, period: Period) -> dict[str, str]:
    return {f"{name}__gte": _at(period.start), f"{name}__lt": _at(period.end)}


def _at(moment: datetime) -> str:
    return moment.isoformat()


def _in(values) -> str:
    return ",".join(str(value) for value in values)


def orders(period: Period, **filters) -> str:
    return changelist("orders_order", **_range("placed_at", period), **filters)


def fulfilments_accepted(period: Period, store_id: int | None = None) -> str:
    return changelist(
        "fulfillment_fulfilment",
        **_range("accepted_at", period),
        store__id__exact=store_id,
    )


def fulfilments_closed(period: Period, statuses, store_id: int | None = None, **filters) -> str:
    """Fulfilments that ended in `statuses` in the period (`closed_at`)."""
    return changelist(
        "fulfillment_fulfilment",
        **_range("closed_at", period),
        status__in=_in(statuses),
        store__id__exact=store_id,
        **filters,
    )


def rejected(period: Period, store_id: int | None = None) -> str:
    return fulfilments_closed(period, ["rejected"], store_id)


def timed_out(period: Period, store_id: int | None = None) -> str:
    return fulfilments_closed(period, ["timed_out"], store_id)


def shipped_late(period: Period, store_id: int | None = None) -> str:
    return fulfilments_closed(
        period, SHIPPED_STATUSES, store_id, method__exact="home_delivery", late="shipped"
    )


def shipped(period: Period, store_id: int | None = None) -> str:
    return fulfilments_closed(period, SHIPPED_STATUSES, store_id, method__exact="home_delivery")


def uncollected(period: Period, store_id: int | None = None) -> str:
    return fulfilments_closed(period, ["uncollected"], store_id)


def collect_ended(period: Period, store_id: int | None = None) -> str:
    return fulfilments_closed(period, COLLECT_ENDS, store_id)


def completed(period: Period, store_id: int | None = None) -> str:
    return fulfilments_closed(period, COMPLETED_STATUSES, store_id)


def home_deliveries(period: Period, *, warehouse: bool) -> str:
    return changelist(
        "fulfillment_fulfilment",
        **_range("order__placed_at", period),
        method__exact="home_delivery",
        status__in=_in(KEPT_STATUSES),
        store__kind__in="warehouse" if warehouse else "franchise,branch",
    )


def open_fulfilments(status: str, *, stuck: bool = False) -> str:
    return changelist(
        "fulfillment_fulfilment", status__exact=status, stuck="yes" if stuck else None
    )


def late_to_ship() -> str:
    return changelist("fulfillment_fulfilment", late="to_ship")


def reroutings(period: Period, store_id: int | None = None) -> str:
    return changelist(
        "network_marketplace_auditevent",
        **_range("created_at", period),
        action__exact=REROUTED,
        store_id__exact=store_id,
    )


def stock_out_cancellations(period: Period) -> str:
    return changelist(
        "network_marketplace_auditevent",
        **_range("created_at", period),
        action__exact=LINES_CANCELLED,
        data__why__in=_in(STOCK_OUT_REASONS),
    )


def returns(period: Period, **filters) -> str:
    return changelist(
        "fulfillment_return",
        **_range("created_at", period),
        status__in=_in(["requested", "received", "inspected", "refunded"]),
        **filters,
    )


def late_feeds() -> str:
    return changelist("stores_store", feed="late")


def store_feeds(store_id: int) -> str:
    return changelist(
        "network_marketplace_auditevent", action__exact=FEED_APPLIED, store_id__exact=store_id
    )


def payouts_held() -> str:
    return changelist("compliance_measure", kind__exact="payouts_held", status__exact="active")


def failed_payouts(period: Period) -> str:
    return changelist("payments_payout", **_range("created_at", period), status__exact="failed")


def payouts(period: Period) -> str:
    return changelist("payments_payout", **_range("created_at", period))


def stock_policy() -> str:
    return reverse("admin:stores_stockpolicy_changelist")


def money_dashboard(period: Period) -> str:
    url = reverse("admin:payments_money_dashboard")
    return f"{url}?{urlencode({'start': period.first.isoformat(), 'end': period.last.isoformat()})}"
