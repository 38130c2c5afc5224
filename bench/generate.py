"""Generate a retail network at benchmark scale in PostgreSQL, through the project's own tables.

    python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/nm_bench_full \
        --stores 1000 --variants 20000 --reset

The database must be migrated (`manage.py migrate`). The shape:
- `--stores` stores spread over mainland France: most jittered around real cities (weighted by
  size), the rest at random points inside a rough outline of the mainland; ~70 % franchises,
  ~30 % branches, ~97 % active. Plus one central warehouse near Lyon.
- a DIY catalogue: 8 top categories with HQ price bounds, 6 subcategories each, products of
  4 variants (a size, a power, a capacity...). The first `--variants` variants are the store range;
  the catalogue has `--warehouse-variants` in all (default: max(variants, 100,000)) and the
  warehouse lists all of them, so a 100,000-row feed batch can target one location.
- one stock row per (store, store-range variant): stores x variants rows. On hand 0-30, skewed
  towards small quantities (floor(31·u²)), with the safety stock at 1 about 25 % of rows have
  nothing available; ~1 % of rows hold a reservation; ~15 % carry a store price within ±10 % of
  the RRP (HQ's bounds are 70-80 % .. 120-130 %).

Speed: one transaction; the stock table's keys, indexes and foreign keys are dropped before the
load and rebuilt after it (from their definitions in the catalog, so whatever the migrations made
comes back); stock rows go in with INSERT ... SELECT per store (rows stay clustered by store, as
feeds write them), the rest with COPY; then VACUUM (FREEZE, ANALYZE) so the table is in the
steady state autovacuum would leave it in. Each step prints its time.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import unicodedata
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg

STOCK_TABLE = "stores_stocklevel"
BENCH_TABLES = (
    "stores_stockmovement",
    "stores_stocklevel",
    "stores_apikey",
    "stores_storemembership",
    "stores_store",
    "catalog_productimage",
    "catalog_variant",
    "catalog_product",
    "catalog_category",
)

# (city, postal code, latitude, longitude, weight ~ size of the urban area)
CITIES = [
    ("Paris", "75011", 48.8566, 2.3522, 110),
    ("Lyon", "69002", 45.7578, 4.8320, 23),
    ("Marseille", "13001", 43.2965, 5.3698, 19),
    ("Toulouse", "31000", 43.6047, 1.4442, 14),
    ("Lille", "59000", 50.6292, 3.0573, 12),
    ("Bordeaux", "33000", 44.8378, -0.5792, 13),
    ("Nice", "06000", 43.7102, 7.2620, 10),
    ("Nantes", "44000", 47.2184, -1.5536, 10),
    ("Strasbourg", "67000", 48.5734, 7.7521, 8),
    ("Montpellier", "34000", 43.6108, 3.8767, 8),
    ("Rennes", "35000", 48.1173, -1.6778, 7),
    ("Grenoble", "38000", 45.1885, 5.7245, 7),
    ("Rouen", "76000", 49.4432, 1.0999, 7),
    ("Toulon", "83000", 43.1242, 5.9280, 6),
    ("Nancy", "54000", 48.6921, 6.1844, 4),
    ("Metz", "57000", 49.1193, 6.1757, 4),
    ("Tours", "37000", 47.3941, 0.6848, 5),
    ("Saint-Étienne", "42000", 45.4397, 4.3872, 5),
    ("Clermont-Ferrand", "63000", 45.7772, 3.0870, 5),
    ("Orléans", "45000", 47.9030, 1.9093, 4),
    ("Dijon", "21000", 47.3220, 5.0415, 4),
    ("Angers", "49000", 47.4784, -0.5632, 4),
    ("Reims", "51100", 49.2583, 4.0317, 3),
    ("Le Havre", "76600", 49.4944, 0.1079, 3),
    ("Le Mans", "72000", 48.0061, 0.1996, 3),
    ("Brest", "29200", 48.3904, -4.4861, 3),
    ("Caen", "14000", 49.1829, -0.3707, 4),
    ("Limoges", "87000", 45.8336, 1.2611, 3),
    ("Amiens", "80000", 49.8941, 2.2958, 3),
    ("Perpignan", "66000", 42.6887, 2.8948, 3),
    ("Besançon", "25000", 47.2378, 6.0241, 3),
    ("Poitiers", "86000", 46.5802, 0.3404, 2),
    ("Pau", "64000", 43.2951, -0.3708, 2),
    ("Bayonne", "64100", 43.4929, -1.4748, 3),
    ("Avignon", "84000", 43.9493, 4.8055, 3),
    ("Nîmes", "30000", 43.8367, 4.3601, 3),
    ("Mulhouse", "68100", 47.7508, 7.3359, 3),
    ("Annecy", "74000", 45.8992, 6.1294, 2),
    ("La Rochelle", "17000", 46.1603, -1.1511, 2),
    ("Valence", "26000", 44.9334, 4.8924, 2),
    ("Lorient", "56100", 47.7483, -3.3700, 2),
    ("Troyes", "10000", 48.2973, 4.0744, 2),
    ("Chambéry", "73000", 45.5646, 5.9178, 2),
    ("Quimper", "29000", 47.9960, -4.1024, 1),
    ("Ajaccio", "20000", 41.9192, 8.7386, 1),
    ("Bourges", "18000", 47.0810, 2.3988, 1),
    ("Niort", "79000", 46.3237, -0.4588, 1),
    ("Chartres", "28000", 48.4439, 1.4890, 1),
    ("Vannes", "56000", 47.6582, -2.7608, 1),
    ("Saint-Brieuc", "22000", 48.5136, -2.7603, 1),
    ("Agen", "47000", 44.2033, 0.6163, 1),
    ("Périgueux", "24000", 45.1842, 0.7211, 1),
    ("Aurillac", "15000", 44.9264, 2.4439, 1),
    ("Gap", "05000", 44.5594, 6.0786, 1),
]

# A rough outline of mainland France, (longitude, latitude), clockwise from Dunkirk.
MAINLAND_FRANCE = [
    (2.37, 51.05), (3.2, 50.75), (4.2, 50.05), (4.85, 50.15), (6.1, 49.5), (8.2, 48.97),
    (7.8, 48.6), (7.55, 47.6), (6.95, 47.45), (6.1, 46.25), (6.8, 45.9), (7.0, 45.2),
    (6.65, 44.5), (7.7, 44.1), (7.5, 43.78), (7.0, 43.55), (5.4, 43.2), (4.5, 43.45),
    (3.9, 43.5), (3.1, 42.45), (1.7, 42.5), (-1.78, 43.35), (-1.55, 43.5), (-1.25, 44.6),
    (-1.2, 45.6), (-1.2, 46.15), (-1.8, 46.5), (-2.2, 47.25), (-3.0, 47.5), (-4.4, 47.8),
    (-4.75, 48.35), (-4.4, 48.65), (-3.0, 48.85), (-2.0, 48.65), (-1.6, 48.65), (-1.95, 49.7),
    (-1.25, 49.7), (-1.1, 49.35), (-0.2, 49.3), (0.1, 49.5), (1.1, 49.93), (1.6, 50.73),
    (1.85, 50.95),
]  # fmt: skip
FRANCE_BOX = (41.3, 51.1, -5.2, 9.6)  # lat min, lat max, lng min, lng max

WAREHOUSE = ("Saint-Quentin-Fallavier", "38070", 45.6436, 5.1106)

# Top categories: (name, option, its four values, min %, max %), each with six subcategories.
CATEGORIES = [
    ("Outillage", "puissance", ["500 W", "750 W", "1000 W", "1200 W"], 80, 120,
     ["Perceuses", "Scies", "Ponceuses", "Meuleuses", "Outils à main", "Rangement"]),
    ("Peinture", "contenance", ["0,5 L", "1 L", "2,5 L", "5 L"], 75, 125,
     ["Murs et plafonds", "Boiseries", "Sols", "Façades", "Pinceaux", "Rouleaux"]),
    ("Jardin", "longueur", ["5 m", "10 m", "15 m", "25 m"], 70, 130,
     ["Arrosage", "Tondeuses", "Taille", "Mobilier", "Pots", "Serres"]),
    ("Salle de bain", "largeur", ["60 cm", "80 cm", "100 cm", "120 cm"], 80, 120,
     ["Meubles", "Robinetterie", "Douches", "Miroirs", "Accessoires", "WC"]),
    ("Cuisine", "finition", ["Blanc", "Chêne", "Anthracite", "Inox"], 80, 120,
     ["Éviers", "Plans de travail", "Crédences", "Électroménager", "Rangement", "Poignées"]),
    ("Électricité", "longueur", ["1,5 m", "3 m", "5 m", "10 m"], 80, 120,
     ["Câbles", "Prises", "Interrupteurs", "Tableaux", "Rallonges", "Domotique"]),
    ("Luminaire", "teinte", ["2700 K", "3000 K", "4000 K", "6500 K"], 75, 125,
     ["Ampoules", "Suspensions", "Appliques", "Lampadaires", "Spots", "Extérieur"]),
    ("Quincaillerie", "diamètre", ["4 mm", "6 mm", "8 mm", "10 mm"], 70, 130,
     ["Vis", "Chevilles", "Serrures", "Charnières", "Colles", "Fixations"]),
]  # fmt: skip
BRANDS = ["Ardoise", "Atelier Ardoise", "Bricoforce", "Verdal", "Lumio", "Haussmann & Fils"]
ADJECTIVES = ["Pro", "Compact", "Essentiel", "Premium", "Éco", "Robuste", "Design", "Classique"]
VARIANTS_PER_PRODUCT = 4

SAFETY_STOCK_DEFAULT = 1
ON_HAND_MAX = 30  # store on hand: floor((max + 1) * u²), u uniform in [0, 1)
WAREHOUSE_ON_HAND_MAX = 500
RESERVED_SHARE = 0.01
PRICE_SHARE = 0.15


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Steps:
    """Times the generator's steps and prints each one as it ends."""

    def __init__(self, out=say):
        self.out = out
        self.times: dict[str, float] = {}

    @contextmanager
    def step(self, name: str):
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.times[name] = elapsed
        self.out(f"  {name:<52} {elapsed:8.1f} s")


# Shapes ------------------------------------------------------------------------------------


def in_mainland_france(lat: float, lng: float) -> bool:
    """Ray casting against MAINLAND_FRANCE."""
    inside = False
    points = MAINLAND_FRANCE
    j = len(points) - 1
    for i, (xi, yi) in enumerate(points):
        xj, yj = points[j]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def store_locations(count: int, rng: random.Random) -> list[tuple[str, str, float, float]]:
    """(city, postal code, lat, lng): 75 % around cities by weight, 25 % anywhere inland."""
    weights = [city[4] for city in CITIES]
    located = []
    while len(located) < count:
        if rng.random() < 0.75:
            name, postal, lat, lng, weight = rng.choices(CITIES, weights=weights)[0]
            spread = 0.05 + 0.012 * math.sqrt(weight)  # degrees: bigger cities sprawl further
            point = (rng.gauss(lat, spread), rng.gauss(lng, spread * 1.4))
            if in_mainland_france(*point) or name == "Ajaccio":
                located.append((name, postal, *point))
        else:
            lat_min, lat_max, lng_min, lng_max = FRANCE_BOX
            point = (rng.uniform(lat_min, lat_max), rng.uniform(lng_min, lng_max))
            if in_mainland_france(*point):
                nearest = min(
                    CITIES, key=lambda city: (city[2] - point[0]) ** 2 + (city[3] - point[1]) ** 2
                )
                located.append((f"Près de {nearest[0]}", nearest[1], *point))
    return located


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def ean13(number: int) -> str:
    """A valid EAN-13 in the 200-299 in-store range: '200' + 9 digits + check digit."""
    body = f"200{number:09d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


OPENING_HOURS = json.dumps(
    {
        **{day: [["09:00", "19:30"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")},
        "sun": [],
    }
)


# Steps -------------------------------------------------------------------------------------


def _count(cur, table: str) -> int:
    cur.execute(f"SELECT count(*) FROM {table}")
    return cur.fetchone()[0]


def _reset_or_check_empty(cur, reset: bool) -> None:
    if reset:
        cur.execute(f"TRUNCATE {', '.join(BENCH_TABLES)} RESTART IDENTITY CASCADE")
        return
    busy = [table for table in ("stores_store", "catalog_variant") if _count(cur, table)]
    if busy:
        raise SystemExit(f"Not empty: {', '.join(busy)}. Pass --reset to empty the bench tables.")


def stock_table_structures(cur) -> dict[str, list[tuple[str, str]]]:
    """The stock table's keys, unique constraints, foreign keys and plain indexes, as
    (name, definition) read from the catalog: what the migrations created, whatever it is."""
    cur.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname",
        [STOCK_TABLE],
    )
    constraints = cur.fetchall()
    cur.execute("SELECT count(*) FROM pg_constraint WHERE confrelid = %s::regclass", [STOCK_TABLE])
    referenced = cur.fetchone()[0] > 0
    cur.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass"
        " AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint"
        " WHERE conrelid = %s::regclass) ORDER BY c.relname",
        [STOCK_TABLE, STOCK_TABLE],
    )
    indexes = cur.fetchall()
    # A primary key that another table references stays in place.
    keys = [(n, d) for n, kind, d in constraints if kind == "u" or (kind == "p" and not referenced)]
    foreign_keys = [(n, d) for n, kind, d in constraints if kind == "f"]
    return {"keys": keys, "foreign_keys": foreign_keys, "indexes": indexes}


def drop_structures(cur, structures) -> None:
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _definition in structures["foreign_keys"] + structures["keys"]:
        cur.execute(f'ALTER TABLE {STOCK_TABLE} DROP CONSTRAINT "{name}"')
    for name, _definition in structures["indexes"]:
        cur.execute(f'DROP INDEX "{name}"')


def insert_stores(cur, count: int, rng: random.Random, now: datetime) -> None:
    columns = (
        "name, slug, kind, status, address_line, postal_code, city, country, latitude, longitude,"
        " email, phone, company_name, registration_number, vat_number, legal_address, created_at,"
        " updated_at, accepts_returns, catchment_postal_codes, catchment_radius_km,"
        " daily_capacity, offers_click_collect, offers_reserve_collect, offers_ship_from_store,"
        " opening_hours, safety_stock_override"
    )
    wh_city, wh_postal, wh_lat, wh_lng = WAREHOUSE
    rows = [
        ("Entrepôt central " + wh_city, "entrepot-central", "warehouse", "active",
         "Rue du Morellon", wh_postal, wh_city, wh_lat, wh_lng, None)
    ]  # fmt: skip
    for number, (city, postal, lat, lng) in enumerate(store_locations(count, rng), start=1):
        kind = "franchise" if rng.random() < 0.7 else "branch"
        roll = rng.random()
        status = "active" if roll < 0.97 else ("onboarding" if roll < 0.99 else "suspended")
        roll = rng.random()
        override = 2 if roll < 0.05 else (0 if roll < 0.08 else None)
        town = city.removeprefix("Près de ")
        rows.append((f"Ardoise {town} {number:04d}", f"{slugify(town)}-{number:04d}", kind,
                     status, f"{rng.randint(1, 180)} avenue de la République", postal, town,
                     lat, lng, override))  # fmt: skip
    with cur.copy(f"COPY stores_store ({columns}) FROM STDIN") as copy:
        for name, slug, kind, status, address, postal, city, lat, lng, override in rows:
            siren = rng.randint(300_000_000, 999_999_999)
            copy.write_row((
                name, slug, kind, status, address, postal, city, "FR", f"{lat:.6f}", f"{lng:.6f}",
                f"{slug}@ardoise.example", f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}", f"{name} SAS", f"RCS {siren}",
                f"FR{siren % 97:02d}{siren}", f"{address}, {postal} {city}", now, now,
                True, json.dumps([postal]), 15, 50, True, True, kind != "warehouse",
                OPENING_HOURS, override,
            ))  # fmt: skip


def insert_catalogue(cur, variant_count: int, rng: random.Random, now: datetime) -> None:
    leaf_ids: list[tuple[int, int, str]] = []  # (category id, top index, name)
    for position, (name, _opt, _values, low, high, children) in enumerate(CATEGORIES):
        cur.execute(
            "INSERT INTO catalog_category (name, slug, position, description, min_price_percent,"
            " max_price_percent) VALUES (%s, %s, %s, '', %s, %s) RETURNING id",
            [name, slugify(name), position, low, high],
        )
        top_id = cur.fetchone()[0]
        for child_position, child in enumerate(children):
            cur.execute(
                "INSERT INTO catalog_category (name, slug, position, description, parent_id)"
                " VALUES (%s, %s, %s, '', %s) RETURNING id",
                [child, f"{slugify(name)}-{slugify(child)}", child_position, top_id],
            )
            leaf_ids.append((cur.fetchone()[0], position, child))

    product_count = math.ceil(variant_count / VARIANTS_PER_PRODUCT)
    products = []  # (top index, base rrp cents)
    with cur.copy(
        "COPY catalog_product (name, slug, category_id, brand, description, attributes,"
        " vat_rate, status, created_at, updated_at) FROM STDIN"
    ) as copy:
        for number in range(product_count):
            category_id, top, leaf = leaf_ids[number % len(leaf_ids)]
            name = f"{leaf} {rng.choice(ADJECTIVES)} {number + 1:06d}"
            base = round(math.exp(rng.uniform(math.log(300), math.log(30_000))), -2) + 90
            products.append((top, base))
            copy.write_row((
                name, f"{slugify(name)}", category_id, rng.choice(BRANDS),
                f"{name}, de la gamme {CATEGORIES[top][0].lower()}.", "{}", "standard",
                "published", now, now,
            ))  # fmt: skip
    cur.execute("SELECT id FROM catalog_product ORDER BY id")
    product_ids = [row[0] for row in cur.fetchall()]
    with cur.copy(
        "COPY catalog_variant (product_id, sku, gtin, options, rrp_cents, position, is_active)"
        " FROM STDIN"
    ) as copy:
        for number in range(variant_count):
            product_index, position = divmod(number, VARIANTS_PER_PRODUCT)
            top, base = products[product_index]
            option, values = CATEGORIES[top][1], CATEGORIES[top][2]
            rrp = int(base * (1 + 0.35 * position)) // 10 * 10 + 9
            copy.write_row((
                product_ids[product_index], f"AR-{number + 1:07d}", ean13(number + 1),
                json.dumps({option: values[position]}), rrp, position, True,
            ))  # fmt: skip


def insert_stock(cur, *, store_variants: int, now: datetime, out, steps: Steps) -> None:
    cur.execute(
        "INSERT INTO stores_stockpolicy (id, default_safety_stock, updated_at)"
        " VALUES (1, %s, %s) ON CONFLICT (id) DO NOTHING",
        [SAFETY_STOCK_DEFAULT, now],
    )
    cur.execute("SELECT default_safety_stock FROM stores_stockpolicy WHERE id = 1")
    default_safety = cur.fetchone()[0]
    cur.execute("SELECT id FROM catalog_variant ORDER BY id")
    variant_ids = [row[0] for row in cur.fetchall()]
    first, last_store, last = variant_ids[0], variant_ids[store_variants - 1], variant_ids[-1]
    cur.execute("SELECT id, kind, safety_stock_override FROM stores_store ORDER BY id")
    stores = cur.fetchall()
    columns = (
        f"INSERT INTO {STOCK_TABLE} (store_id, variant_id, on_hand, reserved, safety_stock,"
        " price_cents, feed_position, updated_at)"
    )
    store_rows = (
        columns + " SELECT %(store)s, q.id, q.on_hand,"
        " CASE WHEN q.on_hand >= 2 AND random() < %(reserved)s THEN 1 ELSE 0 END, %(safety)s,"
        " CASE WHEN random() < %(priced)s THEN round(q.rrp_cents * (0.9 + 0.2 * random()))"
        "   ::bigint END, 0, %(now)s"
        " FROM (SELECT v.id, v.rrp_cents, floor((%(max)s + 1) * power(random(), 2))::int AS on_hand"
        "   FROM catalog_variant v WHERE v.id BETWEEN %(first)s AND %(last)s ORDER BY v.id) q"
    )
    total = len(stores)
    started = time.perf_counter()
    with steps.step(f"stock rows ({total - 1} stores x {store_variants} variants + warehouse)"):
        for done, (store_id, kind, override) in enumerate(stores, start=1):
            safety = override if override is not None else default_safety
            warehouse = kind == "warehouse"
            cur.execute(store_rows, {
                "store": store_id, "safety": safety, "now": now, "first": first,
                "last": last if warehouse else last_store, "reserved": RESERVED_SHARE,
                "priced": 0 if warehouse else PRICE_SHARE,
                "max": WAREHOUSE_ON_HAND_MAX if warehouse else ON_HAND_MAX,
            })  # fmt: skip
            if done % 100 == 0 and done < total:
                elapsed = time.perf_counter() - started
                out(f"    {done}/{total} locations, {elapsed:.0f} s")


def rebuild_structures(cur, structures, steps: Steps) -> None:
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, definition in structures["keys"]:
        with steps.step(f"constraint {name}"):
            cur.execute(f'ALTER TABLE {STOCK_TABLE} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in structures["indexes"]:
        with steps.step(f"index {name}"):
            cur.execute(definition)
    for name, definition in structures["foreign_keys"]:
        with steps.step(f"foreign key {name}"):
            cur.execute(f'ALTER TABLE {STOCK_TABLE} ADD CONSTRAINT "{name}" {definition}')


def load(
    conn: psycopg.Connection,
    *,
    stores: int = 1000,
    variants: int = 20_000,
    warehouse_variants: int | None = None,
    seed: int = 42,
    reset: bool = False,
    out=say,
) -> Steps:
    """Write the network in the connection's current transaction (the caller commits).

    Returns the timed steps. Analyzes the tables; VACUUM is separate (it can't run in a
    transaction): see `vacuum`.
    """
    warehouse_variants = max(warehouse_variants or max(variants, 100_000), variants)
    rng = random.Random(seed)
    steps = Steps(out)
    now = datetime.now(UTC)
    with conn.cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SELECT setseed(%s)", [(seed % 2000) / 1000 - 1])
        with steps.step("reset" if reset else "check the tables are empty"):
            _reset_or_check_empty(cur, reset)
        with steps.step("drop the stock table's keys, indexes and foreign keys"):
            structures = stock_table_structures(cur)
            drop_structures(cur, structures)
        with steps.step(f"stores ({stores} + 1 warehouse)"):
            insert_stores(cur, stores, rng, now)
        with steps.step(f"catalogue ({warehouse_variants} variants)"):
            insert_catalogue(cur, warehouse_variants, rng, now)
        insert_stock(cur, store_variants=variants, now=now, out=out, steps=steps)
        rebuild_structures(cur, structures, steps)
        with steps.step("analyze"):
            for table in (STOCK_TABLE, "stores_store", "catalog_variant", "catalog_product",
                          "catalog_category"):  # fmt: skip
                cur.execute(f"ANALYZE {table}")
    return steps


def vacuum(conn: psycopg.Connection, steps: Steps) -> None:
    """Freeze and analyze the stock table: sets the visibility map (index-only scans) and the
    hint bits, as autovacuum would in steady state, so reads don't pay for them."""
    conn.autocommit = True
    with steps.step(f"vacuum (freeze, analyze) {STOCK_TABLE}"):
        conn.execute(f"VACUUM (FREEZE, ANALYZE) {STOCK_TABLE}")


def summary(conn: psycopg.Connection) -> dict:
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT count(*), count(*) FILTER (WHERE available = 0),"
            f" count(*) FILTER (WHERE price_cents IS NOT NULL) FROM {STOCK_TABLE}"
        )
        rows, unavailable, priced = cur.fetchone()
        cur.execute(
            "SELECT pg_size_pretty(pg_total_relation_size(%s::regclass)),"
            " pg_size_pretty(pg_database_size(current_database()))",
            [STOCK_TABLE],
        )
        table_size, database_size = cur.fetchone()
        return {
            "stores": _count(cur, "stores_store"),
            "variants": _count(cur, "catalog_variant"),
            "products": _count(cur, "catalog_product"),
            "stock_rows": rows,
            "unavailable_share": round(unavailable / rows, 3) if rows else 0,
            "priced_share": round(priced / rows, 3) if rows else 0,
            "stock_table_size": table_size,
            "database_size": database_size,
        }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--variants", type=int, default=20_000, help="the store range")
    parser.add_argument(
        "--warehouse-variants", type=int, default=None,
        help="the whole catalogue, listed by the warehouse (default: max(variants, 100000))",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reset", action="store_true", help="empty the bench tables first")
    parser.add_argument("--no-vacuum", action="store_true")
    args = parser.parse_args(argv)

    say(f"Generating {args.stores} stores x {args.variants} variants (seed {args.seed})")
    started = time.perf_counter()
    with psycopg.connect(args.database_url) as conn:
        steps = load(
            conn,
            stores=args.stores,
            variants=args.variants,
            warehouse_variants=args.warehouse_variants,
            seed=args.seed,
            reset=args.reset,
        )
        with steps.step("commit"):
            conn.commit()
        if not args.no_vacuum:
            vacuum(conn, steps)
        say(f"Done in {time.perf_counter() - started:.1f} s")
        say(json.dumps(summary(conn), indent=2))


if __name__ == "__main__":
    main()
