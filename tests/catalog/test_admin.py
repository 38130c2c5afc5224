"""HQ's catalogue admin: forms refuse bad GTINs and bounds, actions call the services, the
import page goes upload → report → apply."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Category, Product, Variant
from network_marketplace.models import AuditEvent
from tests.factories import PASSWORD

from .factories import CategoryFactory, ProductFactory, VariantFactory, ean13

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq_client(client, hq_admin):
    client.force_login(hq_admin)
    return client


@pytest.fixture
def tools(db):
    garden = CategoryFactory(name="Jardin", slug="jardin")
    return CategoryFactory(name="Outils", slug="outils", parent=garden)


def variant_form_data(product, **overrides):
    data = {
        "product": product.pk,
        "sku": "BEC-S",
        "gtin": ean13(1),
        "options": '{"size": "S"}',
        "rrp_cents": "29,90",
        "min_price_cents": "",
        "max_price_cents": "",
        "position": "0",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_variant_form_accepts_a_valid_ean13_and_prices_in_euros(hq_client, tools):
    product = ProductFactory(category=tools)

    response = hq_client.post(
        reverse("admin:catalog_variant_add"),
        variant_form_data(product, min_price_cents="25", max_price_cents="34.90"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    variant = Variant.objects.get(sku="BEC-S")
    assert (variant.gtin, variant.rrp_cents, variant.min_price_cents, variant.max_price_cents) == (
        ean13(1),
        2990,
        2500,
        3490,
    )
    assert variant.options == {"size": "S"}


def test_variant_form_refuses_a_gtin_with_a_wrong_check_digit(hq_client, tools):
    product = ProductFactory(category=tools)
    wrong = ean13(1)[:-1] + str((int(ean13(1)[-1]) + 1) % 10)

    response = hq_client.post(
        reverse("admin:catalog_variant_add"), variant_form_data(product, gtin=wrong)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "gtin" in errors
    assert "chiffre de contrôle" in errors["gtin"][0]
    assert not Variant.objects.exists()


def test_variant_form_refuses_a_lowest_price_above_the_highest(hq_client, tools):
    product = ProductFactory(category=tools)

    response = hq_client.post(
        reverse("admin:catalog_variant_add"),
        variant_form_data(product, min_price_cents="30", max_price_cents="20"),
    )

    assert response.status_code == 200
    assert "max_price_cents" in response.context["adminform"].form.errors
    assert not Variant.objects.exists()


def test_variant_form_refuses_an_amount_that_is_not_euros(hq_client, tools):
    product = ProductFactory(category=tools)

    response = hq_client.post(
        reverse("admin:catalog_variant_add"), variant_form_data(product, rrp_cents="douze")
    )

    assert response.status_code == 200
    assert "rrp_cents" in response.context["adminform"].form.errors


def test_product_inline_reports_a_bad_gtin_as_a_form_error(hq_client, tools):
    product = ProductFactory(category=tools, slug="beche", name="Bêche")
    data = {
        "name": "Bêche",
        "slug": "beche",
        "category": tools.pk,
        "brand": "",
        "vat_rate": "standard",
        "description": "",
        "attributes": "{}",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-sku": "BEC-S",
        "variants-0-gtin": "3760000000013",
        "variants-0-options": "{}",
        "variants-0-rrp_cents": "29,90",
        "variants-0-position": "0",
        "variants-0-is_active": "on",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }

    response = hq_client.post(reverse("admin:catalog_product_change", args=[product.pk]), data)

    assert response.status_code == 200
    assert "3760000000013" in response.content.decode()
    assert not Variant.objects.exists()


def test_category_form_refuses_a_lowest_percent_above_the_highest(hq_client):
    response = hq_client.post(
        reverse("admin:catalog_category_add"),
        {
            "name": "Jardin",
            "slug": "jardin",
            "position": "0",
            "min_price_percent": "120",
            "max_price_percent": "80",
        },
    )

    assert response.status_code == 200
    assert "max_price_percent" in response.context["adminform"].form.errors
    assert not Category.objects.exists()


def test_category_cannot_be_moved_under_its_own_subcategory(hq_client, tools):
    garden = tools.parent

    response = hq_client.post(
        reverse("admin:catalog_category_change", args=[garden.pk]),
        {"name": "Jardin", "slug": "jardin", "parent": tools.pk, "position": "0"},
    )

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    garden.refresh_from_db()
    assert garden.parent is None


def test_category_changelist_shows_the_tree_and_inherited_bounds(
    hq_client, django_assert_max_num_queries
):
    garden = CategoryFactory(
        name="Jardin",
        slug="jardin",
        min_price_percent=Decimal("80"),
        max_price_percent=Decimal("120"),
    )
    CategoryFactory(name="Outils", slug="outils", parent=garden)
    CategoryFactory(name="Arrosage", slug="arrosage", parent=garden, position=-0)
    CategoryFactory(name="Animalerie", slug="animalerie")

    with django_assert_max_num_queries(15):
        response = hq_client.get(reverse("admin:catalog_category_changelist"))

    assert response.status_code == 200
    names = [category.name for category in response.context["cl"].result_list]
    assert names == ["Animalerie", "Jardin", "Arrosage", "Outils"]
    assert "hérité" in response.content.decode()


def test_product_changelist_filters_by_category_with_its_subcategories(
    hq_client, tools, django_assert_max_num_queries
):
    spade = ProductFactory(name="Bêche", category=tools)
    ProductFactory(name="Niche", category=CategoryFactory(name="Animalerie"))
    for _ in range(5):
        VariantFactory(product=spade)

    with django_assert_max_num_queries(20):
        response = hq_client.get(
            reverse("admin:catalog_product_changelist"), {"category": tools.parent.pk}
        )

    assert [product.name for product in response.context["cl"].result_list] == ["Bêche"]


def test_product_changelist_finds_a_product_by_sku_or_gtin(hq_client, tools):
    variant = VariantFactory(product__name="Bêche", product__category=tools, sku="BEC-S")
    ProductFactory(name="Râteau", category=tools)

    by_sku = hq_client.get(reverse("admin:catalog_product_changelist"), {"q": "BEC-S"})
    by_gtin = hq_client.get(reverse("admin:catalog_product_changelist"), {"q": variant.gtin})

    assert [product.name for product in by_sku.context["cl"].result_list] == ["Bêche"]
    assert [product.name for product in by_gtin.context["cl"].result_list] == ["Bêche"]


def test_variant_changelist_shows_effective_bounds_without_a_query_per_row(
    hq_client, django_assert_max_num_queries
):
    category = CategoryFactory(min_price_percent=Decimal("90"), max_price_percent=Decimal("110"))
    for _ in range(20):
        VariantFactory(product__category=category, rrp_cents=1000)
    VariantFactory(
        sku="OWN-BOUNDS", product__category=category, min_price_cents=500, max_price_cents=1500
    )

    with django_assert_max_num_queries(15):
        response = hq_client.get(reverse("admin:catalog_variant_changelist"))

    page = response.content.decode()
    assert "9,00\u00a0€ \u2013 11,00\u00a0€" in page
    assert "5,00\u00a0€ \u2013 15,00\u00a0€" in page


def test_publish_and_archive_actions_call_the_services(hq_client, hq_admin, tools):
    ready = VariantFactory(product__category=tools, product__status=Product.Status.DRAFT).product
    empty = ProductFactory(category=tools, status=Product.Status.DRAFT, name="Sans variante")
    url = reverse("admin:catalog_product_changelist")

    response = hq_client.post(
        url, {"action": "publish", "_selected_action": [ready.pk, empty.pk]}, follow=True
    )

    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.status == Product.Status.PUBLISHED
    assert empty.status == Product.Status.DRAFT
    page = response.content.decode()
    assert "Sans variante" in page
    assert AuditEvent.objects.filter(action="product.published", actor_user=hq_admin).count() == 1

    hq_client.post(url, {"action": "archive", "_selected_action": [ready.pk]})
    ready.refresh_from_db()
    assert ready.status == Product.Status.ARCHIVED


# --- The import page ----------------------------------------------------------------------------

CSV = (
    "product_slug,product_name,category_slug,sku,gtin,option_size,rrp\n"
    f'beche,Bêche,outils,BEC-S,{ean13(1)},S,"29,90"\n'
    f'beche,Bêche,outils,BEC-L,{ean13(2)},L,"32,50"\n'
)


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_import_page_flow_upload_report_apply(hq_client, tools):
    changelist = hq_client.get(reverse("admin:catalog_product_changelist"))
    assert reverse("admin:catalog_product_import") in changelist.content.decode()

    form = hq_client.get(reverse("admin:catalog_product_import"))
    assert form.status_code == 200

    report = hq_client.post(
        reverse("admin:catalog_product_import"), {"file": upload("catalogue.csv", CSV)}
    )
    assert report.status_code == 200
    assert report.context["report"].variants_to_create == 2
    token = report.context["token"]
    assert 'name="token"' in report.content.decode()
    assert not Product.objects.exists()

    applied = hq_client.post(reverse("admin:catalog_product_import_apply"), {"token": token})

    assert applied.status_code == 302
    assert applied["Location"] == reverse("admin:catalog_product_changelist")
    assert set(Variant.objects.values_list("sku", flat=True)) == {"BEC-S", "BEC-L"}

    # The token is spent: applying twice does nothing more and says so
    again = hq_client.post(
        reverse("admin:catalog_product_import_apply"), {"token": token}, follow=True
    )
    assert "expiré" in again.content.decode()


def test_import_report_lists_errors_with_rows_and_offers_no_apply(hq_client, tools):
    bad = CSV + "pelle,Pelle,outils,PEL-1,3760000000013,,abc\n"

    report = hq_client.post(
        reverse("admin:catalog_product_import"), {"file": upload("catalogue.csv", bad)}
    )

    page = report.content.decode()
    assert report.status_code == 200
    rows = [(error.row, error.column) for error in report.context["report"].errors]
    assert rows == [(4, "gtin"), (4, "rrp")]
    assert re.search(r'<td class="import-row">4</td>', page)
    assert reverse("admin:catalog_product_import_apply") not in page
    assert not Product.objects.exists()


def test_import_page_shows_a_bad_file_as_a_form_error(hq_client, tools):
    response = hq_client.post(
        reverse("admin:catalog_product_import"),
        {"file": upload("catalogue.csv", "product_slug,sku\nx,y\n")},
    )

    assert response.status_code == 200
    assert "product_name" in response.context["form"].errors["file"][0]


def test_import_page_refuses_a_file_that_is_not_csv_or_xlsx(hq_client, tools):
    response = hq_client.post(
        reverse("admin:catalog_product_import"), {"file": upload("photo.png", b"\x89PNG")}
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_import_cannot_be_applied_from_another_session(client, hq_client, tools, db):
    report = hq_client.post(
        reverse("admin:catalog_product_import"), {"file": upload("catalogue.csv", CSV)}
    )
    token = report.context["token"]
    from tests.factories import UserFactory

    other = UserFactory(email="other.hq@example.com", is_staff=True, is_superuser=True)
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)

    response = other_client.post(reverse("admin:catalog_product_import_apply"), {"token": token})

    assert response.status_code == 302
    assert not Product.objects.exists()


def test_non_staff_cannot_reach_the_import_page(client, lyon_owner):
    client.login(email=lyon_owner.email, password=PASSWORD)

    response = client.get(reverse("admin:catalog_product_import"))
    posted = client.post(
        reverse("admin:catalog_product_import"), {"file": upload("catalogue.csv", CSV)}
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert posted.status_code == 302
    assert not Product.objects.exists()


def test_anonymous_cannot_apply_an_import(client, db):
    response = client.post(reverse("admin:catalog_product_import_apply"), {"token": "0" * 32})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_catalogue_permissions_is_refused(client, db):
    from tests.factories import UserFactory

    clerk = UserFactory(email="clerk@example.com", is_staff=True)
    client.force_login(clerk)

    response = client.get(reverse("admin:catalog_product_import"))

    assert response.status_code == 403
