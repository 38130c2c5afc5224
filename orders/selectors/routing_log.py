"""An order's routing record (`Order.routing_log`) in words, for HQ's admin and the store's
pages: per line the candidates, their scores and why the chosen one won."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stores.models import Store

from ..models import FulfilmentMethod, Order

PLAN_EXPLANATIONS = {
    "none": "",
    "warehouse": gettext_lazy(
        "The warehouse has every home-delivery line: it ships first (HQ's rule)."
    ),
    "single_location": gettext_lazy(
        "One location can ship every home-delivery line: the best score wins."
    ),
    "split_order": gettext_lazy(
        "No single location has every line: the lines go to the fewest locations, each whole."
    ),
    "split_lines": gettext_lazy(
        "A line's quantity is split over several locations (no one had it all)."
    ),
    "unavailable": gettext_lazy("No location could ship it."),
}
INELIGIBILITY_LABELS = {
    "excluded": gettext_lazy("refused this order or let it time out"),
    "not_selling": gettext_lazy("not selling (suspended, closed or onboarding)"),
    "no_service": gettext_lazy("does not offer this service"),
    "too_far": gettext_lazy("too far from the customer"),
    "at_capacity": gettext_lazy("at its daily capacity"),
    "not_enough_stock": gettext_lazy("not enough stock"),
    "home_delivery_suspended": gettext_lazy(
        "taken out of home-delivery routing by HQ (its scorecard)"
    ),
}
UNAVAILABLE_LABELS = {
    "out_of_stock": gettext_lazy("out of stock in the network"),
    "parcel_limit": gettext_lazy("only within more parcels than HQ allows"),
    "chosen_store_unavailable": gettext_lazy("the chosen store cannot serve it"),
    "chosen_store_out_of_stock": gettext_lazy(
        "the chosen store lacks it and no transfer is possible"
    ),
}
KIND_LABELS = {
    "direct": gettext_lazy("served from stock"),
    "transfer": gettext_lazy("store-to-store transfer"),
    "unavailable": gettext_lazy("unavailable"),
}
REASON_LABELS = {
    "placed": gettext_lazy("order placed"),
    "rejected": gettext_lazy("the store rejected it"),
    "timed_out": gettext_lazy("the store did not accept in time"),
}
SCORE_LABELS = {
    "distance": gettext_lazy("distance"),
    "stock_depth": gettext_lazy("stock depth"),
    "load": gettext_lazy("load"),
    "fairness": gettext_lazy("fairness"),
}


@dataclass
class CandidateRow:
    name: str
    kind: str
    distance_km: float
    eligible: bool
    why_not: str
    scores: dict | None
    total: float | None
    chosen: bool = False


@dataclass
class DecisionRow:
    product: str
    quantity: int
    method: str
    outcome: str
    served_by: str
    delay_days: int | None
    why: str
    candidates: list[CandidateRow] = field(default_factory=list)


@dataclass
class RoutingRecord:
    at: datetime | str
    reason: str
    plan: str
    policy: dict
    decisions: list[DecisionRow]
    home_candidates: list[CandidateRow]
    why_home: str


def _why_won(rows: list[CandidateRow], weights: dict) -> str:
    """Why the best-scored candidate beat the runner-up: the component that made the gap."""
    scored = [row for row in rows if row.total is not None]
    chosen = next((row for row in scored if row.chosen), None)
    if chosen is None:
        return ""
    others = [row for row in scored if row is not chosen]
    if not others:
        return _("%(name)s was the only eligible candidate.") % {"name": chosen.name}
    runner = max(others, key=lambda row: row.total)
    gaps = {
        key: weights.get(f"{key}_weight", 0) * ((chosen.scores or {}).get(key) or 0)
        - weights.get(f"{key}_weight", 0) * ((runner.scores or {}).get(key) or 0)
        for key in SCORE_LABELS
    }
    best = max(gaps, key=gaps.get)
    return _(
        "%(name)s scored %(total)s, ahead of %(runner)s (%(runner_total)s), mostly on "
        "%(component)s."
    ) % {
        "name": chosen.name,
        "total": number_format(chosen.total, 2),
        "runner": runner.name,
        "runner_total": number_format(runner.total, 2),
        "component": SCORE_LABELS[best],
    }


def routing_log_rows(order: Order) -> list[RoutingRecord]:
    """The order's routing decisions (`Order.routing_log`: the placement's first, then each
    re-route) with store and product names, for HQ's admin and the store's pages. Two queries
    (the stores, the order's lines) whatever the number of records."""
    log = getattr(order, "routing_log", None) or []
    records = [entry for entry in log if isinstance(entry, dict) and entry.get("result")]
    store_ids = set()
    for entry in records:
        result = entry["result"]
        for candidate in result.get("home_delivery", {}).get("candidates", []):
            store_ids.add(candidate["location_id"])
        for line in result.get("lines", []):
            store_ids.update(
                value
                for value in (line.get("location_id"), line.get("transfer_from_store_id"))
                if value
            )
            store_ids.update(a["location_id"] for a in line.get("allocations", []))
            store_ids.update(c["location_id"] for c in line.get("candidates", []))
    names = (
        dict(Store.objects.filter(pk__in=store_ids).values_list("pk", "name")) if records else {}
    )
    products = {}
    if records:
        for variant_id, name, options in order.lines.values_list(
            "variant_id", "product_name", "options_label"
        ):
            products[variant_id] = f"{name} ({options})" if options else name

    def name_of(store_id: int | None) -> str:
        return names.get(store_id, f"#{store_id}") if store_id else "—"

    def candidate_rows(candidates: list[dict], chosen_ids: set[int]) -> list[CandidateRow]:
        return [
            CandidateRow(
                name=name_of(candidate["location_id"]),
                kind=candidate.get("kind", ""),
                distance_km=candidate.get("distance_km", 0),
                eligible=candidate.get("eligible", False),
                why_not=str(INELIGIBILITY_LABELS.get(candidate.get("ineligibility"), "")),
                scores=candidate.get("scores"),
                total=candidate.get("total"),
                chosen=candidate["location_id"] in chosen_ids,
            )
            for candidate in candidates
        ]

    found = []
    for entry in records:
        result = entry["result"]
        policy = result.get("policy", {})
        home = result.get("home_delivery", {})
        decisions = []
        for line in result.get("lines", []):
            allocations = line.get("allocations", [])
            served_by = ", ".join(
                f"{a['quantity']} \u00d7 {name_of(a['location_id'])}" for a in allocations
            )
            if line.get("kind") == "transfer":
                served_by = _("%(source)s → %(store)s") % {
                    "source": name_of(line.get("transfer_from_store_id")),
                    "store": name_of(line.get("location_id")),
                }
            chosen_ids = {a["location_id"] for a in allocations}
            rows = candidate_rows(line.get("candidates", []), chosen_ids)
            why = str(UNAVAILABLE_LABELS.get(line.get("unavailable_reason"), ""))
            if line.get("method") != "home_delivery" and line.get("kind") == "direct":
                why = _("The store the customer chose has it.")
            elif line.get("kind") == "transfer":
                why = _why_won(rows, policy) or str(KIND_LABELS["transfer"])
            decisions.append(
                DecisionRow(
                    product=products.get(line.get("variant_id"), f"#{line.get('variant_id')}"),
                    quantity=line.get("quantity", 0),
                    method=str(FulfilmentMethod(line["method"]).label)
                    if line.get("method") in FulfilmentMethod.values
                    else line.get("method", ""),
                    outcome=str(KIND_LABELS.get(line.get("kind"), line.get("kind", ""))),
                    served_by=served_by or "—",
                    delay_days=line.get("delay_days"),
                    why=why,
                    candidates=rows,
                )
            )
        parcels = set(home.get("parcels", []))
        home_rows = candidate_rows(home.get("candidates", []), parcels)
        plan = home.get("plan", "none")
        why_home = str(PLAN_EXPLANATIONS.get(plan, ""))
        if plan == "single_location":
            why_home = f"{why_home} {_why_won(home_rows, policy)}".strip()
        try:
            at = datetime.fromisoformat(entry.get("at", ""))
        except (TypeError, ValueError):
            at = entry.get("at", "")
        reason = entry.get("reason", "")
        found.append(
            RoutingRecord(
                at=at,
                reason=str(REASON_LABELS.get(reason, reason)),
                plan=plan,
                policy=policy,
                decisions=decisions,
                home_candidates=home_rows,
                why_home=why_home,
            )
        )
    return found
