import re

import pytest
from playwright.sync_api import expect

from catalog.models import Product, Variant
from tests.browser.conftest import sign_in_to_admin
from tests.catalog.factories import CategoryFactory, ean13

pytestmark = pytest.mark.browser

# The product-safety columns a published product needs (GPSR art. 19, DSA art. 31).
SAFETY = (
    ',Fiskars France,"1 rue de l\'Usine, 69001 Lyon",contact@fiskars.example,Fiskars France,'
    'BEC-INOX,"Lame tranchante."'
)
GOOD_CSV = (
    "product_slug,product_name,category_slug,brand,status,sku,gtin,option_size,rrp,min_price,"
    "manufacturer_name,manufacturer_address,manufacturer_contact,eu_responsible_person,"
    "product_identifier,safety_information\n"
    f'beche-inox,Bêche inox,outils,Fiskars,published,BEC-S,{ean13(1)},S,"29,90","25,00"{SAFETY}\n'
    f'beche-inox,Bêche inox,outils,Fiskars,published,BEC-L,{ean13(2)},L,"32,50",{SAFETY}\n'
    f"rateau,Râteau 14 dents,outils,Fiskars,draft,RAT-14,{ean13(3)},,19.90,\n"
)
BAD_CSV = GOOD_CSV + (
    "secateur,Sécateur,outils,Fiskars,draft,SEC-1,3760000000013,,24.90,\n"
    "arrosoir,Arrosoir,nulle-part,Fiskars,draft,ARR-1,,,douze,\n"
)


def log_in_to_admin(page, user):
    sign_in_to_admin(page, user, "/admin/catalog/product/")
    expect(page).to_have_url(re.compile(r"/admin/catalog/product/$"))


def test_hq_admin_imports_a_catalogue_file_after_checking_it(page, screenshot, hq_admin, tmp_path):
    CategoryFactory(name="Jardin", slug="jardin")
    CategoryFactory(name="Outils", slug="outils", parent=None)
    bad = tmp_path / "catalogue-avec-erreurs.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    good = tmp_path / "catalogue.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")

    log_in_to_admin(page, hq_admin)
    page.get_by_test_id("catalogue-import-link").click()
    expect(page).to_have_url(re.compile(r"/admin/catalog/product/import/$"))
    screenshot("catalogue-import-form")

    # A file with errors: the report lists them by row and column, and offers no "Apply"
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_test_id("import-verdict")).to_contain_text("3 erreurs trouvées")
    errors = page.get_by_test_id("import-errors")
    expect(errors.locator("tbody tr")).to_have_count(3)
    expect(errors).to_contain_text("chiffre de contrôle")
    expect(errors).to_contain_text("nulle-part")
    expect(page.get_by_role("button", name="Appliquer l'import")).to_have_count(0)
    screenshot("catalogue-import-report-errors")
    assert not Product.objects.exists()

    # The corrected file: counts, then apply
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_test_id("import-verdict")).to_contain_text(
        "Le fichier est valide (3 lignes)"
    )
    counts = page.get_by_test_id("import-counts")
    expect(counts.locator("tbody tr").first).to_contain_text("3")
    screenshot("catalogue-import-report-ok")
    assert not Product.objects.exists()

    page.get_by_role("button", name="Appliquer l'import").click()
    expect(page).to_have_url(re.compile(r"/admin/catalog/product/$"))
    expect(page.locator(".messagelist")).to_contain_text("3 variantes créées")
    expect(page.locator("#result_list")).to_contain_text("Bêche inox")
    expect(page.locator("#result_list")).to_contain_text("Râteau 14 dents")
    screenshot("catalogue-import-applied")

    assert set(Variant.objects.values_list("sku", flat=True)) == {"BEC-S", "BEC-L", "RAT-14"}
    assert Product.objects.get(slug="beche-inox").status == Product.Status.PUBLISHED


def test_hq_admin_sees_the_category_tree_and_the_bounds_that_apply(page, screenshot, hq_admin):
    from decimal import Decimal

    from tests.catalog.factories import ProductFactory, VariantFactory

    garden = CategoryFactory(
        name="Jardin",
        slug="jardin",
        min_price_percent=Decimal("80"),
        max_price_percent=Decimal("120"),
    )
    tools = CategoryFactory(name="Outils", slug="outils", parent=garden)
    CategoryFactory(name="Animalerie", slug="animalerie")
    spade = ProductFactory(name="Bêche inox", category=tools)
    VariantFactory(product=spade, sku="BEC-S", options={"size": "S"}, rrp_cents=2990)
    VariantFactory(
        product=spade,
        sku="BEC-L",
        options={"size": "L"},
        rrp_cents=3250,
        min_price_cents=3000,
        max_price_cents=3500,
    )

    log_in_to_admin(page, hq_admin)
    page.goto("/admin/catalog/category/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("Outils")
    expect(rows.nth(2)).to_contain_text("(hérité)")
    screenshot("catalogue-categories")

    page.goto("/admin/catalog/variant/")
    expect(page.locator("#result_list")).to_contain_text("23,92\u00a0€ \u2013 35,88\u00a0€")
    expect(page.locator("#result_list")).to_contain_text("30,00\u00a0€ \u2013 35,00\u00a0€")
    screenshot("catalogue-variants")

    page.goto(f"/admin/catalog/product/{spade.pk}/change/")
    expect(page.locator("#variants-group")).to_contain_text("SKU")
    screenshot("catalogue-product-form")
