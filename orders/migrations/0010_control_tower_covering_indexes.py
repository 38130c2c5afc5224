# HQ's control tower reads a period's orders, and their lines by method, from indexes alone:
# `order_placed_idx` carries the columns the sales figures group and add up, and the lines'
# order index (`orderline_order_idx`, which replaces the foreign key's plain index) their method
# and total. The foreign key's constraint is kept as it is: only its index changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0009_fairness_window_and_weight_bounds"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="order", name="order_placed_idx"),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["placed_at"],
                include=("id", "channel", "subtotal_cents", "attributed_store"),
                name="order_placed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="orderline",
            index=models.Index(
                fields=["order"], include=("method", "total_cents"), name="orderline_order_idx"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="orderline",
                    name="order",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="orders.order",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "orders_orderline_order_id_17f8f3ef"',
                    reverse_sql='CREATE INDEX "orders_orderline_order_id_17f8f3ef"'
                    ' ON "orders_orderline" ("order_id")',
                ),
            ],
        ),
    ]
