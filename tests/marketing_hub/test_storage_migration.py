"""The proofs, artwork and deliverables written before the marketing storage existed still open
after its migration: their names lose the `private/marketing/` folder, which became the
storage's own on disk (and the bucket's `marketing/` prefix)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from network_marketplace.storage import marketing_storage

from .catalogue_helpers import add_sample_artwork, make_item

BEFORE = [("marketing_hub", "0011_field_labels")]
AFTER = [("marketing_hub", "0012_private_files_in_marketing_storage")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_an_artwork_written_before_the_storage_opens_after_the_migration():
    artwork = add_sample_artwork(make_item())
    content = Path(marketing_storage().path(artwork.pdf.name)).read_bytes()
    migrate(BEFORE)
    try:
        # As the row was before: under private/marketing/ in the media root.
        old_name = f"private/marketing/{artwork.pdf.name}"
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE marketing_hub_artwork SET pdf = %s WHERE id = %s", [old_name, artwork.pk]
            )
        assert (Path(settings.MEDIA_ROOT) / old_name).read_bytes() == content
    finally:
        migrate(AFTER)

    artwork.refresh_from_db()
    assert not artwork.pdf.name.startswith("private/")
    with artwork.pdf.open("rb") as handle:
        assert handle.read() == content
