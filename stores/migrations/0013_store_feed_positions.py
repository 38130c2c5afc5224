"""What orders each store's stock feed: sequences or source timestamps (issue 17).

Stores already fed get the kind their stock rows' positions show: a source timestamp is a
position in microseconds since 1970 (above 10^15 for any date after September 2001), far above
any till's sequence. One aggregate over the stock rows, grouped by store.
"""

from django.db import migrations, models
from django.db.models import Max

TIMESTAMP_POSITIONS_FROM = 10**15


def infer_feed_positions(apps, schema_editor):
    Store = apps.get_model("stores", "Store")
    StockLevel = apps.get_model("stores", "StockLevel")
    highest = (
        StockLevel.objects.filter(feed_position__gt=0)
        .values("store_id")
        .annotate(top=Max("feed_position"))
    )
    timestamps = [row["store_id"] for row in highest if row["top"] >= TIMESTAMP_POSITIONS_FROM]
    sequences = [row["store_id"] for row in highest if row["top"] < TIMESTAMP_POSITIONS_FROM]
    Store.objects.filter(pk__in=timestamps).update(feed_positions="timestamp")
    Store.objects.filter(pk__in=sequences).update(feed_positions="sequence")


class Migration(migrations.Migration):
    dependencies = [
        ("stores", "0012_store_logo_photo"),
    ]

    operations = [
        migrations.AddField(
            model_name="store",
            name="feed_positions",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "none yet"),
                    ("sequence", "sequences"),
                    ("timestamp", "source timestamps"),
                ],
                db_default="",
                default="",
                editable=False,
                max_length=10,
                verbose_name="stock feed ordered by",
            ),
        ),
        migrations.RunPython(infer_feed_positions, migrations.RunPython.noop),
    ]
