"""Order numbers from a sequence: PostgreSQL gives the number in the order's INSERT (issue 16),
instead of a second UPDATE writing "ARD-" and the primary key. The sequence starts after the
highest primary key, so new numbers follow the existing ones; the function skips a number
already taken (orders numbered otherwise, by a test or a bench). The embedded profile's SQLite
has no sequence: there the checkout writes the number after the INSERT, as before."""

from django.db import migrations, models

import orders.numbers

CREATE = """
CREATE SEQUENCE IF NOT EXISTS orders_order_number_seq;
SELECT setval('orders_order_number_seq', COALESCE((SELECT max(id) FROM orders_order), 0) + 1, false);
CREATE OR REPLACE FUNCTION orders_next_order_number() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    next_value bigint;
    candidate text;
BEGIN
    LOOP
        next_value := nextval('orders_order_number_seq');
        candidate := 'ARD-' || lpad(next_value::text, greatest(7, length(next_value::text)), '0');
        EXIT WHEN NOT EXISTS (SELECT 1 FROM orders_order WHERE number = candidate);
    END LOOP;
    RETURN candidate;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS orders_next_order_number();
DROP SEQUENCE IF EXISTS orders_order_number_seq;
"""


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("orders", "0011_field_labels")]

    operations = [
        migrations.RunPython(create_sequence, drop_sequence),
        migrations.AlterField(
            model_name="order",
            name="number",
            field=models.CharField(
                blank=True,
                db_default=orders.numbers.NextOrderNumber(),
                max_length=20,
                null=True,
                unique=True,
                verbose_name="number",
            ),
        ),
    ]
