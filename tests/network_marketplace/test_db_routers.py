"""Which statements pin a request to the primary: every write, whatever its first word."""

import pytest

from network_marketplace.db_routers import writes


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "orders_order" ("id") VALUES (1)',
        '  update "stores_stocklevel" SET "on_hand" = 1',
        "WITH entry AS (INSERT INTO payments_journalentry (reference) VALUES ('x') RETURNING id)"
        " SELECT (SELECT id FROM entry)",
        "WITH gone AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM gone",
        'SELECT "id" FROM "stores_stocklevel" WHERE "id" = 1 FOR UPDATE',
        "LOCK TABLE orders_order",
    ],
)
def test_a_writing_statement_pins_to_the_primary(sql):
    assert writes(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "id" FROM "orders_order"',
        "WITH recent AS (SELECT id FROM orders_order) SELECT count(*) FROM recent",
        "",
    ],
)
def test_a_read_does_not(sql):
    assert not writes(sql)
