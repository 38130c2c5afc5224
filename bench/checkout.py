"""Checkout holds per second on one hot variant, through the service layer, with zero oversell.

Each client is a process with its own PostgreSQL connection, calling stores.services in a loop
on the same (store, variant) row; they start together. Four runs:

- update:   for comparison, the design brief's pattern alone: the conditional UPDATE of the stock
            row in its own transaction (BEGIN, UPDATE, COMMIT), no reservation row, no ORM;
- hold:     reserve_stock (a checkout hold of 1 unit) with plenty of stock: every call wins (the
            UPDATE and the reservation's INSERT are one statement, in autocommit);
- scarce:   the same with only --scarce units available: exactly that many must win;
- order:    hold, then convert it into the order's firm hold (the stock part of an order);
- checkout: the whole service layer, `checkout.services.place_order` for one click & collect unit
            (routing, pricing, the order, its fulfilment and lines, the checkout hold, the
            payment with the dummy provider, the conversion, events, webhooks and the e-mail
            in the outbox);
- checkout-scarce: the same with only --scarce units: exactly that many orders must be placed.

Clients stop after --seconds, or in the scarce run at their first refusal (sold out). After
each run the totals are checked against the database: reserved == the active holds == the
holds won (the scarce run: == the units), available never below zero, on hand unchanged and
equal to the sum of the movements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench python bench/checkout.py \\
        [--clients 8] [--seconds 10] [--scarce 1000] [--async-commit] [--runs checkout,...]

--async-commit sets synchronous_commit=off in the clients' sessions: commits no longer wait
for the WAL flush, which shows what the disk's fsync costs a hot row (see bench/README.md).

Run it with REDIS_URL set (a broker, as in production): the checkout then only writes its
e-mail and webhooks to the outbox, as the web process does; without it tasks run eagerly and
the bench would time the e-mail delivery too.

The database must be migrated (`python manage.py migrate`); the script uses its own store and
variant (slug `bench-checkout`, SKU `BENCH-HOT-1`) and resets them before each run.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HOLD = timedelta(minutes=15)


def setup_django() -> None:
    import django

    django.setup()


def prepare(*, on_hand: int) -> tuple[int, int]:
    """The bench's store and variant, with `on_hand` units, no holds and one movement."""
    from django.db import connection, transaction

    from catalog.models import Category, Product, Variant
    from stores.models import Reservation, StockLevel, StockMovement, Store
    from stores.services import update_offer

    with transaction.atomic():
        category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
        product, _ = Product.objects.get_or_create(
            slug="bench-hot", defaults={"name": "Bench hot item", "category": category,
                                        "status": "published"},
        )  # fmt: skip
        variant, _ = Variant.objects.get_or_create(
            sku="BENCH-HOT-1", defaults={"product": product, "rrp_cents": 1990}
        )
        store, _ = Store.objects.get_or_create(
            slug="bench-checkout",
            defaults={
                "name": "Bench checkout store", "status": Store.Status.ACTIVE,
                "address_line": "1 rue du Banc", "postal_code": "69002", "city": "Lyon",
                "latitude": "45.757800", "longitude": "4.832000",
            },
        )  # fmt: skip
        with connection.cursor() as cursor:
            for model in (Reservation, StockMovement, StockLevel):
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE store_id = %s",
                    [store.pk],
                )
            # The earlier runs' orders are collected, as a store's day would have them: else the
            # store's load (its open fulfilments, which routing counts on every checkout) grows
            # by thousands a run and each run is slower than the one before.
            cursor.execute(
                "UPDATE fulfillment_fulfilment SET status = 'collected' WHERE store_id = %s"
                " AND status NOT IN ('collected', 'cancelled')",
                [store.pk],
            )
        update_offer(store=store, variant=variant, on_hand=on_hand, source="system",
                     actor="bench")  # fmt: skip
        StockLevel.objects.filter(store=store, variant=variant).update(safety_stock=0)
    return store.pk, variant.pk


def client(mode, store_id, variant_id, seconds, async_commit, index, start, out, warmup=0):
    """One client: its own process and connection; loops until `seconds` have passed (the
    scarce run: until its first refusal)."""
    setup_django()
    from django.db import connection, transaction

    from catalog.models import Variant
    from checkout.services import CheckoutLine, CustomerDetails, NoLongerAvailable, place_order
    from orders.models import FulfilmentMethod
    from stores.models import Reservation, Store
    from stores.services import InsufficientStock, convert_reservation, reserve_stock

    store = Store.objects.get(pk=store_id)
    variant = Variant.objects.get(pk=variant_id)
    if async_commit:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
    won = refused = 0
    latencies = []
    # Each process's first checkouts load modules, templates and caches: outside the measure.
    warmed = 0
    for _ in range(warmup if mode == "checkout" else 0):
        place_order(
            customer=CustomerDetails(
                email=f"bench{index}@example.com", first_name="Bench", last_name=f"Warm {index}"
            ),
            lines=[CheckoutLine(variant, 1, FulfilmentMethod.CLICK_COLLECT, store)],
            actor="bench",
            payment_token="tok_bench",
        )
        warmed += 1
    start.wait()
    # A scarce run goes on until it sells out (within a generous cap), the others for `seconds`.
    deadline = time.perf_counter() + seconds * (10 if mode.endswith("scarce") else 1)
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        began = time.perf_counter()
        try:
            if mode == "update":
                take_one(connection, transaction, store_id, variant_id)
                won += 1
                latencies.append(time.perf_counter() - began)
                continue
            if mode.startswith("checkout"):
                try:
                    place_order(
                        customer=CustomerDetails(
                            email=f"bench{index}@example.com", first_name="Bench",
                            last_name=f"Client {index}",
                        ),
                        lines=[CheckoutLine(variant, 1, FulfilmentMethod.CLICK_COLLECT, store)],
                        actor="bench", payment_token="tok_bench",
                    )  # fmt: skip
                except NoLongerAvailable as error:
                    raise InsufficientStock(error.message) from error
                won += 1
                latencies.append(time.perf_counter() - began)
                continue
            hold = reserve_stock(
                store=store, variant=variant, quantity=1, holder=f"cart:{index}:{n}",
                kind=Reservation.Kind.CHECKOUT, ttl=HOLD, actor="bench",
            )  # fmt: skip
            if mode == "order":
                convert_reservation(reservation=hold, holder=f"order:{index}:{n}", actor="bench")
            won += 1
        except InsufficientStock:
            refused += 1
        latencies.append(time.perf_counter() - began)
        if refused and mode.endswith("scarce"):
            break
    connection.close()
    out.put((won, refused, latencies, warmed))


def take_one(connection, transaction, store_id: int, variant_id: int) -> None:
    from stores.models import StockLevel
    from stores.services import InsufficientStock

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {StockLevel._meta.db_table} SET reserved = reserved + 1"
            " WHERE store_id = %s AND variant_id = %s AND on_hand - reserved - safety_stock >= 1",
            [store_id, variant_id],
        )
        if cursor.rowcount != 1:
            raise InsufficientStock


def run(
    mode: str, *, clients: int, seconds: float, on_hand: int, async_commit: bool, warmup: int = 0
) -> dict:
    store_id, variant_id = prepare(on_hand=on_hand)
    context = mp.get_context("spawn")
    start, out = context.Barrier(clients + 1), context.Queue()
    processes = [
        context.Process(
            target=client,
            args=(mode, store_id, variant_id, seconds, async_commit, index, start, out, warmup),
        )
        for index in range(clients)
    ]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get() for _ in processes]
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    won = sum(each[0] for each in results)
    refused = sum(each[1] for each in results)
    warmed = sum(each[3] for each in results)
    latencies = sorted(latency for each in results for latency in each[2])
    return {
        "mode": mode, "clients": clients, "elapsed": elapsed, "won": won, "refused": refused,
        "on_hand": on_hand, "store_id": store_id, "variant_id": variant_id, "warmed": warmed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
    }  # fmt: skip


def check(result: dict) -> list[str]:
    """The totals after a run; returns the problems found (none expected)."""
    from django.db.models import Sum

    from stores.models import Reservation, StockLevel, StockMovement
    from stores.selectors import reserved_mismatches

    level = StockLevel.objects.get(store_id=result["store_id"], variant_id=result["variant_id"])
    active = Reservation.objects.active().filter(store_id=result["store_id"])
    moved = StockMovement.objects.filter(store_id=result["store_id"]).aggregate(s=Sum("delta"))
    held = 0 if result["mode"] == "update" else result["won"] + result["warmed"]
    problems = []
    if (
        level.reserved != result["won"] + result["warmed"]
        or (active.aggregate(s=Sum("quantity"))["s"] or 0) != held
    ):
        problems.append(f"reserved {level.reserved}, active holds {active.count()}, won {held}")
    if level.on_hand != result["on_hand"] or level.on_hand != moved["s"]:
        problems.append(f"on hand {level.on_hand} for {result['on_hand']}, moved {moved['s']}")
    if level.on_hand - level.reserved < 0 or level.available < 0:
        problems.append(f"oversold: on hand {level.on_hand}, reserved {level.reserved}")
    if result["mode"].endswith("scarce") and result["won"] != result["on_hand"]:
        problems.append(f"{result['won']} holds won for {result['on_hand']} units")
    if held and reserved_mismatches().filter(store_id=result["store_id"]).exists():
        problems.append("reserved differs from the sum of active holds")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--scarce", type=int, default=1000, help="units in the scarce run")
    parser.add_argument("--async-commit", action="store_true")
    parser.add_argument(
        "--warmup", type=int, default=3,
        help="checkouts each client places before the measure starts (the checkout run)",
    )  # fmt: skip
    parser.add_argument(
        "--runs", default="update,hold,scarce,order,checkout,checkout-scarce",
        help="which runs, comma-separated",
    )  # fmt: skip
    options = parser.parse_args()
    setup_django()
    from django.db import connection

    version = connection.cursor().connection.info.server_version
    print(
        f"PostgreSQL {version}, {os.cpu_count()} CPU(s), {options.clients} clients, "
        f"{options.seconds:g} s a run, synchronous_commit "
        + ("off" if options.async_commit else "on")
    )
    print(
        f"{'run':<9} {'won':>7} {'refused':>8} {'won/s':>7} {'calls/s':>8} {'p50 ms':>7} "
        f"{'p95 ms':>7}  totals"
    )
    failed = False
    runs = (
        ("update", 10**7), ("hold", 10**7), ("scarce", options.scarce), ("order", 10**7),
        ("checkout", 10**7), ("checkout-scarce", options.scarce),
    )  # fmt: skip
    wanted = set(options.runs.split(","))
    for mode, on_hand in (run for run in runs if run[0] in wanted):
        connection.close()
        result = run(
            mode, clients=options.clients, seconds=options.seconds, on_hand=on_hand,
            async_commit=options.async_commit, warmup=options.warmup,
        )  # fmt: skip
        problems = check(result)
        failed = failed or bool(problems)
        rate = result["won"] / result["elapsed"]
        calls = (result["won"] + result["refused"]) / result["elapsed"]
        print(
            f"{mode:<9} {result['won']:>7} {result['refused']:>8} {rate:>7.0f} {calls:>8.0f} "
            f"{result['p50_ms']:>7.2f} {result['p95_ms']:>7.2f}  "
            + ("; ".join(problems) if problems else "add up, zero oversell")
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
