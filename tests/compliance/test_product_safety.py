"""Product safety (GPSR art. 19 via DSA art. 31): HQ holds the manufacturer, the EU responsible
person, the identifier and the warnings before a product is published (admin, import, API),
and the product page shows them with the seller's identity (art. 30(7))."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from catalog.errors import ProductSafetyIncomplete
from catalog.models import SAFETY_FIELDS, Product
from catalog.services import import_catalogue, publish_product
from compliance.services.traders import certify_trader, update_trader_evidence
from demo.catalogue import demo_products
from network_marketplace.models import AuditEvent
from tests.factories import StockLevelFactory, VariantFactory

pytestmark = pytest.mark.django_db


def draft_without(*blank: str) -> Product:
    variant = VariantFactory(product__status=Product.Status.DRAFT)
    product = variant.product
    for name in blank:
        setattr(product, name, "")
    product.save()
    return product


def test_a_product_with_its_safety_information_is_published(hq_admin):
    product = draft_without()

    assert publish_product(product=product, actor=hq_admin).status == Product.Status.PUBLISHED


@pytest.mark.parametrize("field", SAFETY_FIELDS)
def test_publishing_without_a_safety_field_is_refused_naming_it(hq_admin, field):
    product = draft_without(field)

    with pytest.raises(ProductSafetyIncomplete) as refused:
        publish_product(product=product, actor=hq_admin)

    label = str(Product._meta.get_field(field).verbose_name)
    assert label in refused.value.message
    assert refused.value.facts["missing"] == [field]
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT
    assert not AuditEvent.objects.filter(action="product.published").exists()


def test_the_admin_action_reports_the_missing_fields_and_publishes_nothing(client, hq_admin):
    product = draft_without("manufacturer_name", "safety_information")
    client.force_login(hq_admin)

    response = client.post(
        reverse("admin:catalog_product_changelist"),
        {"action": "publish", "_selected_action": [product.pk]},
        follow=True,
    )

    text = response.content.decode()
    assert "manufacturer" in text.lower() or "fabricant" in text.lower()
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_the_admin_form_keeps_a_published_products_safety_information(client, hq_admin):
    product = VariantFactory().product  # published
    client.force_login(hq_admin)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    page = client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(
        {
            "category": product.category_id,
            "attributes": "{}",
            "manufacturer_address": "",
            "variants-TOTAL_FORMS": "0",
            "variants-INITIAL_FORMS": "0",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "manufacturer_address" in response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.manufacturer_address


def test_an_import_row_publishing_without_safety_columns_is_refused_and_writes_nothing(
    hq_admin,
):
    from tests.factories import CategoryFactory

    CategoryFactory(slug="outils")
    file = (
        "product_slug,product_name,category_slug,sku,rrp,status,manufacturer_name\n"
        "beche,Bêche,outils,BEC-1,29.90,published,Forgeval\n"
    ).encode()

    report = import_catalogue(data=file, filename="c.csv", actor=hq_admin, apply=True)

    assert not report.applied
    [error] = report.errors
    assert error.row == 2
    assert error.column == "status"
    assert "EU responsible person" in error.message or "responsable" in error.message
    assert not Product.objects.filter(slug="beche").exists()


def test_an_import_may_publish_a_product_whose_safety_information_is_already_held(hq_admin):
    product = draft_without()
    sku = product.variants.get().sku
    file = (
        "product_slug,product_name,category_slug,sku,rrp,status\n"
        f"{product.slug},{product.name},{product.category.slug},{sku},29.90,published\n"
    ).encode()

    report = import_catalogue(data=file, filename="c.csv", actor=hq_admin, apply=True)

    assert report.applied, report.errors
    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED


def test_the_api_refuses_to_publish_with_the_missing_fields_in_the_error_shape(hq_admin):
    product = draft_without("eu_responsible_person")
    api = APIClient()
    api.force_authenticate(hq_admin)

    response = api.post(f"/api/v1/products/{product.slug}/publish/")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "product_safety_incomplete"
    assert list(body["fields"]) == ["eu_responsible_person"]
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_the_api_publishes_for_hq_and_refuses_a_store(hq_admin, lyon_owner):
    product = draft_without()
    store_api = APIClient()
    store_api.force_authenticate(lyon_owner)
    assert store_api.post(f"/api/v1/products/{product.slug}/publish/").status_code in {
        403,
        404,
    }

    api = APIClient()
    api.force_authenticate(hq_admin)
    response = api.post(f"/api/v1/products/{product.slug}/publish/")

    assert response.status_code == 200
    assert response.json()["manufacturer_name"] == product.manufacturer_name
    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED


def test_every_published_demo_product_holds_its_safety_information():
    published = [spec for spec in demo_products() if spec.status == "published"]

    assert published
    for spec in published:
        assert all(str(spec.safety.get(name, "")).strip() for name in SAFETY_FIELDS), spec.slug


def test_the_product_page_shows_the_safety_block_and_each_offers_seller(
    client, lyon_store, lyon_owner
):
    update_trader_evidence(
        store=lyon_store,
        actor=lyon_owner,
        legal_representative="Camille Martin",
        id_document_reference="CNI 1",
        bank_account_holder="SARL",
        bank_evidence_reference="FR76",
        enforce=False,
    )
    from django.conf import settings

    certify_trader(
        store=lyon_store, actor=lyon_owner, text_version=settings.TRADER_CERTIFICATION_VERSION
    )
    offer = StockLevelFactory(store=lyon_store, on_hand=4)
    product = offer.variant.product

    page = client.get(
        reverse("catalogue:product", args=[product.slug]), {"lat": "45.7578", "lng": "4.832"}
    )

    text = page.content.decode()
    assert 'data-testid="product-safety"' in text
    assert product.manufacturer_name in text
    assert product.product_identifier in text
    assert 'data-testid="seller-identity"' in text
    assert escape(lyon_store.company_name) in text
    assert lyon_store.registration_number in text
