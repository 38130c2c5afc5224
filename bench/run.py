"""Measure the stock core on generated networks and show how each cost grows with the network.

    python bench/run.py \
        --database-url postgres://postgres@127.0.0.1:5432/nm_bench_full \
        --compare-url postgres://postgres@127.0.0.1:5432/nm_bench_tenth

Both databases come from bench/generate.py. Each database is measured by child processes (Django
is set up once per process, on that DATABASE_URL), in rounds that alternate the two databases
(small, full, small, full, ...), so that a change in the machine's load during the run weighs on
both alike; the parent merges the rounds and prints the figures side by side. Per database:
  (a) near me: stores.selectors.stores_with_variant_near, the 10 nearest selling stores within
      50 km that have a random store-range variant available, from a random point within 10 km
      of a random store;
  (b) product page: stores.selectors.product_availability for a random product (4 variants);
  (b') listing page: stores.selectors.network_availability for 24 random products (96 variants);
  (c) feed: stores.services.apply_stock_feed, a 100,000-row batch (sku, on_hand, new sequence)
      for the warehouse, which lists the whole catalogue; the batch is built before the clock
      starts, as the API would have parsed it; the bulk (COPY) path is checked. Twice: with
      every quantity changed (the worst case: every row is rewritten, with a movement), and
      with 10 % of the quantities changed (a POS snapshot on an ordinary day);
  (c') feed: a store's batch of its whole range (20,000 rows, every quantity changed, 15 % with
      a new price).
Latencies are wall-clock times of the Python call (queries + building the results), after a
warm-up, with settings.DEBUG off. For the feeds, the CPU time of the Python process and of the
PostgreSQL server (all its processes, read from /proc when the server is local: a large batch is
applied by several connections, see stores.services.feeds) is reported too: it moves much less
than wall-clock time with the load of a shared machine. Each child ends with VACUUM (ANALYZE) of
the stock tables, as autovacuum would (it is off on the bench machine), so rounds start alike.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATENCIES = (
    ("near_me", "(a) near me, 10 within 50 km", "p95 < 25"),
    ("product_page", "(b) product page, 4 variants", "p95 < 25"),
    ("listing_page", "(b') listing, 24 products", ""),
)
FEEDS = (
    ("feed_warehouse", "(c) warehouse, every qty changes", ">= 50,000"),
    ("feed_warehouse_typical", "(c) warehouse, 10 % qty change", ""),
    ("feed_store", "(c') a store's whole range", ""),
)


def err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    index = max(0, math.ceil(p / 100 * len(sorted_values)) - 1)
    return sorted_values[index]


def latency_stats(samples: list[float], sizes: list[int]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50": percentile(ordered, 50),
        "p95": percentile(ordered, 95),
        "p99": percentile(ordered, 99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "mean_result_size": statistics.fmean(sizes),
    }


def feed_stats(runs: list[dict]) -> dict:
    speeds = [run["rows_per_s"] for run in runs]
    return {
        "runs": runs,
        "best": max(speeds),
        "median": statistics.median(speeds),
        "cpu_median": statistics.median(run["rows_per_cpu_s"] for run in runs),
    }


# The child: measures one database for one round -------------------------------------------


def point_near(lat: float, lng: float, rng: random.Random, max_km: float) -> tuple[float, float]:
    """A uniform random point in the disc of radius max_km around (lat, lng)."""
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.32
    dlng = distance * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
    return lat + dlat, lng + dlng


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Max

    settings.DEBUG = False  # no query log: measure what production runs

    from catalog.models import Product, Variant
    from stores.models import StockLevel, Store
    from stores.selectors import network_availability, product_availability
    from stores.selectors import stores_with_variant_near as near
    from stores.services import apply_stock_feed

    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('stores_stocklevel')),"
            " pg_size_pretty(pg_database_size(current_database())), pg_backend_pid()"
            " FROM stores_stocklevel"
        )
        stock_rows, table_size, database_size, backend_pid = cursor.fetchone()
    selling = [
        (pk, float(lat), float(lng))
        for pk, lat, lng in Store.objects.selling().values_list("pk", "latitude", "longitude")
    ]
    a_store = selling[0][0]
    store_range = list(
        StockLevel.objects.filter(store_id=a_store)
        .order_by("variant_id")
        .values_list("variant_id", flat=True)
    )
    range_variants_by_product: dict[int, list[int]] = {}
    for pk, product_id in Variant.objects.filter(pk__in=store_range).values_list(
        "pk", "product_id"
    ):
        range_variants_by_product.setdefault(product_id, []).append(pk)
    product_ids = sorted(range_variants_by_product)
    facts = {
        "database": connection.settings_dict["NAME"],
        "stock_rows": stock_rows,
        "stock_table_size": table_size,
        "database_size": database_size,
        "selling_stores": len(selling),
        "stores": Store.objects.count(),
        "store_range": len(store_range),
        "variants": Variant.objects.count(),
        "load_average": os.getloadavg()[0],
    }
    err(f"[{facts['database']}] {json.dumps(facts)}")
    results: dict = {"facts": facts}

    def timed(label: str, call, count: int) -> dict:
        samples, sizes = [], []
        for index in range(args.warmup + count):
            started = time.perf_counter()
            size = call()
            elapsed = (time.perf_counter() - started) * 1000
            if index >= args.warmup:
                samples.append(elapsed)
                sizes.append(size)
        stats = latency_stats(samples, sizes)
        err(f"[{facts['database']}] {label}: " + ", ".join(
            f"{key} {value:.2f}" for key, value in stats.items() if key != "n"
        ))  # fmt: skip
        return {"samples": samples, "sizes": sizes}

    def near_me() -> int:
        _pk, lat, lng = rng.choice(selling)
        lat, lng = point_near(lat, lng, rng, args.point_km)
        variant_id = rng.choice(store_range)
        return len(near(variant_id=variant_id, latitude=lat, longitude=lng, radius_km=50, limit=10))

    # A product page already holds its product: load a sample outside the clock.
    products = list(
        Product.objects.filter(pk__in=rng.sample(product_ids, min(len(product_ids), 2000)))
    )

    def product_page() -> int:
        availability = product_availability(rng.choice(products))
        return sum(each.store_count for each in availability.values())

    def listing_page() -> int:
        chosen = rng.sample(product_ids, 24)
        availability = network_availability(
            [pk for product_id in chosen for pk in range_variants_by_product[product_id]]
        )
        return sum(each.store_count for each in availability.values())

    results["near_me"] = timed("(a) near me", near_me, args.iterations)
    results["product_page"] = timed("(b) product page", product_page, args.iterations)
    results["listing_page"] = timed("(b') listing page", listing_page, args.iterations)
    if not args.feed_runs:
        return results

    ticks = os.sysconf("SC_CLK_TCK")

    def stat_fields(pid) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    def server_cpu() -> float:
        """CPU seconds the PostgreSQL server has used: its live processes, and the processes
        that ended (the feed's parallel connections), which their parent, the postmaster,
        counts. NaN when the server is not local."""
        try:
            postmaster = int(stat_fields(backend_pid)[1])
            fields = stat_fields(postmaster)
            total = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        child = stat_fields(entry.name)
                    except OSError:
                        continue
                    if int(child[1]) == postmaster:
                        total += int(child[11]) + int(child[12])
        except (OSError, ValueError, IndexError):
            return float("nan")
        return total / ticks

    def feed(location: Store, rows_wanted: int, *, changed: float, with_prices: bool) -> list:
        """`changed`: the share of rows whose quantity changes; every row has a new sequence."""
        runs = []
        for run in range(args.feed_runs):
            levels = list(
                StockLevel.objects.filter(store=location)
                .order_by("variant_id")
                .values_list("variant__sku", "variant__rrp_cents", "on_hand", "price_cents")
            )[:rows_wanted]
            base = (
                StockLevel.objects.filter(store=location).aggregate(top=Max("feed_position"))["top"]
                or 0
            ) + 1
            rows = []
            for offset, (sku, rrp, on_hand, price) in enumerate(levels):
                if rng.random() < changed:
                    on_hand = (on_hand + rng.randint(1, 30)) % 31
                row = {"sku": sku, "on_hand": on_hand, "sequence": base + offset}
                if with_prices and rng.random() < 0.15:
                    row["price_cents"] = round(rrp * rng.uniform(0.9, 1.1))
                elif with_prices and price is not None:
                    row["price_cents"] = price
                rows.append(row)
            server_before, python_before = server_cpu(), time.process_time()
            started = time.perf_counter()
            result = apply_stock_feed(
                store=location, rows=rows, source="api", actor="bench", reference=f"bench-{run}"
            )
            elapsed = time.perf_counter() - started
            python_cpu = time.process_time() - python_before
            database_cpu = server_cpu() - server_before
            if not result.bulk or result.applied != len(rows):
                raise SystemExit(f"Feed did not take the bulk path or skipped rows: {result}")
            runs.append({
                "rows": len(rows), "seconds": elapsed, "rows_per_s": len(rows) / elapsed,
                "movements": result.movements, "python_cpu": python_cpu,
                "database_cpu": database_cpu,
                "rows_per_cpu_s": len(rows) / (python_cpu + database_cpu),
            })  # fmt: skip
            err(f"[{facts['database']}] feed {location.slug} ({changed:.0%} changed): "
                f"{len(rows)} rows, {result.movements} movements, in {elapsed:.2f} s"
                f" = {len(rows) / elapsed:,.0f} rows/s; CPU: Python {python_cpu:.2f} s, "
                f"PostgreSQL {database_cpu:.2f} s")  # fmt: skip
        return runs

    warehouse = Store.objects.filter(kind=Store.Kind.WAREHOUSE).order_by("pk").first()
    a_store_obj = Store.objects.get(pk=a_store)
    results["feed_warehouse"] = feed(warehouse, args.feed_rows, changed=1.0, with_prices=False)
    results["feed_warehouse_typical"] = feed(
        warehouse, args.feed_rows, changed=0.1, with_prices=False
    )
    results["feed_store"] = feed(a_store_obj, len(store_range), changed=1.0, with_prices=True)
    # Leave the steady state autovacuum would (it is off on the bench machine): the next round
    # then starts from the same state, without this round's dead rows.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) stores_stocklevel, stores_stockmovement")
    return results


# The parent: runs the rounds and prints the comparison ------------------------------------


def run_child(url: str, args, *, iterations: int, seed: int) -> dict:
    command = [
        sys.executable, __file__, "--measure", "--database-url", url,
        "--iterations", str(iterations), "--warmup", str(args.warmup),
        "--feed-rows", str(args.feed_rows), "--feed-runs", str(args.feed_runs),
        "--seed", str(seed), "--point-km", str(args.point_km),
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["DATABASE_URL"] = url
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, check=True)
    return json.loads(done.stdout)


def merge(rounds: list[dict]) -> dict:
    """One database's rounds: facts of the first round, samples and feed runs of all."""
    merged = {
        "facts": rounds[0]["facts"],
        "load_averages": [each["facts"]["load_average"] for each in rounds],
    }
    for key, *_ in LATENCIES:
        samples = [value for each in rounds for value in each[key]["samples"]]
        sizes = [value for each in rounds for value in each[key]["sizes"]]
        merged[key] = latency_stats(samples, sizes)
    for key, *_ in FEEDS:
        runs = [run for each in rounds for run in each.get(key, [])]
        if runs:
            merged[key] = feed_stats(runs)
    return merged


def print_report(measured: list[tuple[str, dict]]) -> None:
    out = sys.stdout.write
    names = [name for name, _ in measured]
    out("\nDatasets\n")
    for name, result in measured:
        facts = result["facts"]
        loads = ", ".join(f"{load:.1f}" for load in result["load_averages"])
        out(
            f"  {name:<6} {facts['database']}: {facts['stock_rows']:,} stock rows "
            f"({facts['stock_table_size']} with indexes), {facts['stores']:,} locations "
            f"({facts['selling_stores']:,} selling), {facts['variants']:,} variants "
            f"({facts['store_range']:,} in the store range), database {facts['database_size']};"
            f" machine load average at the start of each round: {loads}\n"
        )
    width = 26
    out("\nLatency, ms: p50 p95 p99 (mean number of results)\n")
    header = f"  {'':<30}" + "".join(f"{name:>{width}}" for name in names)
    if len(measured) == 2:
        header += f"{'p95 growth':>12}"
    out(header + f"{'target':>12}\n")
    for key, label, target in LATENCIES:
        line = f"  {label:<30}"
        for _name, result in measured:
            stats = result[key]
            cell = (
                f"{stats['p50']:6.1f} {stats['p95']:6.1f} {stats['p99']:6.1f} "
                f"({stats['mean_result_size']:.0f})"
            )
            line += f"{cell:>{width}}"
        if len(measured) == 2:
            small, big = measured[0][1][key]["p95"], measured[1][1][key]["p95"]
            line += f"{big / small:>11.1f}x"
        out(line + f"{target:>12}\n")
    if FEEDS[0][0] not in measured[0][1]:
        return
    out(
        "\nFeeds, rows/s, wall clock: each run -> best, median; then rows per CPU second"
        " (Python + PostgreSQL server), median\n"
    )
    for key, label, target in FEEDS:
        for name, result in measured:
            feed = result[key]
            runs = " / ".join(f"{run['rows_per_s']:,.0f}" for run in feed["runs"])
            out(
                f"  {label:<32} {name:<6} {feed['runs'][0]['rows']:>7,} rows: {runs} -> "
                f"best {feed['best']:,.0f}, median {feed['median']:,.0f}; "
                f"per CPU s {feed['cpu_median']:,.0f}{'   target ' + target if target else ''}\n"
            )
    out("\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the full-size network")
    parser.add_argument("--compare-url", help="a smaller network, measured in the same run")
    parser.add_argument("--iterations", type=int, default=500, help="per measure, all rounds")
    parser.add_argument("--warmup", type=int, default=30, help="per measure and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--feed-rows", type=int, default=100_000)
    parser.add_argument("--feed-runs", type=int, default=1, help="per feed and round")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--point-km", type=float, default=10.0)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the merged figures to this file")
    args = parser.parse_args(argv)

    if args.measure:
        sys.stdout.write(json.dumps(measure(args)) + "\n")
        return
    databases = ([("small", args.compare_url)] if args.compare_url else []) + [
        ("full", args.database_url)
    ]
    rounds: dict[str, list[dict]] = {name: [] for name, _url in databases}
    for number in range(args.rounds):
        iterations = args.iterations // args.rounds + (number < args.iterations % args.rounds)
        for name, url in databases:
            err(f"round {number + 1}/{args.rounds}: {name}")
            rounds[name].append(
                run_child(url, args, iterations=iterations, seed=args.seed + number)
            )
    measured = [(name, merge(rounds[name])) for name, _url in databases]
    print_report(measured)
    if args.json:
        Path(args.json).write_text(json.dumps(dict(measured), indent=2))


if __name__ == "__main__":
    main()
