"""The back-office's stock file upload: the report of what was applied, or of every error."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from stores.models import StockLevel, StockMovement


def import_url(store):
    return f"/store/{store.slug}/stock/import/"


def csv_file(text: str, name="stock.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def xlsx_file(rows, name="stock.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def lyon_levels(store):
    return {
        level.variant.sku: (level.on_hand, level.price_cents)
        for level in StockLevel.objects.for_store(store).select_related("variant")
    }


GOOD_CSV = "sku;on_hand;price;sequence\nARD-SEC-01;5;27,90;10\nARD-ARR-10;3;;10\n"
BAD_CSV = "sku;on_hand;price;sequence\nARD-SEC-01;5;40,00;10\nARD-NOPE;2;;10\nARD-ARR-10;x;;10\n"


def test_owner_uploads_a_csv_and_sees_what_was_applied(client, lyon_owner, lyon_store, lyon_stock):
    client.force_login(lyon_owner)

    response = client.post(import_url(lyon_store), {"file": csv_file(GOOD_CSV)})

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.received, result.applied, result.ignored_stale, result.movements) == (
        2,
        2,
        0,
        2,
    )
    html = response.content.decode()
    assert 'data-testid="feed-report"' in html
    assert lyon_levels(lyon_store) == {"ARD-SEC-01": (5, 2790), "ARD-ARR-10": (3, 1250)}
    movement = StockMovement.objects.filter(store=lyon_store).first()
    assert (movement.source, movement.reference) == (StockMovement.Source.FILE, "stock.csv")


def test_sending_the_same_file_again_is_reported_as_ignored(
    client, lyon_owner, lyon_store, lyon_stock
):
    client.force_login(lyon_owner)
    client.post(import_url(lyon_store), {"file": csv_file(GOOD_CSV)})

    again = client.post(import_url(lyon_store), {"file": csv_file(GOOD_CSV)})

    result = again.context["result"]
    assert (result.applied, result.ignored_stale, result.movements) == (0, 2, 0)


def test_rejected_csv_lists_every_error_with_line_and_column_and_applies_nothing(
    client, lyon_owner, lyon_store, lyon_stock
):
    client.force_login(lyon_owner)
    before = lyon_levels(lyon_store)

    response = client.post(import_url(lyon_store), {"file": csv_file(BAD_CSV)})

    assert response.status_code == 400
    assert [(e.row, e.field) for e in response.context["errors"]] == [
        (2, "price"),
        (3, "sku"),
        (4, "on_hand"),
    ]
    html = response.content.decode()
    assert 'data-testid="feed-errors"' in html
    assert "rien n'a été appliqué" in html
    assert "32,89\xa0€" in html
    assert lyon_levels(lyon_store) == before
    assert not StockMovement.objects.exists()


def test_owner_uploads_an_xlsx_workbook(client, lyon_owner, lyon_store, lyon_stock):
    client.force_login(lyon_owner)
    workbook = xlsx_file(
        [("sku", "on_hand", "price", "sequence"), ("ARD-SEC-01", 4, 28.5, 3), ("ARD-ARR-10", 1)]
    )

    rejected = client.post(import_url(lyon_store), {"file": workbook})
    workbook = xlsx_file(
        [
            ("sku", "on_hand", "price", "sequence"),
            ("ARD-SEC-01", 4, 28.5, 3),
            ("ARD-ARR-10", 1, None, 3),
        ]
    )
    applied = client.post(import_url(lyon_store), {"file": workbook})

    assert rejected.status_code == 400
    assert [(e.row, e.field) for e in rejected.context["errors"]] == [(3, "sequence")]
    assert applied.status_code == 200
    assert applied.context["result"].applied == 2
    assert lyon_levels(lyon_store) == {"ARD-SEC-01": (4, 2850), "ARD-ARR-10": (1, 1250)}


@pytest.mark.parametrize(
    "upload",
    [
        lambda: csv_file("", name="empty.csv"),
        lambda: SimpleUploadedFile("stock.pdf", b"%PDF-1.4"),
        lambda: SimpleUploadedFile("stock.xlsx", b"PK\x03\x04 not really a workbook"),
        lambda: SimpleUploadedFile("stock.csv", "sku;on_hand\nARD-SEC-01;3\n".encode("latin-1")),
        lambda: SimpleUploadedFile("stock.csv", "sku;quantité\nARD-SEC-01;3\n".encode("cp1252")),
    ],
    ids=["empty", "not-csv", "broken-xlsx", "no-position-column", "cp1252-no-on-hand-column"],
)
def test_bad_file_is_a_form_error_and_changes_nothing(
    client, lyon_owner, lyon_store, lyon_stock, upload
):
    client.force_login(lyon_owner)
    before = lyon_levels(lyon_store)

    response = client.post(import_url(lyon_store), {"file": upload()})

    assert response.status_code == 400
    assert response.context["form"].errors or response.context["errors"]
    assert response.context["result"] is None
    assert lyon_levels(lyon_store) == before


def test_missing_columns_are_reported_on_the_header_line(
    client, lyon_owner, lyon_store, lyon_stock
):
    client.force_login(lyon_owner)

    response = client.post(
        import_url(lyon_store), {"file": csv_file("sku;on_hand\nARD-SEC-01;3\n")}
    )

    assert response.status_code == 400
    assert [(e.row, e.field) for e in response.context["errors"]] == [(1, "sequence")]
    assert "sequence ou source_timestamp" in response.context["errors"][0].message


def test_staff_member_may_import_quantities_but_not_prices(
    client, lyon_staff, lyon_store, lyon_stock
):
    client.force_login(lyon_staff)

    with_prices = client.post(import_url(lyon_store), {"file": csv_file(GOOD_CSV)})
    quantities = client.post(
        import_url(lyon_store),
        {"file": csv_file("sku;on_hand;sequence\nARD-SEC-01;6;1\n")},
    )

    assert with_prices.status_code == 400
    assert with_prices.context["form"].errors["file"]
    assert quantities.status_code == 200
    assert lyon_levels(lyon_store)["ARD-SEC-01"] == (6, None)


def test_import_page_explains_the_columns_and_offers_an_example(
    client, lyon_owner, lyon_store, lyon_stock
):
    client.force_login(lyon_owner)

    page = client.get(import_url(lyon_store))
    example = client.get(import_url(lyon_store) + "example.csv")

    html = page.content.decode()
    for column in ("sku", "on_hand", "price", "sequence", "source_timestamp"):
        assert f"<code>{column}</code>" in html
    assert example.status_code == 200
    assert example["Content-Type"].startswith("text/csv")
    lines = example.content.decode().splitlines()
    assert lines[0] == "sku;on_hand;price;sequence"
    assert "ARD-SEC-01;8;;1" in lines


def test_the_example_file_uploads_as_it_is(client, lyon_owner, lyon_store, lyon_stock):
    client.force_login(lyon_owner)
    example = client.get(import_url(lyon_store) + "example.csv").content

    response = client.post(
        import_url(lyon_store), {"file": SimpleUploadedFile("example.csv", example)}
    )

    assert response.status_code == 200
    assert lyon_levels(lyon_store) == {"ARD-SEC-01": (8, None), "ARD-ARR-10": (0, 1250)}
