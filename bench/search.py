"""The storefront search with many draft products in the catalogue (issue 18).

Adds `--drafts` draft variants (4 per draft product, names and descriptions like the demo's,
"perceuse" among them) to a database that holds the demo (`manage.py load_demo`), then runs
the search page's queries (the count and the first page of results, with the offers'
summary, as stores.home_views.search does) for a few queries, `--rounds` times each, and
prints the searches per second of one client and the plan of the count query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench_search \\
    REDIS_URL=redis://127.0.0.1:6379/9 python bench/search.py --drafts 50000 --rounds 200

The drafts are added once (their SKUs start with BENCH-DRAFT-); `--remove` takes them away.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

QUERIES = ("perceuse", "vis bois", "secateur", "ARD-", "lampe led")


def add_drafts(count: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalog_product WHERE slug LIKE 'bench-draft-%%'")
        if cursor.fetchone()[0]:
            return
        cursor.execute("SELECT id FROM catalog_category ORDER BY id LIMIT 1")
        category_id = cursor.fetchone()[0]
        products = count // 4
        cursor.execute(
            """
            INSERT INTO catalog_product (name, slug, category_id, brand, description, attributes,
                vat_rate, status, created_at, updated_at, manufacturer_name, manufacturer_address,
                manufacturer_contact, eu_responsible_person, product_identifier,
                safety_information)
            SELECT 'Perceuse à percussion brouillon ' || n, 'bench-draft-' || n, %s, 'Voltis',
                'Vis, chevilles et perceuse : un brouillon du PIM numéro ' || n, '{}', 'standard',
                'draft', now(), now(), '', '', '', '', '', ''
            FROM generate_series(1, %s) AS n
            """,
            [category_id, products],
        )
        cursor.execute(
            """
            INSERT INTO catalog_variant (product_id, sku, gtin, options, rrp_cents, is_active,
                position)
            SELECT p.id, 'BENCH-DRAFT-' || p.id || '-' || v, NULL, '{}', 4990, true, v
            FROM catalog_product p, generate_series(1, 4) AS v
            WHERE p.slug LIKE 'bench-draft-%%'
            """
        )
        cursor.execute("ANALYZE catalog_product")
        cursor.execute("ANALYZE catalog_variant")


def remove_drafts() -> None:
    from catalog.models import Product

    Product.objects.filter(slug__startswith="bench-draft-").delete()


def run(rounds: int) -> None:
    from django.core.paginator import Paginator
    from django.db import connection

    from stores.selectors import searched_products

    for query in QUERIES:
        started = time.perf_counter()
        for _round in range(rounds):
            page = Paginator(searched_products(query), 24).get_page(1)
            list(page.object_list)
        elapsed = time.perf_counter() - started
        print(f"{query!r:14} {page.paginator.count:5} results  {rounds / elapsed:7.1f} searches/s")
    sql, params = searched_products(QUERIES[0]).query.sql_with_params()
    with connection.cursor() as cursor:
        explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM ({}) s"
        cursor.execute(explain.format(sql), params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--remove", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    if args.remove:
        remove_drafts()
        return
    run(args.rounds)
    add_drafts(args.drafts)
    print(f"-- with {args.drafts} draft variants")
    run(args.rounds)


if __name__ == "__main__":
    main()
