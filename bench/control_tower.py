"""HQ's control tower (the admin home) at the 1,000-store bench size, with a year of orders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_B_bench \\
        python bench/control_tower.py --generate --orders 400000 --repeat 7

The database must be migrated (`manage.py migrate`). `--generate` empties it and writes the
network with bench/generate.py (1,000 stores; a small store range: the tower reads no stock
row), then a year of orders in SQL (INSERT ... SELECT over generate_series): orders and lines,
one fulfilment per line with its status history (events and the audit rows every transition
writes), refusals and timeouts with their re-routing and cancellation audit rows, returns,
a daily stock feed per store (some stores stopped, some never started), weekly payouts and a
few payout holds. Then it times the whole admin home (`GET /admin/` through Django's test
client, as a signed-in superuser: the control tower and the stock admin's app list) for each
period preset, cold (the first request of the process) and warm (median of `--repeat`), with
its query count, first without the tower's indexes and then with them; and, as a baseline of
the same run, the admin's list of stores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The indexes the control tower's queries use (their migrations: orders 0008 and 0010,
# fulfillment 0007 and 0010, network_marketplace 0006), measured here without and with them.
TOWER_INDEXES = (
    "order_placed_idx",
    "orderline_order_idx",
    "fulfilment_order_idx",
    "fulfilment_accepted_idx",
    "fulfilment_closed_idx",
    "fulfilment_open_idx",
    "return_started_idx",
    "audit_action_recent_idx",
    "audit_feed_recent_idx",
)
# Two of them replace a foreign key's plain index (they lead with its column and carry more):
# without them, the plain index stands in, as it did before the tower.
PLAIN_INDEXES = {
    "orderline_order_idx": 'CREATE INDEX "orders_orderline_order_id_17f8f3ef"'
    ' ON "orders_orderline" ("order_id")',
    "fulfilment_order_idx": 'CREATE INDEX "fulfillment_fulfilment_order_id_18bd84fb"'
    ' ON "fulfillment_fulfilment" ("order_id")',
}
ORDER_TABLES = (
    "payments_payouthold",
    "payments_payout",
    "fulfillment_returnline",
    "fulfillment_return",
    "fulfillment_fulfilmentevent",
    "fulfillment_fulfilmentline",
    "fulfillment_fulfilment",
    "orders_orderline",
    "orders_order",
    "network_marketplace_auditevent",
)


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# Generation ----------------------------------------------------------------------------------

ORDERS_SQL = """
-- Ids follow the time of placing, as a live table's rows do (appended as orders come).
CREATE TEMP TABLE gen_order AS
SELECT row_number() OVER (ORDER BY placed_at) AS id, placed_at, r_channel, r_lines, r_attr
FROM (SELECT now() - random() * interval '365 days' AS placed_at, random() AS r_channel,
             random() AS r_lines, random() AS r_attr
      FROM generate_series(1, %(orders)s) n) drawn;

CREATE TEMP TABLE gen_line AS
SELECT row_number() OVER (ORDER BY o.id, k) AS id, o.id AS order_id, o.placed_at, k,
       random() AS r_method, random() AS r_store, random() AS r_outcome, random() AS r_time,
       random() AS r_return, 1 + floor(random() * 2)::int AS quantity,
       (500 + floor(random() * 195) * 100 + 90)::bigint AS unit_price,
       1 + floor(random() * %(variants)s)::int AS variant_index
FROM gen_order o
CROSS JOIN LATERAL generate_series(1, CASE WHEN o.r_lines < 0.3 THEN 2 ELSE 1 END) k;

INSERT INTO orders_order (id, number, status, channel, email, first_name, last_name, phone,
    language, address_line, postal_code, city, country, currency, subtotal_cents,
    shipping_cents, total_cents, vat_cents, online_payment_cents, placed_at, created_at,
    updated_at, attributed_store_id, routing_log)
SELECT o.id, 'B' || lpad(o.id::text, 9, '0'),
       CASE WHEN o.placed_at < now() - interval '10 days' THEN 'completed' ELSE 'in_progress' END,
       CASE WHEN o.r_channel < 0.9 THEN 'web' WHEN o.r_channel < 0.97 THEN 'endless_aisle'
            ELSE 'api' END,
       'client' || o.id || '@example.com', 'Léa', 'Martin', '', 'fr', '1 rue de la Paix',
       '69002', 'Lyon', 'FR', 'EUR', t.subtotal, 0, t.subtotal, t.subtotal / 6, t.subtotal,
       o.placed_at, o.placed_at, o.placed_at,
       CASE WHEN o.r_attr < 0.95
            THEN (%(stores)s::bigint[])[1 + floor(o.r_attr / 0.95 * %(store_count)s)::int] END,
       '[]'::jsonb
FROM gen_order o
JOIN (SELECT order_id, sum(unit_price * quantity) AS subtotal FROM gen_line GROUP BY order_id) t
  ON t.order_id = o.id;

CREATE TEMP TABLE gen_fulfilment AS
SELECT l.id, l.order_id, l.placed_at, l.quantity, l.unit_price, l.r_return,
       CASE WHEN l.r_method < 0.55 THEN 'click_collect' WHEN l.r_method < 0.9
            THEN 'home_delivery' ELSE 'reserve_collect' END AS method,
       CASE WHEN l.r_method >= 0.55 AND l.r_method < 0.9 AND l.r_store < 0.6 THEN %(warehouse)s
            ELSE (%(stores)s::bigint[])[1 + floor(l.r_store * %(store_count)s)::int] END
            AS store_id,
       l.r_outcome, l.r_time, l.variant_index
FROM gen_line l;

INSERT INTO orders_orderline (id, product_name, sku, options_label, quantity, unit_price_cents,
    vat_percent, total_cents, vat_cents, method, cancelled_quantity, chosen_store_id, order_id,
    variant_id)
SELECT f.id, 'Perceuse Pro', 'AR-' || lpad(f.variant_index::text, 7, '0'), '', f.quantity,
       f.unit_price, 20, f.unit_price * f.quantity, f.unit_price * f.quantity / 6, f.method,
       CASE WHEN f.r_outcome < 0.02 THEN f.quantity ELSE 0 END,
       CASE WHEN f.method = 'home_delivery' THEN NULL ELSE f.store_id END, f.order_id,
       %(first_variant)s + f.variant_index - 1
FROM gen_fulfilment f;

-- What happened to each: 4 %% refused, 3 %% timed out; the others accepted within minutes to
-- hours, then shipped (some late), collected (some never), bought in store or not; the last
-- two days still open.
CREATE TEMP TABLE gen_outcome AS
SELECT f.*, f.placed_at + interval '1 minute' AS created_at,
       CASE WHEN f.r_outcome < 0.04 THEN 'rejected'
            WHEN f.r_outcome < 0.07 THEN 'timed_out'
            WHEN f.placed_at > now() - interval '6 hours' THEN 'awaiting_acceptance'
            WHEN f.placed_at > now() - interval '1 day' AND f.method = 'home_delivery'
                THEN 'picked'
            WHEN f.placed_at > now() - interval '2 days' AND f.method <> 'home_delivery'
                THEN 'ready_for_pickup'
            WHEN f.method = 'home_delivery' AND f.r_time < 0.5 THEN 'delivered'
            WHEN f.method = 'home_delivery' THEN 'shipped'
            WHEN f.method = 'click_collect' AND f.r_time < 0.05 THEN 'uncollected'
            WHEN f.method = 'click_collect' THEN 'collected'
            WHEN f.r_time < 0.3 THEN 'not_purchased'
            ELSE 'purchased_in_store' END AS status,
       f.placed_at + interval '1 minute' + (5 + power(f.r_time, 2) * 300) * interval '1 minute'
           AS accepted_at
FROM gen_fulfilment f;

INSERT INTO fulfillment_fulfilment (id, method, status, accept_deadline, accepted_at, ready_at,
    collect_before, closed_at, delivered_at, pickup_code_digest, pickup_code_salt,
    pickup_code_failures, carrier, tracking_number, rejection_reason, created_at, updated_at,
    order_id, store_id)
SELECT o.id, o.method, o.status, o.created_at + interval '2 hours',
       CASE WHEN o.status IN ('rejected', 'timed_out', 'awaiting_acceptance') THEN NULL
            ELSE o.accepted_at END,
       CASE WHEN o.method <> 'home_delivery' AND o.status NOT IN ('rejected', 'timed_out',
            'awaiting_acceptance') THEN o.accepted_at + interval '1 hour' END,
       CASE WHEN o.method <> 'home_delivery' AND o.status NOT IN ('rejected', 'timed_out',
            'awaiting_acceptance') THEN o.accepted_at + interval '5 days' END,
       CASE o.status
            WHEN 'rejected' THEN o.created_at + (10 + o.r_time * 100) * interval '1 minute'
            WHEN 'timed_out' THEN o.created_at + interval '2 hours'
            WHEN 'shipped' THEN o.placed_at + interval '4 hours'
                + power(o.r_return, 4) * interval '1.6 days'
            WHEN 'delivered' THEN o.placed_at + interval '4 hours'
                + power(o.r_return, 4) * interval '1.6 days'
            WHEN 'uncollected' THEN o.accepted_at + interval '5 days'
            WHEN 'collected' THEN o.accepted_at + (1 + o.r_return * 3) * interval '1 day'
            WHEN 'purchased_in_store' THEN o.accepted_at + interval '1 day'
            WHEN 'not_purchased' THEN o.accepted_at + interval '2 days'
            END,
       CASE WHEN o.status = 'delivered' THEN o.placed_at + interval '2 days' END,
       '', '', 0, CASE WHEN o.method = 'home_delivery' THEN 'Colissimo' ELSE '' END, '',
       CASE WHEN o.status = 'rejected' THEN 'Rupture' ELSE '' END, o.created_at, o.created_at,
       o.order_id, o.store_id
FROM gen_outcome o;

INSERT INTO fulfillment_fulfilmentline (id, quantity, fulfilment_id, order_line_id)
SELECT id, quantity, id, id FROM gen_fulfilment;
"""

HISTORY_SQL = """
-- Each fulfilment's moves (events) and the audit row the transition helper writes with each.
CREATE TEMP TABLE gen_move AS
SELECT f.id AS fulfilment_id, f.store_id, m.from_status, m.to_status, m.at
FROM fulfillment_fulfilment f
CROSS JOIN LATERAL (VALUES
    ('', 'awaiting_acceptance', f.created_at, true),
    ('awaiting_acceptance', CASE WHEN f.status IN ('rejected', 'timed_out') THEN f.status
         ELSE 'accepted' END, coalesce(f.accepted_at, f.closed_at),
         f.status <> 'awaiting_acceptance'),
    ('accepted', 'picked', f.accepted_at + interval '30 minutes',
         f.accepted_at IS NOT NULL AND f.status <> 'accepted'),
    ('picked', CASE WHEN f.method = 'home_delivery' THEN 'shipped' ELSE 'ready_for_pickup' END,
         coalesce(f.ready_at, f.closed_at),
         f.status NOT IN ('awaiting_acceptance', 'accepted', 'picked', 'rejected', 'timed_out')),
    ('ready_for_pickup', f.status, f.closed_at,
         f.method <> 'home_delivery' AND f.closed_at IS NOT NULL
         AND f.status NOT IN ('rejected', 'timed_out')),
    ('shipped', 'delivered', f.delivered_at, f.status = 'delivered')
) AS m(from_status, to_status, at, happened)
WHERE m.happened;

INSERT INTO fulfillment_fulfilmentevent (from_status, to_status, actor_label, reason,
    created_at, fulfilment_id)
SELECT from_status, to_status, 'bench', '', at, fulfilment_id FROM gen_move ORDER BY at;

INSERT INTO network_marketplace_auditevent (created_at, actor_label, action, target_id,
    store_id, data)
SELECT at, 'bench', 'fulfilment.' || to_status, fulfilment_id::text, store_id, '{}'::jsonb
FROM gen_move ORDER BY at;

-- A refused or timed-out fulfilment goes back to routing; a third of them end cancelled.
INSERT INTO network_marketplace_auditevent (created_at, actor_label, action, target_id,
    store_id, data)
SELECT closed_at, 'bench', 'fulfilment.rerouted', id::text, store_id,
       jsonb_build_object('order', order_id, 'new_fulfilments', '[]'::jsonb,
                          'cancelled', '{}'::jsonb)
FROM fulfillment_fulfilment WHERE status IN ('rejected', 'timed_out');

INSERT INTO network_marketplace_auditevent (created_at, actor_label, action, target_id,
    store_id, data)
SELECT f.closed_at, 'bench', 'order.lines_cancelled', f.order_id::text, o.attributed_store_id,
       jsonb_build_object('why', CASE WHEN f.status = 'timed_out' THEN 'timed_out'
                                      WHEN f.method = 'home_delivery' THEN 'rejected'
                                      ELSE 'pickup_refused' END,
                          'key', 'fulfilment:' || f.id || ':lost', 'lines', '[]'::jsonb)
FROM fulfillment_fulfilment f JOIN orders_order o ON o.id = f.order_id
WHERE f.status IN ('rejected', 'timed_out') AND f.id %% 3 = 0;

-- A daily stock feed per active location; 3 %% stopped 2 to 30 days ago, 1 %% never started.
INSERT INTO network_marketplace_auditevent (created_at, actor_label, action, target_id,
    store_id, data)
SELECT day + interval '5 hours' + (s.id %% 60) * interval '1 minute', 'pos',
       'stock.feed_applied', '', s.id,
       '{"source": "api", "received": 200, "applied": 180}'::jsonb
FROM stores_store s
CROSS JOIN LATERAL generate_series(date_trunc('day', now()) - interval '365 days',
    date_trunc('day', now()) - CASE WHEN s.id %% 33 = 0 THEN (2 + s.id %% 29) * interval '1 day'
                                    ELSE interval '0 days' END, interval '1 day') AS day
WHERE s.status = 'active' AND s.id %% 97 <> 0;

-- Returns: 5 %% of what reached the customer, a week or so after.
INSERT INTO fulfillment_return (number, status, method, reason, comment,
    shipping_refund_cents, refunded_cents, currency, created_by_label, created_at, updated_at,
    order_id, store_id)
SELECT 'R-B' || lpad(f.id::text, 9, '0'),
       CASE WHEN f.closed_at > now() - interval '7 days' THEN 'requested' ELSE 'refunded' END,
       'in_store',
       (ARRAY['changed_mind', 'does_not_fit', 'damaged', 'wrong_item', 'not_as_described',
              'other'])[1 + (f.id %% 6)],
       '', 0, 0, 'EUR', 'client', f.closed_at + interval '3 days', f.closed_at + interval '3 days',
       f.order_id, f.store_id
FROM fulfillment_fulfilment f
WHERE f.status IN ('collected', 'shipped', 'delivered') AND f.id %% 20 = 0;

INSERT INTO fulfillment_returnline (quantity, condition, restocked_quantity, refund_cents,
    fulfilment_line_id, order_line_id, return_request_id, seller_store_id)
SELECT 1, 'unchecked', 0, 0, f.id, f.id, r.id, f.store_id
FROM fulfillment_return r
JOIN fulfillment_fulfilment f ON r.number = 'R-B' || lpad(f.id::text, 9, '0');

-- Weekly payouts of the franchised stores for a year (2 %% failed), and a few holds.
INSERT INTO payments_payout (amount_cents, currency, period_key, attempt, status,
    idempotency_key, provider_reference, balance_cents, reserve_cents, reserve_detail,
    failure_message, created_at, paid_at, failed_at, updated_at, store_id)
SELECT 10000 + (s.id * w) %% 500000, 'EUR', 'B-W' || w, 1,
       CASE WHEN (s.id + w) %% 50 = 0 THEN 'failed' ELSE 'paid' END,
       'bench:' || s.id || ':' || w, '', 0, (s.id * w) %% 20000, '{}'::jsonb,
       '', now() - w * interval '7 days', now() - w * interval '7 days', NULL,
       now() - w * interval '7 days', s.id
FROM stores_store s CROSS JOIN generate_series(0, 51) w
WHERE s.kind = 'franchise';

INSERT INTO payments_payouthold (store_id, reference, reason, created_at, released_at)
SELECT id, 'compliance.measure:bench-' || id, 'mesure de conformité', now() - interval '9 days',
       NULL
FROM stores_store WHERE kind = 'franchise' ORDER BY id LIMIT 5;
"""


def generate(url: str, *, stores: int, orders: int, seed: int) -> None:
    import psycopg

    from bench import generate as network

    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            cur.execute(f"TRUNCATE {', '.join(ORDER_TABLES)} RESTART IDENTITY CASCADE")
        conn.commit()
        say(f"Network: {stores} stores (bench/generate.py, a store range of 200 variants)")
        network.load(conn, stores=stores, variants=200, warehouse_variants=200, seed=seed,
                     reset=True)  # fmt: skip
        conn.commit()
        with psycopg.ClientCursor(conn) as cur:  # client-side binding: several statements
            cur.execute("SELECT setseed(%s)", [(seed % 2000) / 1000 - 1])
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("SELECT id FROM stores_store WHERE kind = 'warehouse' ORDER BY id LIMIT 1")
            warehouse = cur.fetchone()[0]
            cur.execute(
                "SELECT array_agg(id ORDER BY id) FROM stores_store"
                " WHERE kind <> 'warehouse' AND status = 'active'"
            )
            selling = cur.fetchone()[0]
            cur.execute("SELECT min(id), count(*) FROM catalog_variant")
            first_variant, variants = cur.fetchone()
            params = {
                "orders": orders, "stores": selling, "store_count": len(selling),
                "warehouse": warehouse, "first_variant": first_variant, "variants": variants,
            }  # fmt: skip
            started = time.perf_counter()
            cur.execute(ORDERS_SQL, params)
            say(f"  orders, lines, fulfilments {time.perf_counter() - started:8.1f} s")
            started = time.perf_counter()
            cur.execute(HISTORY_SQL, params)
            say(f"  history, audit, feeds, returns, payouts {time.perf_counter() - started:8.1f} s")
            for table in ("orders_order", "orders_orderline", "fulfillment_fulfilment",
                          "fulfillment_fulfilmentline", "fulfillment_fulfilmentevent",
                          "network_marketplace_auditevent", "fulfillment_return",
                          "payments_payout"):  # fmt: skip
                cur.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                    f" (SELECT coalesce(max(id), 1) FROM {table}))",
                    [table],
                )
        conn.commit()
        conn.autocommit = True
        started = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        say(f"  vacuum (analyze) {time.perf_counter() - started:8.1f} s")
        say(counts(conn))


def counts(conn) -> str:
    rows = []
    for table in ("stores_store", "orders_order", "orders_orderline", "fulfillment_fulfilment",
                  "fulfillment_fulfilmentevent", "network_marketplace_auditevent",
                  "fulfillment_return", "payments_payout"):  # fmt: skip
        rows.append(f"{table}: {conn.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:,}")
    return "\n".join(f"  {row}" for row in rows)


# Timing --------------------------------------------------------------------------------------


def index_definitions(cursor) -> dict[str, str]:
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
        [list(TOWER_INDEXES)],
    )
    return dict(cursor.fetchall())


def time_pages(client, pages: list[tuple[str, str]], repeat: int) -> list[dict]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    results = []
    for name, url in pages:
        timings = []
        queries = 0
        for attempt in range(repeat + 1):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            queries = len(captured.captured_queries)
            timings.append(elapsed)
            del attempt
        cold, warm = timings[0], statistics.median(timings[1:])
        results.append({"page": name, "cold": cold, "warm": warm, "queries": queries})
        say(f"  {name:<44} cold {cold * 1000:7.0f} ms   warm {warm * 1000:7.0f} ms"
            f"   {queries:3d} queries")  # fmt: skip
    return results


def measure(repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from network_marketplace.models import User

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.REQUIRE_SECOND_FACTOR = False  # the bench signs in without a phone
    admin, _created = User.objects.get_or_create(
        email="bench.hq@example.com", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(admin)
    today = time.strftime("%Y-%m-%d")
    year_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 365 * 86400))
    pages = [
        ("admin home, last 30 days (the default)", "/admin/"),
        ("admin home, today", "/admin/?period=today"),
        ("admin home, last 7 days", "/admin/?period=7d"),
        ("admin home, this quarter", "/admin/?period=quarter"),
        ("admin home, the whole year", f"/admin/?period=custom&start={year_ago}&end={today}"),
        ("baseline: the admin's list of stores", "/admin/stores/store/"),
    ]
    with connection.cursor() as cursor:
        definitions = index_definitions(cursor)
        missing = [name for name in TOWER_INDEXES if name not in definitions]
        if missing:
            raise SystemExit(f"Migrate first: missing {', '.join(missing)}")
        for name in TOWER_INDEXES:
            cursor.execute(f'DROP INDEX "{name}"')
        for plain in PLAIN_INDEXES.values():
            cursor.execute(plain)
        cursor.execute("ANALYZE")
    say("Without the control tower's indexes:")
    try:
        time_pages(client, pages, repeat)
    finally:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            for name in TOWER_INDEXES:
                cursor.execute(definitions[name])
            for plain in PLAIN_INDEXES.values():
                cursor.execute(f"DROP INDEX {plain.split()[2]}")
            # Index-only reads need the visibility map of every page set.
            cursor.execute("VACUUM (ANALYZE) orders_order, orders_orderline,"
                           " fulfillment_fulfilment")  # fmt: skip
            say(f"  (indexes built again in {time.perf_counter() - started:.1f} s)")
    say("With them:")
    time_pages(client, pages, repeat)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", action="store_true", help="write the data first")
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=7, help="warm requests per page")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url:
        raise SystemExit("Set DATABASE_URL to a bench database (its name contains 'bench').")
    say(f"Load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    if args.generate:
        started = time.perf_counter()
        generate(url, stores=args.stores, orders=args.orders, seed=args.seed)
        say(f"Generated in {time.perf_counter() - started:.0f} s")
    measure(args.repeat)
    say(f"Load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
