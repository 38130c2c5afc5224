# HQ's control tower reads a period's fulfilments from indexes alone: what was accepted
# (`fulfilment_accepted_idx` carries the location and the creation time) and what ended
# (`fulfilment_closed_idx` carries the location, status, method and order), and the home
# deliveries of a period's orders (`fulfilment_order_idx`, which replaces the order foreign
# key's plain index, carries method, status and location). The foreign key's constraint is kept
# as it is: only its index changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fulfillment", "0009_rejected_for_missing_stock"),
        ("orders", "0010_control_tower_covering_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="fulfilment", name="fulfilment_accepted_idx"),
        migrations.RemoveIndex(model_name="fulfilment", name="fulfilment_closed_idx"),
        migrations.AddIndex(
            model_name="fulfilment",
            index=models.Index(
                fields=["accepted_at"],
                include=("store", "created_at"),
                name="fulfilment_accepted_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="fulfilment",
            index=models.Index(
                fields=["closed_at"],
                include=("store", "status", "method", "order"),
                name="fulfilment_closed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="fulfilment",
            index=models.Index(
                fields=["order"],
                include=("method", "status", "store"),
                name="fulfilment_order_idx",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="fulfilment",
                    name="order",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fulfilments",
                        to="orders.order",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "fulfillment_fulfilment_order_id_18bd84fb"',
                    reverse_sql='CREATE INDEX "fulfillment_fulfilment_order_id_18bd84fb"'
                    ' ON "fulfillment_fulfilment" ("order_id")',
                ),
            ],
        ),
    ]
