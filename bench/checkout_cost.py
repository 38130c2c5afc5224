"""What one checkout costs, alone: its SQL statements by kind, and per checkout the Python CPU,
the PostgreSQL backend's CPU and the wall time, one client, through the service layer.

Run it after `bench/checkout.py` (which creates the store `bench-checkout` and the variant
`BENCH-HOT-1`) on the same database; it places `--orders` click & collect orders of one unit:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench_checkout \\
    REDIS_URL=redis://127.0.0.1:6379/9 python bench/checkout_cost.py [--orders 300] [--rounds 2]

It reads the backend's CPU from /proc, so PostgreSQL must run on this machine. To compare two
trees (before and after a change), run each tree's copy against its own database, alternately.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Main before the layers (issue 14) kept its settings and place_order elsewhere: the same script
# measures both sides of that change.
ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    "config.settings" if (ROOT / "config").is_dir() else "network_marketplace.settings",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300, help="checkouts per round")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Variant

    try:
        from checkout.services import CheckoutLine, CustomerDetails, place_order
    except ImportError:  # main before issue 14
        from orders.services import CheckoutLine, CustomerDetails, place_order
    from orders.models import FulfilmentMethod
    from stores.models import Store

    store = Store.objects.get(slug="bench-checkout")
    variant = Variant.objects.get(sku="BENCH-HOT-1")
    tag = time.time_ns()

    def checkout(index: int) -> None:
        place_order(
            customer=CustomerDetails(
                email=f"cost-{tag}-{index}@example.com", first_name="Bench", last_name="Cost"
            ),
            lines=[CheckoutLine(variant, 1, FulfilmentMethod.CLICK_COLLECT, store)],
            actor="bench",
            payment_token="tok_bench",
        )

    for index in range(20):  # warm up: imports, caches, the connection
        checkout(index)
    with CaptureQueriesContext(connection) as captured:
        checkout(20)
    kinds = collections.Counter(query["sql"].split()[0].upper() for query in captured)
    print(f"statements per checkout: {len(captured)} {dict(sorted(kinds.items()))}")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()

    def backend_cpu_ms() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    for round_ in range(args.rounds):
        cpu, backend_start, wall = time.process_time(), backend_cpu_ms(), time.perf_counter()
        for index in range(args.orders):
            checkout(1000 * (round_ + 1) + index)
        n = args.orders
        print(
            f"round {round_ + 1}: {n} checkouts, per checkout: Python "
            f"{(time.process_time() - cpu) / n * 1000:.1f} ms, PostgreSQL backend "
            f"{(backend_cpu_ms() - backend_start) / n:.1f} ms, wall "
            f"{(time.perf_counter() - wall) / n * 1000:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
