"""The catalogue import: a dry run that reports, an apply that writes all or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from catalog.errors import InvalidImportFile
from catalog.models import Category, Product, Variant
from catalog.services import import_catalogue
from network_marketplace.models import AuditEvent

from .factories import CategoryFactory, ProductFactory, VariantFactory, ean13

pytestmark = pytest.mark.django_db

HEADER = (
    "product_slug,product_name,category_slug,brand,description,vat_rate,status,"
    "sku,gtin,option_size,option_colour,rrp,min_price,max_price"
)
# The product-safety columns a published product needs (tests/compliance/test_product_safety.py).
SAFETY_HEADER = (
    ",manufacturer_name,manufacturer_address,manufacturer_contact,eu_responsible_person,"
    "product_identifier,safety_information"
)
SAFETY_CELLS = (
    ',Fiskars France SAS,"1 rue de l\'Usine, 69001 Lyon",contact@fiskars.example,'
    'Fiskars France SAS,BEC,"Lame tranchante, hors de portée des enfants."'
)


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


@pytest.fixture
def garden(db):
    return CategoryFactory(name="Jardin", slug="jardin")


@pytest.fixture
def tools(garden):
    return CategoryFactory(name="Outils", slug="outils", parent=garden)


def spade_file() -> bytes:
    return csv_file(
        f'beche,Bêche inox,outils,Fiskars,"Bêche, manche frêne",20,published,'
        f'BEC-S,{ean13(1)},S,vert,"29,90","25,00","34,90"{SAFETY_CELLS}',
        f'beche,Bêche inox,outils,Fiskars,"Bêche, manche frêne",20,published,'
        f"BEC-L,{ean13(2)},L,vert,32.50,,{SAFETY_CELLS}",
        f"rateau,Râteau,outils,Fiskars,,5.5,draft,RAT-1,,,,12,,{SAFETY_CELLS}",
        header=HEADER + SAFETY_HEADER,
    )


def test_dry_run_counts_what_would_change_and_writes_nothing(tools):
    report = import_catalogue(data=spade_file(), filename="catalogue.csv", actor="test")

    assert report.ok, report.errors
    assert report.rows == 3
    assert (report.variants_to_create, report.variants_to_update, report.variants_unchanged) == (
        3,
        0,
        0,
    )
    assert report.products_to_create == 2
    assert report.applied is False
    assert not Product.objects.exists()
    assert not Variant.objects.exists()


def test_apply_creates_products_and_variants(tools, hq_admin):
    report = import_catalogue(
        data=spade_file(), filename="catalogue.csv", actor=hq_admin, apply=True
    )

    assert report.applied
    spade = Product.objects.get(slug="beche")
    assert spade.name == "Bêche inox"
    assert spade.category == tools
    assert spade.status == Product.Status.PUBLISHED
    assert spade.description == "Bêche, manche frêne"
    small = Variant.objects.get(sku="BEC-S")
    assert small.product == spade
    assert small.gtin == ean13(1)
    assert small.options == {"size": "S", "colour": "vert"}
    assert (small.rrp_cents, small.min_price_cents, small.max_price_cents) == (2990, 2500, 3490)
    large = Variant.objects.get(sku="BEC-L")
    assert (large.rrp_cents, large.min_price_cents, large.max_price_cents) == (3250, None, None)
    rake = Product.objects.get(slug="rateau")
    assert rake.vat_rate == "reduced"
    assert rake.status == Product.Status.DRAFT
    assert Variant.objects.get(sku="RAT-1").gtin is None
    event = AuditEvent.objects.get(action="catalogue.imported")
    assert event.actor_user == hq_admin
    assert event.data["variants_created"] == 3


def test_apply_updates_what_changed_and_keeps_the_rest(tools, hq_admin):
    # Given a spade already in the catalogue, with a colour option the file does not mention
    spade = ProductFactory(slug="beche", name="Bêche", category=tools, brand="Old brand")
    VariantFactory(
        product=spade, sku="BEC-S", gtin=ean13(1), rrp_cents=2500, options={"finish": "mat"}
    )
    untouched = VariantFactory(product=spade, sku="BEC-XL")
    file = csv_file(
        f"beche,Bêche inox,outils,Fiskars,,,,BEC-S,{ean13(1)},S,,29.90,,",
        header=(
            "product_slug,product_name,category_slug,brand,description,vat_rate,status,"
            "sku,gtin,option_size,option_colour,rrp,min_price,max_price"
        ),
    )

    report = import_catalogue(data=file, filename="update.csv", actor=hq_admin, apply=True)

    assert report.applied
    assert (report.variants_to_create, report.variants_to_update) == (0, 1)
    assert report.products_to_update == 1
    spade.refresh_from_db()
    assert (spade.name, spade.brand, spade.status) == ("Bêche inox", "Fiskars", "published")
    variant = Variant.objects.get(sku="BEC-S")
    assert variant.rrp_cents == 2990
    assert variant.options == {"finish": "mat", "size": "S"}
    untouched_after = Variant.objects.get(pk=untouched.pk)
    assert untouched_after.rrp_cents == untouched.rrp_cents


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tools, hq_admin):
    import_catalogue(data=spade_file(), filename="catalogue.csv", actor=hq_admin, apply=True)
    before = {
        variant.sku: (variant.pk, variant.gtin, variant.options, variant.rrp_cents)
        for variant in Variant.objects.all()
    }
    stamps = dict(Product.objects.values_list("slug", "updated_at"))

    report = import_catalogue(
        data=spade_file(), filename="catalogue.csv", actor=hq_admin, apply=True
    )

    assert report.ok
    assert not report.has_changes
    assert (report.variants_unchanged, report.products_unchanged) == (3, 2)
    after = {
        variant.sku: (variant.pk, variant.gtin, variant.options, variant.rrp_cents)
        for variant in Variant.objects.all()
    }
    assert after == before
    assert dict(Product.objects.values_list("slug", "updated_at")) == stamps


def test_dry_run_reports_each_error_with_its_row_and_column(tools):
    file = csv_file(
        f"beche,Bêche,outils,,,,,BEC-S,{ean13(1)},,,29.90,,",
        "beche,Bêche,outils,,,,,BEC-M,3760000000013,,,29.90,,",  # wrong check digit
        "pelle,Pelle,nowhere,,,,,PEL-1,,,,abc,,",  # unknown category, bad amount
        "seau,Seau,outils,,,,,SEAU-1,,,,10,9,8",  # min > max
        f"bac,Bac,outils,,,,,BEC-S,{ean13(5)},,,10,,",  # SKU already on row 2
        "gant,Gants,outils,,,19,,GANT-1,,,,10,,",  # unknown VAT rate
    )

    report = import_catalogue(data=file, filename="errors.csv", actor="test")

    assert not report.ok
    found = {(error.row, error.column) for error in report.errors}
    assert found == {
        (3, "gtin"),
        (4, "rrp"),
        (4, "category_slug"),
        (5, "max_price"),
        (6, "sku"),
        (7, "vat_rate"),
    }
    gtin_error = next(error for error in report.errors if error.column == "gtin")
    assert "3760000000013" in gtin_error.message
    assert "chiffre de contrôle" in gtin_error.message or "check digit" in gtin_error.message
    assert not Product.objects.exists()


def test_unknown_category_slug_is_a_row_error(tools):
    file = csv_file("pelle,Pelle,nowhere,,,,,PEL-1,,,,10,,")

    report = import_catalogue(data=file, filename="c.csv", actor="test")

    assert [(error.row, error.column) for error in report.errors] == [(2, "category_slug")]
    assert "nowhere" in report.errors[0].message


def test_apply_with_one_bad_row_writes_nothing(tools, hq_admin):
    file = csv_file(
        f"beche,Bêche,outils,,,,,BEC-S,{ean13(1)},,,29.90,,",
        "pelle,Pelle,outils,,,,,PEL-1,,,,-3,,",
    )

    report = import_catalogue(data=file, filename="bad.csv", actor=hq_admin, apply=True)

    assert not report.applied
    assert [(error.row, error.column) for error in report.errors] == [(3, "rrp")]
    assert not Product.objects.exists()
    assert not AuditEvent.objects.filter(action="catalogue.imported").exists()


def test_a_product_with_different_fields_on_two_rows_is_an_error(tools):
    file = csv_file(
        "beche,Bêche,outils,,,,,BEC-S,,,,29.90,,",
        "beche,Bêche inox,outils,,,,,BEC-M,,,,29.90,,",
    )

    report = import_catalogue(data=file, filename="c.csv", actor="test")

    assert [(error.row, error.column) for error in report.errors] == [(3, "product_name")]


def test_a_gtin_owned_by_another_variant_is_an_error(tools):
    VariantFactory(sku="OTHER", gtin=ean13(1))
    file = csv_file(f"beche,Bêche,outils,,,,,BEC-S,{ean13(1)},,,29.90,,")

    report = import_catalogue(data=file, filename="c.csv", actor="test")

    assert [(error.row, error.column) for error in report.errors] == [(2, "gtin")]
    assert "OTHER" in report.errors[0].message


def test_two_variants_can_swap_their_gtins(tools, hq_admin):
    spade = ProductFactory(slug="beche", name="Bêche", category=tools)
    VariantFactory(product=spade, sku="A", gtin=ean13(1))
    VariantFactory(product=spade, sku="B", gtin=ean13(2))
    file = csv_file(
        f"beche,Bêche,outils,,,,,A,{ean13(2)},,,19.90,,",
        f"beche,Bêche,outils,,,,,B,{ean13(1)},,,19.90,,",
    )

    report = import_catalogue(data=file, filename="swap.csv", actor=hq_admin, apply=True)

    assert report.applied
    assert dict(Variant.objects.values_list("sku", "gtin")) == {"A": ean13(2), "B": ean13(1)}


def test_category_path_finds_existing_categories_and_creates_missing_ones(tools, hq_admin):
    header = "product_slug,product_name,category_path,sku,rrp"
    file = csv_file(
        "beche,Bêche,Jardin > Outils,BEC-S,29.90",
        "tuyau,Tuyau,jardin > Arrosage > Tuyaux,TUY-1,19.90",
        "lampe,Lampe,Maison \u203a Luminaires,LAM-1,39.90",
        header=header,
    )

    dry = import_catalogue(data=file, filename="paths.csv", actor="test")
    assert dry.categories_to_create == [
        "jardin > Arrosage",
        "jardin > Arrosage > Tuyaux",
        "Maison",
        "Maison > Luminaires",
    ]
    assert Category.objects.count() == 2

    report = import_catalogue(data=file, filename="paths.csv", actor=hq_admin, apply=True)

    assert report.applied
    assert Product.objects.get(slug="beche").category == tools
    hoses = Product.objects.get(slug="tuyau").category
    assert (hoses.name, hoses.parent.name, hoses.parent.parent.slug) == (
        "Tuyaux",
        "Arrosage",
        "jardin",
    )
    lamps = Product.objects.get(slug="lampe").category
    assert (lamps.name, lamps.parent.name, lamps.parent.parent) == ("Luminaires", "Maison", None)
    again = import_catalogue(data=file, filename="paths.csv", actor=hq_admin, apply=True)
    assert not again.has_changes


def test_semicolon_separated_file_with_bom_and_french_decimals(tools, hq_admin):
    file = (
        "\ufeffproduct_slug;product_name;category_slug;sku;rrp;status;manufacturer_name;"
        "manufacturer_address;manufacturer_contact;eu_responsible_person;product_identifier;"
        "safety_information\n"
        "beche;Bêche;outils;BEC-S;1 234,50 €;Publié;Forgeval;1 rue des Forges, Lyon;"
        "contact@forgeval.example;Forgeval;BEC;Lame tranchante.\n"
    ).encode()

    report = import_catalogue(data=file, filename="excel-fr.csv", actor=hq_admin, apply=True)

    assert report.applied, report.errors
    variant = Variant.objects.get(sku="BEC-S")
    assert variant.rrp_cents == 123450
    assert variant.product.status == Product.Status.PUBLISHED


def test_a_file_saved_by_excel_for_windows_cp1252_is_read_with_its_accents(tools, hq_admin):
    file = (
        "product_slug;product_name;category_slug;sku;rrp\n"
        "beche;Bêche « inox » \u2013 1 m;outils;BEC-S;29,90 €\n"
    ).encode("cp1252")

    report = import_catalogue(data=file, filename="windows.csv", actor=hq_admin, apply=True)

    assert report.applied, report.errors
    assert Product.objects.get(slug="beche").name == "Bêche « inox » \u2013 1 m"


def test_a_row_with_more_cells_than_the_header_is_a_row_error(tools):
    file = csv_file(
        "beche,Bêche,outils,,,,,BEC-S,,,,29.90,,",
        "pelle,Pelle,outils,,,,,PEL-1,,,,12,,,surplus",
    )

    report = import_catalogue(data=file, filename="wide.csv", actor="test")

    assert [(error.row, error.column) for error in report.errors] == [(3, "")]


def test_limits_in_messages_are_the_models(tools):
    too_long = "x" * (Product._meta.get_field("name").max_length + 1)
    file = csv_file(f"beche,{too_long},outils,,,,,BEC-S,,,,29.90,,")

    report = import_catalogue(data=file, filename="long.csv", actor="test")

    assert [(error.row, error.column) for error in report.errors] == [(2, "product_name")]
    assert str(Product._meta.get_field("name").max_length) in report.errors[0].message


def xlsx_file(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_reads_numbers_and_text_cells(tools, hq_admin):
    file = xlsx_file(
        [
            ["product_slug", "product_name", "category_slug", "sku", "gtin", "rrp", "max_price"],
            ["beche", "Bêche", "outils", "BEC-S", int(ean13(1)), 29.9, "34,90"],
            ["beche", "Bêche", "outils", "BEC-M", ean13(2), 30, None],
        ]
    )

    report = import_catalogue(data=file, filename="catalogue.xlsx", actor=hq_admin, apply=True)

    assert report.applied, report.errors
    assert dict(Variant.objects.values_list("sku", "rrp_cents")) == {"BEC-S": 2990, "BEC-M": 3000}
    assert Variant.objects.get(sku="BEC-S").gtin == ean13(1)
    assert Variant.objects.get(sku="BEC-S").max_price_cents == 3490


def test_xlsx_errors_carry_the_sheet_row_numbers(tools):
    file = xlsx_file(
        [
            ["product_slug", "product_name", "category_slug", "sku", "gtin", "rrp"],
            ["beche", "Bêche", "outils", "BEC-S", "3760000000013", 29.9],
            [None, None, None, None, None, None],
            ["beche", "Bêche", "outils", "BEC-M", None, "douze"],
        ]
    )

    report = import_catalogue(data=file, filename="catalogue.xlsx", actor="test")

    assert [(error.row, error.column) for error in report.errors] == [(2, "gtin"), (4, "rrp")]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.csv", "vide"),
        (b"\n\n", "blank.csv", "vide"),
        (HEADER.encode() + b"\n", "header-only.csv", "aucune ligne"),
        (b"product_slug,sku,rrp\nbeche,BEC-S,10\n", "missing.csv", "product_name"),
        (b"product_slug,product_name,sku,rrp\nx,X,S,1\n", "nocat.csv", "category_slug"),
        (b"%PDF-1.4 binary", "catalogue.pdf", "CSV"),
        (b"PK\x03\x04 not really a zip", "catalogue.xlsx", "XLSX"),
        (b"not a zip at all", "catalogue.xlsx", "XLSX"),
        ("a,b".encode("utf-16"), "utf16.csv", "UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old.xls", ".xls"),
    ],
    ids=[
        "empty",
        "only-blank-lines",
        "header-only",
        "missing-columns",
        "no-category-column",
        "pdf",
        "broken-zip",
        "xlsx-not-zip",
        "utf-16",
        "old-excel",
    ],
)
def test_a_bad_file_gives_a_clear_error_and_changes_nothing(tools, data, filename, message):
    with pytest.raises(InvalidImportFile) as error:
        import_catalogue(data=data, filename=filename, actor="test", apply=True)

    assert message in error.value.message
    assert not Product.objects.exists()


def test_management_command_dry_run_then_apply(tools, tmp_path, hq_admin):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(spade_file())
    out = io.StringIO()

    call_command("import_catalogue", str(path), stdout=out)
    assert not Product.objects.exists()
    assert "3" in out.getvalue()

    call_command("import_catalogue", str(path), "--apply", stdout=out)
    assert Product.objects.count() == 2


def test_management_command_fails_on_row_errors(tools, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(csv_file("pelle,Pelle,outils,,,,,PEL-1,,,,abc,,"))

    with pytest.raises(CommandError, match="1"):
        call_command("import_catalogue", str(path), "--apply", stdout=io.StringIO())
    assert not Product.objects.exists()


def test_management_command_reports_a_bad_file(tmp_path, db):
    path = tmp_path / "catalogue.pdf"
    path.write_bytes(b"%PDF")

    with pytest.raises(CommandError, match="CSV"):
        call_command("import_catalogue", str(path), stdout=io.StringIO())


def test_a_concurrent_edit_that_collides_rolls_the_whole_import_back(tools, hq_admin, monkeypatch):
    from catalog import services
    from catalog.errors import CatalogueChangedDuringImport

    real_plan = services.plan_catalogue_import

    def plan_then_someone_takes_the_sku(**kwargs):
        plan = real_plan(**kwargs)
        VariantFactory(sku="RAT-1", product__category=tools)  # saved by "another admin"
        return plan

    monkeypatch.setattr(services, "plan_catalogue_import", plan_then_someone_takes_the_sku)

    with pytest.raises(CatalogueChangedDuringImport):
        import_catalogue(data=spade_file(), filename="catalogue.csv", actor=hq_admin, apply=True)

    assert not Product.objects.filter(slug__in=["beche", "rateau"]).exists()
    assert not AuditEvent.objects.filter(action="catalogue.imported").exists()


def test_a_status_change_in_the_file_moves_the_product_through_its_lifecycle(tools, hq_admin):
    spade = ProductFactory(slug="beche", name="Bêche", category=tools)  # published
    VariantFactory(product=spade, sku="BEC-S", rrp_cents=2990)
    file = csv_file("beche,Bêche,outils,,,,archivé,BEC-S,,,,29.90,,")

    report = import_catalogue(data=file, filename="archive.csv", actor=hq_admin, apply=True)

    assert report.applied, report.errors
    assert report.products_to_update == 1
    spade.refresh_from_db()
    assert spade.status == Product.Status.ARCHIVED
    event = AuditEvent.objects.get(action="product.archived")
    assert event.actor_user == hq_admin
    assert event.data["from"] == "published"
