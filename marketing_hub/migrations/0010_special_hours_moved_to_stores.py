"""The stores' special days move to the stores app (stores.StoreSpecialDay), where the
franchisee keeps them on the store's profile: every row is copied, then the hub's table goes."""

from django.db import migrations


def copy_to_stores(apps, schema_editor):
    special_hours = apps.get_model("marketing_hub", "SpecialHours")
    special_day = apps.get_model("stores", "StoreSpecialDay")
    special_day.objects.bulk_create(
        [
            special_day(
                store_id=row.store_id,
                day=row.day,
                closed=row.closed,
                # The stores' table keeps no times for a closed day.
                opens=None if row.closed else row.opens,
                closes=None if row.closed else row.closes,
                note=row.note,
            )
            for row in special_hours.objects.all().iterator()
        ],
        ignore_conflicts=True,
    )


def copy_back(apps, schema_editor):
    special_hours = apps.get_model("marketing_hub", "SpecialHours")
    special_day = apps.get_model("stores", "StoreSpecialDay")
    special_hours.objects.bulk_create(
        [
            special_hours(
                store_id=row.store_id,
                day=row.day,
                closed=row.closed,
                opens=row.opens,
                closes=row.closes,
                note=row.note,
            )
            for row in special_day.objects.all().iterator()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("marketing_hub", "0009_m4_dashboard"),
        ("stores", "0016_store_profile_special_days_invitations"),
    ]

    operations = [
        migrations.RunPython(copy_to_stores, copy_back),
        migrations.DeleteModel(name="SpecialHours"),
    ]
