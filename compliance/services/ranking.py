"""The ranking disclosure of P2B art. 5 and 7, built from what the code runs on, at each request.

Order routing: the weights come from `orders.services.routing.routing_policy(OrderPolicy)`, the
very object the routing engine is given, with each weight's label and explanation from the order
policy's fields; the limits (warehouse first, distance, parcels, capacity) from the same policy.
Search: the storefront search's ordering is read from the queryset the search page runs
(`stores.selectors.storefront.searched_products`) and the listing sorts from its `CATALOGUE_SORTS`;
every ordering key must have a description here, or `describe_ordering` raises (a test keeps it
so). HQ's own locations against franchise stores: from the same policy and from payments'
`HQ_OWN_KINDS` (the kinds whose sales carry no commission).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db.models import Field
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from orders.models import OrderPolicy
from orders.routing import RoutingPolicy
from orders.services.routing import routing_policy
from payments.models import CommissionPlan
from payments.selectors import HQ_OWN_KINDS
from stores.models import Store
from stores.selectors.locations import NEAR_RADIUS_KM
from stores.selectors.storefront import CATALOGUE_SORTS, searched_products

# What each ordering key of the storefront's querysets means for a customer and a store.
ORDERING_KEYS: dict[str, Promise] = {
    "relevance": gettext_lazy(
        "Relevance: a product whose reference (SKU or GTIN) is exactly the query comes first, "
        "then the products whose name contains the whole query, then the others matching "
        "every word in their name, brand, description or reference."
    ),
    "name": gettext_lazy("Product name, in alphabetical order."),
    "pk": gettext_lazy("Order of creation in the catalogue, to break remaining ties."),
    "from_price_cents": gettext_lazy(
        "The lowest price of a live offer in the network (else the recommended price), lowest "
        "first."
    ),
    "-from_price_cents": gettext_lazy(
        "The lowest price of a live offer in the network (else the recommended price), highest "
        "first."
    ),
}

SORT_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("By name (default)"),
    "price": gettext_lazy("Price, lowest first"),
    "-price": gettext_lazy("Price, highest first"),
}


class UndisclosedRankingParameter(LookupError):
    """An ordering key the disclosure does not describe: the page would not tell the truth."""


@dataclass(frozen=True)
class Weight:
    key: str
    label: str
    explanation: str
    weight: Decimal
    share_percent: Decimal


@dataclass(frozen=True)
class RankingDisclosure:
    routing_weights: list[Weight]
    routing_rules: list[str]
    search_order: list[str]
    listing_sorts: list[tuple[str, list[str]]]
    near_me: list[str]
    own_locations: list[str]
    policy_updated_at: datetime


def describe_ordering(keys: tuple[str, ...] | list[str]) -> list[str]:
    """The description of each ordering key, in order; UndisclosedRankingParameter for a key
    the disclosure does not know."""
    described = []
    for key in keys:
        if key not in ORDERING_KEYS:
            raise UndisclosedRankingParameter(key)
        described.append(str(ORDERING_KEYS[key]))
    return described


def _share(weight: Decimal, total: Decimal) -> Decimal:
    if total <= 0:
        return Decimal(0)
    return (weight * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ranking_disclosure() -> RankingDisclosure:
    """The main parameters of order routing and search ranking, with their relative weights,
    and how HQ's own locations are treated, as the code applies them now."""
    settings_row = OrderPolicy.current()
    engine = routing_policy(settings_row)
    raw = {
        name: Decimal(str(getattr(engine, name))).quantize(Decimal("0.01"))
        for name in OrderPolicy.WEIGHTS
    }
    total = sum(raw.values(), Decimal(0))
    weights = []
    for name in OrderPolicy.WEIGHTS:
        field = cast(Field, OrderPolicy._meta.get_field(name))
        weights.append(
            Weight(
                key=name,
                label=str(field.verbose_name),
                explanation=str(field.help_text),
                weight=raw[name],
                share_percent=_share(raw[name], total),
            )
        )
    rules = [
        _(
            "Only locations that sell (active), offer the delivery method, have the quantity "
            "and are not at their daily capacity are candidates."
        ),
        _("A store farther than %(km)s km from the customer does not ship to them.")
        % {"km": f"{engine.max_distance_km:g}"},
        ngettext(
            "An order is split into at most %(parcels)s parcel.",
            "An order is split into at most %(parcels)s parcels.",
            engine.max_parcels,
        )
        % {"parcels": engine.max_parcels},
        _(
            "Click & collect and reserve & collect go to the store the customer chose; "
            "routing applies to home delivery."
        ),
        _("A tie between equal scores goes to the location created first."),
        ngettext(
            "Fairness counts the home deliveries routed to each store over the last %(days)s day.",
            "Fairness counts the home deliveries routed to each store over the last %(days)s days.",
            settings_row.fairness_window_days,
        )
        % {"days": settings_row.fairness_window_days},
        _(
            "A store HQ took out of home-delivery routing for its quality figures (with a "
            "statement of reasons) is not a candidate for home delivery; it stays a pickup "
            "store."
        ),
    ]
    if engine.transfer_for_collect:
        rules.append(
            ngettext(
                "When the chosen store lacks an item, another location may send it there "
                "(%(days)s day more).",
                "When the chosen store lacks an item, another location may send it there "
                "(%(days)s days more).",
                engine.transfer_delay_days,
            )
            % {"days": engine.transfer_delay_days}
        )
    search_keys = tuple(str(key) for key in searched_products("disclosure").query.order_by)
    sorts = [
        (str(SORT_LABELS.get(key, key)), describe_ordering(list(ordering)))
        for key, ordering in CATALOGUE_SORTS.items()
    ]
    return RankingDisclosure(
        routing_weights=weights,
        routing_rules=rules,
        search_order=describe_ordering(search_keys),
        listing_sorts=sorts,
        near_me=[
            _(
                "On a product's page, the stores that have it within %(km)s km of the customer "
                "are listed nearest first (a tie goes to the store created first); the "
                "warehouse is not listed there, it ships home deliveries."
            )
            % {"km": NEAR_RADIUS_KM},
            _(
                "An offer HQ demoted by a measure (with its statement of reasons sent to the "
                "store) is listed after the others, and a disabled offer is not listed."
            ),
        ],
        own_locations=own_locations_treatment(engine=engine),
        policy_updated_at=settings_row.updated_at,
    )


def own_locations_treatment(*, engine: RoutingPolicy | None = None) -> list[str]:
    """How HQ's warehouse and branches are treated against franchise stores, from the live
    routing policy and commission rules."""
    engine = engine or routing_policy(OrderPolicy.current())
    kinds = dict(Store.Kind.choices)
    own = ", ".join(sorted(str(kinds[kind]) for kind in HQ_OWN_KINDS))
    lines = []
    if engine.warehouse_first:
        lines.append(
            _(
                "Warehouse first: when HQ's warehouse has every home-delivery item of an "
                "order, it ships them, whatever the stores' scores."
            )
        )
    else:
        lines.append(
            _("The warehouse has no priority: it is scored like the stores, with the same weights.")
        )
    lines += [
        _(
            "The warehouse ships anywhere: the distance limit of %(km)s km applies to stores "
            "only. Delivery from the warehouse is announced in %(warehouse)s days, from a store "
            "in %(store)s days."
        )
        % {
            "km": f"{engine.max_distance_km:g}",
            "warehouse": engine.warehouse_delivery_days,
            "store": engine.store_delivery_days,
        },
        _(
            "HQ's branches are routed exactly like franchise stores: same candidates' rules, "
            "same weights."
        ),
        _(
            "Sales of HQ's own locations (%(kinds)s) carry no commission; a franchise store "
            "pays HQ's commission plan (%(rate)s %% by default) on its sales."
        )
        % {"kinds": own, "rate": _default_rate()},
        _(
            "Search and listings rank products, not sellers: a product's price shown is the "
            "lowest price of any live offer, HQ's locations included; the count of stores "
            "having it leaves the warehouse out."
        ),
    ]
    return lines


def _default_rate() -> str:
    plan = CommissionPlan.current()
    return f"{plan.default_rate_percent:g}".replace(".", ",")
