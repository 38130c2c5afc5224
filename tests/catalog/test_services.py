"""Publishing and archiving products: idempotent, audited, refused without an active variant."""

from __future__ import annotations

import pytest

from catalog.errors import ProductNotPublishable
from catalog.models import Product
from catalog.services import archive_product, publish_product
from network_marketplace.models import AuditEvent

from .factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_makes_it_published_and_is_audited(hq_admin):
    product = VariantFactory(product__status=Product.Status.DRAFT).product

    published = publish_product(product=product, actor=hq_admin)

    assert published.status == Product.Status.PUBLISHED
    event = AuditEvent.objects.get(action="product.published")
    assert event.actor_user == hq_admin
    assert event.target_id == str(product.pk)
    assert event.data == {"from": "draft", "to": "published"}


def test_publishing_twice_changes_nothing_the_second_time(hq_admin):
    product = VariantFactory(product__status=Product.Status.DRAFT).product

    publish_product(product=product, actor=hq_admin)
    publish_product(product=product, actor=hq_admin)

    assert AuditEvent.objects.filter(action="product.published").count() == 1


def test_a_product_without_an_active_variant_cannot_be_published(hq_admin):
    product = ProductFactory(status=Product.Status.DRAFT)
    VariantFactory(product=product, is_active=False)

    with pytest.raises(ProductNotPublishable):
        publish_product(product=product, actor=hq_admin)

    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT
    assert not AuditEvent.objects.exists()


def test_archiving_withdraws_a_published_product(hq_admin):
    product = VariantFactory().product

    archived = archive_product(product=product, actor="command:test")

    assert archived.status == Product.Status.ARCHIVED
    event = AuditEvent.objects.get(action="product.archived")
    assert event.actor_label == "command:test"
    assert event.data == {"from": "published", "to": "archived"}
