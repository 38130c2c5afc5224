"""Order numbers come from a PostgreSQL sequence in the order's INSERT (issue 16): "ARD-" and
at least 7 digits, one after the other, a number taken otherwise skipped."""

from __future__ import annotations

import re

from django.db import connection

from orders.models import Order


def _order(**fields) -> Order:
    return Order.objects.create(
        email="lea@example.com", first_name="Léa", last_name="Martin", **fields
    )


def _next_value() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_order_number_seq')")
        return cursor.fetchone()[0]


def test_orders_are_numbered_one_after_the_other_in_the_insert(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = _order()
    second = _order()

    assert re.fullmatch(r"ARD-\d{7,}", first.number)
    assert int(second.number[4:]) == int(first.number[4:]) + 1
    first.refresh_from_db()
    assert first.number == Order.objects.get(pk=first.pk).number


def test_a_number_already_taken_is_skipped(db):
    taken = _next_value() + 1
    _order(number=f"ARD-{taken:07d}")

    order = _order()

    assert order.number == f"ARD-{taken + 1:07d}"


def test_numbers_grow_past_seven_digits(db):
    current = _next_value()  # a sequence is not rolled back with the test: put it back after
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('orders_order_number_seq', 12345678)")
    try:
        order = _order()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('orders_order_number_seq', %s)", [current])

    assert order.number == "ARD-12345679"
