"""The monthly billing of the digital packs at network size: N stores, each with a subscription
(three plans, one per pack, spread over the stores), billed for one month by the same service
the beat job runs (`marketing_hub.services.billing.run_billing`): per subscription, its row
locked, the charge booked through `charging.charge_store` (ledger entry and HQ's invoice in its
gapless series) and the SubscriptionCharge row, in its own transaction. Then the job runs again
for the same month (it must bill nothing), and the script checks each subscription was billed
once and the ledger balances.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_m3_bench \\
        python bench/marketing_billing.py \\
        [--stores 1000] [--period 2031-01] [--workers 4]

The database must be migrated. The stores (`mkt-bench-0001`...) and their subscriptions are made
once (bulk inserts: not timed); each run bills the month after the last one billed (or
--period), so the script may be run again on the same database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PREFIX = "mkt-bench-"
PLANS = [
    # code, pack, monthly price (cents)
    ("bench-gbp", "gbp", 3_900),
    ("bench-local-ads", "local_ads", 9_900),
    ("bench-social", "social_posts", 4_500),
]


def setup_django() -> None:
    import django

    django.setup()


def generate(stores: int) -> list[int]:
    """The bench's stores and their subscriptions (made once); returns the subscriptions' ids."""
    from decimal import Decimal

    from django.db import transaction

    from marketing_hub.models import Subscription, SubscriptionPlan
    from marketing_hub.services.feed_tokens import new_feed_secret
    from stores.models import Store

    with transaction.atomic():
        plans = [
            SubscriptionPlan.objects.get_or_create(
                code=code, defaults={"name": code, "pack": pack, "price_cents": price}
            )[0]
            for code, pack, price in PLANS
        ]
        have = set(Store.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
        Store.objects.bulk_create(
            Store(
                slug=f"{PREFIX}{number:04d}",
                name=f"Ardoise bench {number:04d}",
                address_line="1 place Bellecour",
                postal_code="69002",
                city="Lyon",
                latitude=Decimal("45.7578"),
                longitude=Decimal("4.8320"),
                company_name=f"SARL bench {number:04d}",
                vat_number="FR45812345672",
            )
            for number in range(1, stores + 1)
            if f"{PREFIX}{number:04d}" not in have
        )
        bench_stores = list(Store.objects.filter(slug__startswith=PREFIX).order_by("slug")[:stores])
        subscribed = set(
            Subscription.objects.filter(store__in=bench_stores).values_list("store_id", flat=True)
        )
        Subscription.objects.bulk_create(
            Subscription(
                store=store,
                plan=plans[index % len(plans)],
                status="active",
                started_on=date(2030, 1, 1),
                feed_token=new_feed_secret()[1],
            )
            for index, store in enumerate(bench_stores)
            if store.pk not in subscribed
        )
    return list(
        Subscription.objects.filter(store__in=bench_stores)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def next_period(ids: list[int]) -> date:
    from django.db.models import Max

    from marketing_hub.models import SubscriptionCharge
    from marketing_hub.services.periods import next_month

    last = SubscriptionCharge.objects.filter(subscription_id__in=ids).aggregate(
        last=Max("period_start")
    )["last"]
    return next_month(last) if last else date(2030, 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--period", help="YYYY-MM (default: the month after the last billed)")
    parser.add_argument("--workers", type=int, default=4, help="threads billing (default 4)")
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from marketing_hub.models import SubscriptionCharge
    from marketing_hub.services.billing import run_billing
    from payments import ledger
    from payments.models import Invoice, JournalEntry

    started = time.perf_counter()
    ids = generate(args.stores)
    print(f"{len(ids)} subscriptions ready in {time.perf_counter() - started:.1f} s")
    period = date.fromisoformat(f"{args.period}-01") if args.period else next_period(ids)

    started, cpu = time.perf_counter(), time.process_time()
    report = run_billing(period=period, ids=ids, actor="bench", workers=args.workers)
    first = time.perf_counter() - started
    cpu = time.process_time() - cpu
    started = time.perf_counter()
    again = run_billing(period=period, ids=ids, actor="bench", workers=args.workers)
    second = time.perf_counter() - started

    charges = SubscriptionCharge.objects.filter(subscription_id__in=ids, period_start=period)
    references = list(charges.values_list("reference", flat=True))
    entries = JournalEntry.objects.filter(
        reference__in=[f"marketing:{reference}.1" for reference in references]
    ).count()
    invoices = Invoice.objects.filter(
        pk__in=charges.exclude(invoice=None).values("invoice")
    ).count()
    assert len(report.billed) == len(ids), (len(report.billed), report.failed)
    assert not again.billed
    assert charges.count() == len(ids) == entries == invoices
    assert not ledger.unbalanced_entries()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(
        f"{period:%Y-%m}, {args.workers} worker(s): {len(report.billed)} billed in {first:.1f} s "
        f"({1000 * first / len(ids):.1f} ms each, {len(ids) / first:.0f}/s; "
        f"this process's CPU {1000 * cpu / len(ids):.1f} ms each); "
        f"second run: {len(again.billed)} billed, {second:.2f} s; "
        f"{entries} ledger entries, {invoices} invoices; {version}; "
        f"load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
