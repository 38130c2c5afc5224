import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from stores.models import StockLevel, StockMovement
from stores.services import StockFeedRejected, apply_stock_feed, read_feed_file
from stores.services import feeds as feeds_module
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


@pytest.fixture
def catalogue(db):
    category = CategoryFactory(min_price_percent=Decimal("80"), max_price_percent=Decimal("120"))
    product = ProductFactory(category=category)
    return [
        VariantFactory(product=product, sku=f"ARD-{n:03d}", rrp_cents=1000) for n in range(1, 4)
    ]


@pytest.fixture(params=["bulk", "portable"])
def feed_path(request, monkeypatch):
    """Run a test through both apply paths: PostgreSQL's COPY path and the portable ORM path."""
    if request.param == "portable":
        monkeypatch.setattr(feeds_module, "use_bulk_path", lambda: False)
    return request.param


def feed(store, rows, reference="batch"):
    return apply_stock_feed(store=store, rows=rows, source="api", actor="till", reference=reference)


def levels(store):
    return {
        level.variant.sku: (level.on_hand, level.price_cents)
        for level in StockLevel.objects.for_store(store).select_related("variant")
    }


def test_feed_sets_stock_and_prices_and_writes_movements(lyon_store, catalogue, feed_path):
    result = feed(
        lyon_store,
        [
            {"sku": "ARD-001", "on_hand": 7, "price_cents": 1100, "sequence": 1},
            {"sku": "ARD-002", "on_hand": 0, "sequence": 1},
        ],
    )

    assert levels(lyon_store) == {"ARD-001": (7, 1100), "ARD-002": (0, None)}
    assert (result.applied, result.ignored_stale, result.movements) == (2, 0, 1)
    assert result.bulk == (feed_path == "bulk")
    movement = StockMovement.objects.get(store=lyon_store)
    assert (movement.delta, movement.on_hand_after, movement.reason) == (7, 7, "feed")


def test_replayed_batch_changes_nothing(lyon_store, catalogue, feed_path):
    rows = [{"sku": "ARD-001", "on_hand": 7, "sequence": 5}]
    feed(lyon_store, rows)
    before = (levels(lyon_store), StockMovement.objects.count())

    result = feed(lyon_store, rows)

    assert (levels(lyon_store), StockMovement.objects.count()) == before
    assert (result.applied, result.ignored_stale) == (0, 1)


def test_out_of_order_rows_never_move_stock_backwards(lyon_store, catalogue, feed_path):
    feed(lyon_store, [{"sku": "ARD-001", "on_hand": 4, "price": "9,50", "sequence": 20}])

    late = feed(
        lyon_store,
        [
            {"sku": "ARD-001", "on_hand": 9, "price": "11.00", "sequence": 19},
            {"sku": "ARD-002", "on_hand": 3, "sequence": 19},
        ],
    )

    assert levels(lyon_store) == {"ARD-001": (4, 950), "ARD-002": (3, None)}
    assert (late.applied, late.ignored_stale) == (1, 1)


def test_source_timestamps_order_rows_too(lyon_store, catalogue, feed_path):
    feed(
        lyon_store,
        [{"sku": "ARD-001", "on_hand": 2, "source_timestamp": "2026-11-23T10:00:00+01:00"}],
    )
    feed(lyon_store, [{"sku": "ARD-001", "on_hand": 8, "source_timestamp": "2026-11-23T08:59:59Z"}])
    assert levels(lyon_store)["ARD-001"] == (2, None)

    feed(lyon_store, [{"sku": "ARD-001", "on_hand": 5, "source_timestamp": "2026-11-23T09:00:01Z"}])
    assert levels(lyon_store)["ARD-001"] == (5, None)


def test_newest_row_wins_when_a_sku_appears_twice_in_a_batch(lyon_store, catalogue):
    feed(
        lyon_store,
        [
            {"sku": "ARD-001", "on_hand": 3, "sequence": 2},
            {"sku": "ARD-001", "on_hand": 1, "sequence": 1},
        ],
    )
    assert levels(lyon_store)["ARD-001"] == (3, None)


def row(**values):
    return {"sku": "ARD-002", "on_hand": 1, **values}


@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        pytest.param(row(sku="NOPE", sequence=1), "sku", id="unknown-sku"),
        pytest.param(row(on_hand=-2, sequence=1), "on_hand", id="negative"),
        pytest.param(row(on_hand="lots", sequence=1), "on_hand", id="text"),
        pytest.param(row(), "sequence", id="no-position"),
        pytest.param(row(price="abc", sequence=1), "price", id="price-text"),
        pytest.param(row(price="7.99", sequence=1), "price", id="below-bound"),
        pytest.param(row(price_cents=1201, sequence=1), "price", id="above-bound"),
        pytest.param(row(source_timestamp="2026-11-23 10:00"), "source_timestamp", id="naive-time"),
    ],
)
def test_a_bad_row_rejects_the_whole_batch_with_its_row_and_field(
    lyon_store, catalogue, feed_path, bad_row, field
):
    good_row = {"sku": "ARD-001", "on_hand": 5, "sequence": 1}

    with pytest.raises(StockFeedRejected) as rejected:
        feed(lyon_store, [good_row, bad_row])

    assert [(error.row, error.field) for error in rejected.value.errors] == [(2, field)]
    assert not StockLevel.objects.exists()
    assert not StockMovement.objects.exists()


def test_csv_upload_reports_errors_with_file_line_numbers(lyon_store, catalogue):
    upload = SimpleUploadedFile(
        "stock.csv",
        b"sku;on_hand;price;sequence\nARD-001;4;10,50;1\n\nARD-404;2;;1\nARD-002;x;;1\n",
    )

    with pytest.raises(StockFeedRejected) as rejected:
        feed(lyon_store, read_feed_file(upload))

    assert [(e.row, e.field) for e in rejected.value.errors] == [(4, "sku"), (5, "on_hand")]
    assert not StockLevel.objects.exists()


def test_xlsx_upload_is_applied(lyon_store, catalogue):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["SKU", "On hand", "Price", "Sequence"])
    sheet.append(["ARD-001", 6, 10.5, 3])
    sheet.append(["ARD-003", 2, None, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)

    feed(lyon_store, read_feed_file(SimpleUploadedFile("stock.xlsx", buffer.getvalue())))

    assert levels(lyon_store) == {"ARD-001": (6, 1050), "ARD-003": (2, None)}


@pytest.mark.parametrize(
    ("name", "content", "message_part"),
    [
        pytest.param("stock.csv", b"", "vide", id="empty"),
        pytest.param("stock.pdf", b"%PDF-1.4", "CSV", id="not-csv"),
        pytest.param("stock.csv", b"sku,on_hand\nA,1\n", "sequence", id="missing-column"),
        pytest.param("stock.csv", "sku,on_hand,sequence".encode("utf-16"), "UTF-8",
                     id="utf-16"),
        pytest.param("stock.csv", b"sku;on_hand;sequence\nARD-001;4;1;extra\n", "row",
                     id="row-wider-than-header"),
        pytest.param("stock.xlsx", b"PK\x03\x04garbage", "XLSX", id="broken-xlsx"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_clear_error(lyon_store, name, content, message_part):
    with pytest.raises(StockFeedRejected) as rejected:
        read_feed_file(SimpleUploadedFile(name, content))

    assert message_part in " ".join(error.message + error.field for error in rejected.value.errors)


def test_a_file_saved_by_excel_for_windows_is_read_as_cp1252(lyon_store, catalogue):
    upload = SimpleUploadedFile(
        "stock.csv", "SKU;On hand;Quantité;sequence\nARD-001;4;;1\n".encode("cp1252")
    )

    rows = read_feed_file(upload)

    assert rows == [{"_row": 2, "sku": "ARD-001", "on_hand": "4", "quantité": "", "sequence": "1"}]
    feed(lyon_store, rows)
    assert levels(lyon_store) == {"ARD-001": (4, None)}


def test_a_100000_row_batch_goes_through_the_bulk_path(
    lyon_store, db, django_assert_max_num_queries
):
    category = CategoryFactory()
    product = ProductFactory(category=category)
    from catalog.models import Variant

    Variant.objects.bulk_create(
        Variant(product=product, sku=f"BULK-{n:06d}", rrp_cents=500) for n in range(100_000)
    )
    rows = [{"sku": f"BULK-{n:06d}", "on_hand": n % 7, "sequence": 1} for n in range(100_000)]

    with django_assert_max_num_queries(60):
        result = feed(lyon_store, rows)

    assert result.bulk
    assert result.applied == 100_000
    assert StockLevel.objects.for_store(lyon_store).count() == 100_000
    assert StockMovement.objects.filter(store=lyon_store).count() == sum(
        1 for n in range(100_000) if n % 7
    )


def test_errors_found_in_sql_name_the_row_and_field_of_each_bad_row(
    lyon_store, catalogue, feed_path
):
    rows = [
        {"sku": "ARD-001", "on_hand": 1, "sequence": 1},
        {"sku": "GONE-1", "on_hand": 1, "sequence": 1},
        {"sku": "ARD-002", "on_hand": 1, "price_cents": 500, "sequence": 1},
        {"sku": "", "on_hand": 1, "sequence": 1},
        {"sku": "ARD-003", "on_hand": 1, "price_cents": 5000, "sequence": 1},
    ]

    with pytest.raises(StockFeedRejected) as rejected:
        feed(lyon_store, rows)

    errors = rejected.value.errors
    assert [(error.row, error.field) for error in errors] == [
        (2, "sku"),
        (3, "price"),
        (4, "sku"),
        (5, "price"),
    ]
    assert "GONE-1" in errors[0].message
    assert "8,00" in errors[1].message
    assert "12,00" in errors[3].message
    assert rejected.value.error_count == 4
    assert not StockLevel.objects.exists()


def test_same_sku_and_position_with_other_values_is_rejected(lyon_store, catalogue, feed_path):
    rows = [
        {"sku": "ARD-001", "on_hand": 1, "sequence": 4},
        {"sku": "ARD-001", "on_hand": 2, "sequence": 4},
    ]

    with pytest.raises(StockFeedRejected) as rejected:
        feed(lyon_store, rows)

    assert [(error.row, error.field) for error in rejected.value.errors] == [(2, "sequence")]


def test_a_quantity_too_large_for_the_database_is_a_row_error(lyon_store, catalogue, feed_path):
    rows = [{"sku": "ARD-001", "on_hand": 2**40, "sequence": 1}]

    with pytest.raises(StockFeedRejected) as rejected:
        feed(lyon_store, rows)

    assert [(error.row, error.field) for error in rejected.value.errors] == [(1, "on_hand")]


def test_a_large_bad_batch_reports_the_first_errors_and_counts_them_all(lyon_store, catalogue):
    rows = [{"sku": f"NOPE-{n}", "on_hand": 1, "sequence": 1} for n in range(1, 801)]

    with pytest.raises(StockFeedRejected) as rejected:
        feed(lyon_store, rows)

    assert rejected.value.error_count == 800
    assert len(rejected.value.errors) == feeds_module.MAX_REPORTED_ERRORS
    assert rejected.value.errors[0].row == 1


def hot_updates():
    """(updates, HOT updates) of the stock table in this transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            [StockLevel._meta.db_table],
        )
        return cursor.fetchone() or (0, 0)


def test_a_quantity_change_rewrites_the_stock_row_in_place(lyon_store, catalogue):
    """No index entry is written for a quantity change that keeps the row in stock (a HOT
    update): what lets a feed rewrite 100,000 rows quickly (see StockLevel)."""
    feed(lyon_store, [{"sku": "ARD-001", "on_hand": 5, "sequence": 1}])
    updates, hot = hot_updates()

    feed(lyon_store, [{"sku": "ARD-001", "on_hand": 7, "sequence": 2}])
    feed(lyon_store, [{"sku": "ARD-001", "on_hand": 0, "sequence": 3}])  # out of stock: indexed

    assert hot_updates() == (updates + 2, hot + 1)
    assert not StockLevel.objects.get(store=lyon_store).in_stock
