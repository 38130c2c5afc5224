from django.db import migrations


def create_unaccent(apps, schema_editor):
    # PostgreSQL's contrib extension behind network_marketplace.search (trusted since PG 13).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("network_marketplace", "0002_outbox_and_webhooks")]

    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop)]
