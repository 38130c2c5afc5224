"""Order numbers, given by PostgreSQL in the order's INSERT (issue 16)."""

from django.db import models


class NextOrderNumber(models.Func):
    """The next order number, "ARD-" and at least 7 digits (ARD-0000042), from the sequence of
    migration 0012, given in the order's INSERT (no second UPDATE). Gaps are possible (a rolled
    back checkout keeps its number unused). SQLite (embedded) has none: create_order numbers."""

    template = "orders_next_order_number()"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []
