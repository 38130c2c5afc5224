"""Measure the stock core on generated networks and show how each cost grows with the network.

    python bench/run.py \
        --database-url postgres://postgres@127.0.0.1:5432/nm_bench_full \
        --compare-url postgres://postgres@127.0.0.1:5432/nm_bench_tenth

Both databases come from bench/generate.py. Each one is measured in its own child process (Django
is set up once per process, on that DATABASE_URL), one after the other, then the parent prints the
figures side by side. Per database:
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
Then it vacuums what the feeds touched, as autovacuum would, so runs start from the same state.
Latencies are wall-clock times of the Python call (queries + building the results), after a
warm-up, with settings.DEBUG off. The feeds change the data (stock, movements): expected.
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


def err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    index = max(0, math.ceil(p / 100 * len(sorted_values)) - 1)
    return sorted_values[index]


def latency_stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50": percentile(ordered, 50),
        "p95": percentile(ordered, 95),
        "p99": percentile(ordered, 99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


# The child: measures one database --------------------------------------------------------


def point_near(lat: float, lng: float, rng: random.Random, max_km: float) -> tuple[float, float]:
    """A uniform random point in the disc of radius max_km around (lat, lng)."""
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.32
    dlng = distance * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
    return lat + dlat, lng + dlng


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_marketplace.settings")
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
            " pg_size_pretty(pg_database_size(current_database())) FROM stores_stocklevel"
        )
        stock_rows, table_size, database_size = cursor.fetchone()
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
    product_ids = sorted(
        set(Variant.objects.filter(pk__in=store_range).values_list("product_id", flat=True))
    )
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
        stats = latency_stats(samples)
        stats["mean_result_size"] = statistics.fmean(sizes)
        err(f"[{facts['database']}] {label}: " + ", ".join(
            f"{key} {value:.2f}" for key, value in stats.items() if key != "n"
        ))  # fmt: skip
        return stats

    def near_me() -> int:
        _pk, lat, lng = rng.choice(selling)
        lat, lng = point_near(lat, lng, rng, args.point_km)
        variant_id = rng.choice(store_range)
        return len(near(variant_id=variant_id, latitude=lat, longitude=lng, radius_km=50, limit=10))

    def listing_page() -> int:
        chosen = rng.sample(product_ids, 24)
        variant_ids = [v for p in chosen for v in range_variants_by_product.get(p, ())]
        availability = network_availability(variant_ids)
        return sum(each.store_count for each in availability.values())

    range_variants_by_product: dict[int, list[int]] = {}
    for pk, product_id in Variant.objects.filter(pk__in=store_range).values_list(
        "pk", "product_id"
    ):
        range_variants_by_product.setdefault(product_id, []).append(pk)
    # A product page already holds its product: load a sample outside the clock.
    products = list(
        Product.objects.filter(pk__in=rng.sample(product_ids, min(len(product_ids), 2000)))
    )

    def product_page() -> int:
        product = rng.choice(products)
        availability = product_availability(product)
        return sum(each.store_count for each in availability.values())

    results["near_me"] = timed("(a) near me", near_me, args.iterations)
    results["product_page"] = timed("(b) product page", product_page, args.iterations)
    results["listing_page"] = timed("(b') listing page", listing_page, args.iterations)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def backend_cpu() -> float | None:
        """CPU seconds the PostgreSQL backend has used, when the server runs on this machine."""
        try:
            fields = backend_stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    def feed(location: Store, rows_wanted: int, *, changed: float, with_prices: bool) -> dict:
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
            backend_before, python_before = backend_cpu(), time.process_time()
            started = time.perf_counter()
            result = apply_stock_feed(
                store=location, rows=rows, source="api", actor="bench", reference=f"bench-{run}"
            )
            elapsed = time.perf_counter() - started
            python_cpu = time.process_time() - python_before
            backend_after = backend_cpu()
            database_cpu = (
                backend_after - backend_before if None not in (backend_after, backend_before)
                else float("nan")
            )  # fmt: skip
            if not result.bulk or result.applied != len(rows):
                raise SystemExit(f"Feed did not take the bulk path or skipped rows: {result}")
            cpu = python_cpu + database_cpu
            runs.append({
                "rows": len(rows), "seconds": elapsed, "rows_per_s": len(rows) / elapsed,
                "movements": result.movements, "python_cpu": python_cpu,
                "database_cpu": database_cpu, "rows_per_cpu_s": len(rows) / cpu,
            })  # fmt: skip
            err(f"[{facts['database']}] feed {location.slug} ({changed:.0%} changed) run "
                f"{run + 1}: {len(rows)} rows, {result.movements} movements, in {elapsed:.2f} s"
                f" = {len(rows) / elapsed:,.0f} rows/s; CPU: Python {python_cpu:.2f} s, "
                f"PostgreSQL {database_cpu:.2f} s")  # fmt: skip
        speeds = [each["rows_per_s"] for each in runs]
        cpu_speeds = [each["rows_per_cpu_s"] for each in runs]
        return {
            "runs": runs, "best": max(speeds), "median": statistics.median(speeds),
            "cpu_median": statistics.median(cpu_speeds),
        }  # fmt: skip

    if not args.feed_runs:
        return results
    warehouse = Store.objects.filter(kind=Store.Kind.WAREHOUSE).order_by("pk").first()
    a_store_obj = Store.objects.get(pk=a_store)
    results["feed_warehouse"] = feed(warehouse, args.feed_rows, changed=1.0, with_prices=False)
    results["feed_warehouse_typical"] = feed(
        warehouse, args.feed_rows, changed=0.1, with_prices=False
    )
    results["feed_store"] = feed(a_store_obj, len(store_range), changed=1.0, with_prices=True)
    # Leave the steady state autovacuum would (it is off on the bench machine): the next run
    # then starts from the same state, without this run's dead rows.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) stores_stocklevel, stores_stockmovement")
    return results


# The parent: runs the children and prints the comparison ---------------------------------


def run_child(url: str, args) -> dict:
    command = [
        sys.executable, __file__, "--measure", "--database-url", url,
        "--iterations", str(args.iterations), "--warmup", str(args.warmup),
        "--feed-rows", str(args.feed_rows), "--feed-runs", str(args.feed_runs),
        "--seed", str(args.seed), "--point-km", str(args.point_km),
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "network_marketplace.settings"}
    env["DATABASE_URL"] = url
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, check=True)
    return json.loads(done.stdout)


def fmt_ms(stats: dict) -> str:
    return f"{stats['p50']:6.1f} {stats['p95']:6.1f} {stats['p99']:6.1f}"


def print_report(measured: list[tuple[str, dict]]) -> None:
    out = sys.stdout.write
    names = [name for name, _ in measured]
    out("\nDatasets\n")
    for name, result in measured:
        facts = result["facts"]
        out(
            f"  {name:<6} {facts['database']}: {facts['stock_rows']:,} stock rows "
            f"({facts['stock_table_size']} with indexes), {facts['stores']:,} locations "
            f"({facts['selling_stores']:,} selling), {facts['variants']:,} variants "
            f"({facts['store_range']:,} in the store range), database {facts['database_size']};"
            f" machine load average {facts['load_average']:.1f} at the start\n"
        )
    width = 26
    out("\nLatency, ms: p50 p95 p99 (mean number of results)\n")
    header = f"  {'':<34}" + "".join(f"{name:>{width}}" for name in names)
    if len(measured) == 2:
        header += f"{'p95 growth':>12}"
    out(header + f"{'target':>12}\n")
    rows = [
        ("(a) near me, 10 within 50 km", "near_me", "p95 < 25"),
        ("(b) product page, 4 variants", "product_page", "p95 < 25"),
        ("(b') listing, 24 products", "listing_page", ""),
    ]
    for label, key, target in rows:
        line = f"  {label:<34}"
        for _name, result in measured:
            stats = result[key]
            cell = f"{fmt_ms(stats)} ({stats['mean_result_size']:.0f})"
            line += f"{cell:>{width}}"
        if len(measured) == 2:
            small, big = measured[0][1][key]["p95"], measured[1][1][key]["p95"]
            line += f"{big / small:>11.1f}x"
        out(line + f"{target:>12}\n")
    if "feed_warehouse" not in measured[0][1]:
        return
    out(
        "\nFeeds, rows/s: run 1 / run 2 / run 3 -> best, median (wall clock); per CPU second:"
        " rows / (Python + PostgreSQL backend CPU time), median, which machine load hardly moves\n"
    )
    for label, key, target in (
        ("(c) warehouse, every qty changes", "feed_warehouse", ">= 50,000"),
        ("(c) warehouse, 10 % qty change", "feed_warehouse_typical", ""),
        ("(c') a store's whole range", "feed_store", ""),
    ):
        for name, result in measured:
            feed = result[key]
            runs = " / ".join(f"{run['rows_per_s']:,.0f}" for run in feed["runs"])
            out(
                f"  {label:<34} {name:<6} {feed['runs'][0]['rows']:>7,} rows: {runs} -> "
                f"best {feed['best']:,.0f}, median {feed['median']:,.0f}; "
                f"per CPU second {feed['cpu_median']:,.0f}"
                f"{'   target ' + target if target else ''}\n"
            )
    out("\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the full-size network")
    parser.add_argument("--compare-url", help="a smaller network, measured in the same run")
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--feed-rows", type=int, default=100_000)
    parser.add_argument("--feed-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--point-km", type=float, default=10.0)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)

    if args.measure:
        sys.stdout.write(json.dumps(measure(args)) + "\n")
        return
    measured = []
    if args.compare_url:
        measured.append(("small", run_child(args.compare_url, args)))
    measured.append(("full", run_child(args.database_url, args)))
    print_report(measured)
    if args.json:
        Path(args.json).write_text(json.dumps(dict(measured), indent=2))


if __name__ == "__main__":
    main()
