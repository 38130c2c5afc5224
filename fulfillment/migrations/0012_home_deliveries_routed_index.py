# Routing's fairness counts a store's home deliveries of the last days on every checkout
# (fulfillment.routing_candidates): this partial index makes that count a short range instead of
# a walk through all the store's fulfilments; click & collect rows are not in it, so the
# checkout's own INSERT does not maintain it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fulfillment", "0011_field_labels"),
        ("orders", "0012_order_number_sequence"),
        ("stores", "0017_field_labels"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="fulfilment",
            index=models.Index(
                condition=models.Q(("method", "home_delivery")),
                fields=["store", "created_at"],
                name="fulfilment_home_routed_idx",
            ),
        ),
    ]
