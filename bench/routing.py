"""Measure the routing engine's decisions per second at 1,000 stores.

    python bench/routing.py
    python bench/routing.py --database-url postgres://postgres@127.0.0.1:5432/nm_bench_full

In memory (orders.routing alone, no database): a network of 1,000 stores spread over mainland
France plus a central warehouse near Lyon; each order comes from a customer near a random store,
and its candidates are what fulfillment.routing_candidates would return: the 20 stores
nearest to the customer, each holding each of the order's variants with probability 0.6 (1-10
units), and the warehouse holding each with probability 0.5. Scenarios:
  (a) 3 home-delivery lines, 20 stores + the warehouse;
  (b) 2 home-delivery lines + 1 click & collect line at one of those stores;
  (c) 3 home-delivery lines with all 1,000 stores as candidates (no preselection: the worst case);
each timed for route_order alone and with the audit (RoutingResult.as_dict + json.dumps), as an
order would be recorded: the best of --repeats passes each, alternating. The orders and their
candidates are built before the clock starts.

With --database-url (a database made by bench/generate.py, used READ-ONLY: the session is set
read-only): routing_candidates + route_order for 3 home-delivery lines of random store-range
variants, from a random point within 10 km of a random store, within 50 km and within 150 km
(HQ's default maximum distance). Latencies are wall-clock per order, after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orders.routing import (  # noqa: E402 - the path above makes the project importable
    FulfilmentMethod,
    Location,
    LocationKind,
    Point,
    RequestLine,
    RoutingPolicy,
    RoutingRequest,
    distance_km,
    route_order,
)

HOME = FulfilmentMethod.HOME_DELIVERY
# Weighted city centres, so that stores cluster as a real network does.
CITIES = [
    (48.8566, 2.3522, 30),
    (45.7578, 4.8320, 8),
    (43.2965, 5.3698, 7),
    (43.6047, 1.4442, 5),
    (50.6292, 3.0573, 5),
    (44.8378, -0.5792, 5),
    (47.2184, -1.5536, 4),
    (48.5734, 7.7521, 4),
    (43.7102, 7.2620, 4),
    (48.1173, -1.6778, 3),
    (49.2583, 4.0317, 2),
    (45.1885, 5.7245, 3),
    (47.3220, 5.0415, 2),
    (49.4432, 1.0999, 3),
    (45.7772, 3.0870, 2),
]
VARIANTS = 20_000


def build_network(rng: random.Random, stores: int) -> list[tuple[int, float, float]]:
    network = []
    for store_id in range(1, stores + 1):
        if rng.random() < 0.8:
            lat, lng, _weight = rng.choices(CITIES, weights=[c[2] for c in CITIES])[0]
            lat, lng = lat + rng.gauss(0, 0.25), lng + rng.gauss(0, 0.35)
        else:
            lat, lng = rng.uniform(43.3, 50.5), rng.uniform(-1.5, 7.5)
        network.append((store_id, lat, lng))
    return network


def near(rng: random.Random, lat: float, lng: float, km: float) -> Point:
    bearing, reach = rng.uniform(0, 2 * math.pi), km * math.sqrt(rng.random())
    return Point(
        lat + reach / 111.2 * math.cos(bearing),
        lng + reach / (111.2 * math.cos(math.radians(lat))) * math.sin(bearing),
    )


def make_orders(rng, network, count, *, candidates, collect=False):
    """[(request, locations)] for `count` orders, built before any timing."""
    orders = []
    for _ in range(count):
        _id, lat, lng = rng.choice(network)
        customer = near(rng, lat, lng, 10)
        variants = rng.sample(range(1, VARIANTS + 1), 3)
        if candidates is None:
            chosen_stores = network
        else:
            chosen_stores = sorted(
                network,
                key=lambda s: distance_km(customer.latitude, customer.longitude, s[1], s[2]),
            )[:candidates]
        locations = [
            Location(
                store_id=store_id,
                kind=LocationKind.STORE,
                latitude=slat,
                longitude=slng,
                available={v: rng.randint(1, 10) for v in variants if rng.random() < 0.6},
                open_orders=rng.randint(0, 40),
                daily_capacity=50,
                recent_routed=rng.randint(0, 30),
                ships_from_store=rng.random() < 0.9,
            )
            for store_id, slat, slng in chosen_stores
        ]
        locations.append(
            Location(
                store_id=0,
                kind=LocationKind.WAREHOUSE,
                latitude=45.696,
                longitude=4.944,
                available={v: rng.randint(1, 200) for v in variants if rng.random() < 0.5},
                daily_capacity=100_000,
            )
        )
        lines = [
            RequestLine(variant_id=v, quantity=rng.randint(1, 2), method=HOME) for v in variants
        ]
        if collect:
            pickup = rng.choice(locations[:-1])
            lines[2] = RequestLine(
                variant_id=variants[2],
                quantity=1,
                method=FulfilmentMethod.CLICK_COLLECT,
                chosen_store_id=pickup.store_id,
            )
        orders.append((RoutingRequest(lines=tuple(lines), customer=customer), locations))
    return orders


def one_pass(orders, policy, *, audit: bool) -> float:
    """Orders routed per second over one pass on `orders`."""
    start = time.perf_counter()
    for request, locations in orders:
        result = route_order(request=request, locations=locations, policy=policy)
        if audit:
            json.dumps(result.as_dict())
    return len(orders) / (time.perf_counter() - start)


def time_orders(orders, policy, *, repeats: int) -> tuple[float, float]:
    """(bare, with audit) orders per second: the best of `repeats` passes each, the two kinds
    of pass alternating, so that other jobs on a shared machine weigh on both alike and the
    best pass is the one they disturbed least."""
    bare, audited = [], []
    for _ in range(repeats):
        bare.append(one_pass(orders, policy, audit=False))
        audited.append(one_pass(orders, policy, audit=True))
    return max(bare), max(audited)


def plans(orders, policy) -> str:
    counts = Counter(
        str(route_order(request=r, locations=locs, policy=policy).home_delivery_plan)
        for r, locs in orders
    )
    total = sum(counts.values())
    return ", ".join(f"{plan} {100 * n / total:.0f} %" for plan, n in counts.most_common())


def in_memory(args) -> None:
    rng = random.Random(args.seed)
    network = build_network(rng, args.stores)
    policy = RoutingPolicy()
    print(f"In memory: {args.stores:,} stores + 1 warehouse, policy defaults (max 2 parcels)")
    print(f"{'scenario':<52} {'orders/s':>10} {'+ audit JSON':>13} {'lines/s':>10}")
    scenarios = (
        ("(a) 3 home lines, 20 nearest stores + warehouse", 20, False, args.orders),
        ("(b) 2 home + 1 click & collect, 20 stores + wh.", 20, True, args.orders),
        (
            f"(c) 3 home lines, all {args.stores:,} stores + warehouse",
            None,
            False,
            args.orders // 20,
        ),
    )
    for label, candidates, collect, count in scenarios:
        orders = make_orders(rng, network, count, candidates=candidates, collect=collect)
        time_orders(orders[: max(count // 10, 1)], policy, repeats=1)  # warm-up
        bare, audited = time_orders(orders, policy, repeats=args.repeats)
        print(f"{label:<52} {bare:>10,.0f} {audited:>13,.0f} {3 * bare:>10,.0f}")
        print(f"    plans: {plans(orders, policy)}")


def with_database(args) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from fulfillment.routing_candidates import routing_candidates
    from stores.models import StockLevel, Store

    settings.DEBUG = False
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    rng = random.Random(args.seed)
    stores = list(Store.objects.selling().values_list("pk", "latitude", "longitude").order_by("pk"))
    sample_store = stores[0][0]
    variant_ids = list(
        StockLevel.objects.filter(store_id=sample_store)
        .order_by("variant_id")
        .values_list("variant_id", flat=True)
    )
    policy = RoutingPolicy()
    print(
        f"\nWith the database {connection.settings_dict['NAME']} (read-only): "
        f"{len(stores):,} selling stores, {len(variant_ids):,} store-range variants"
    )
    print(
        f"{'radius':<8} {'p50 ms':>7} {'p95 ms':>7} {'orders/s':>9} {'query p50':>10}"
        f" {'route p50':>10} {'candidates':>11}  plans"
    )
    for radius in (50, 150):
        latencies, queries, routes, candidates, plan_counts = [], [], [], [], Counter()
        for index in range(args.db_orders + 20):
            _pk, lat, lng = rng.choice(stores)
            customer = near(rng, float(lat), float(lng), 10)
            variants = rng.sample(variant_ids, 3)
            request = RoutingRequest(
                lines=tuple(RequestLine(variant_id=v, quantity=1, method=HOME) for v in variants),
                customer=customer,
            )
            start = time.perf_counter()
            locations = routing_candidates(variant_ids=variants, point=customer, radius_km=radius)
            queried = time.perf_counter()
            result = route_order(
                request=request, locations=locations, policy=replace_radius(policy, radius)
            )
            elapsed = time.perf_counter() - start
            if index >= 20:  # warm-up
                latencies.append(elapsed * 1000)
                queries.append((queried - start) * 1000)
                routes.append((elapsed - (queried - start)) * 1000)
                candidates.append(len(locations))
                plan_counts[str(result.home_delivery_plan)] += 1
        latencies.sort()
        p50 = statistics.median(latencies)
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        rate = len(latencies) / (sum(latencies) / 1000)
        total = sum(plan_counts.values())
        shown = ", ".join(f"{p} {100 * n / total:.0f} %" for p, n in plan_counts.most_common())
        print(
            f"{radius:>4} km  {p50:>7.1f} {p95:>7.1f} {rate:>9,.0f} "
            f"{statistics.median(queries):>10.1f} {statistics.median(routes):>10.1f} "
            f"{statistics.mean(candidates):>11.0f}  {shown}"
        )


def replace_radius(policy: RoutingPolicy, radius: float) -> RoutingPolicy:
    from dataclasses import replace

    return replace(policy, max_distance_km=float(radius))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=5000, help="orders per in-memory scenario")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--database-url", help="a bench/generate.py database, read-only")
    parser.add_argument("--db-orders", type=int, default=300, help="orders per radius")
    args = parser.parse_args()
    in_memory(args)
    if args.database_url:
        with_database(args)


if __name__ == "__main__":
    main()
