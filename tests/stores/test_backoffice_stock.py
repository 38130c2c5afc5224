"""The store back-office's stock & prices page, its inline edit and the movements page."""

import pytest
from django.contrib.messages import get_messages

from stores.models import StockLevel, StockMovement
from stores.services import adjust_on_hand
from tests.factories import CategoryFactory, ProductFactory, StockLevelFactory, VariantFactory


def stock_url(store, suffix=""):
    return f"/store/{store.slug}/stock/{suffix}"


def row_post(level, *, on_hand, price="", on_hand_was=None, price_was="__same__"):
    """The POST of one row's form, as the page sends it."""
    prefix = f"s{level.pk}"
    data = {
        f"{prefix}-on_hand": on_hand,
        f"{prefix}-on_hand_was": level.on_hand if on_hand_was is None else on_hand_was,
        f"{prefix}-price": price,
    }
    was = level.price_cents if price_was == "__same__" else price_was
    data[f"{prefix}-price_was"] = "" if was is None else was
    return data


# The list --------------------------------------------------------------------------------


def test_stock_page_lists_the_stores_rows_with_rrp_and_hq_bounds(
    client, lyon_owner, lyon_store, lyon_stock, paris_stock
):
    client.force_login(lyon_owner)

    response = client.get(stock_url(lyon_store))

    assert response.status_code == 200
    html = response.content.decode()
    assert [row["level"].variant.sku for row in response.context["rows"]] == [
        "ARD-ARR-10",
        "ARD-SEC-01",
    ]
    assert 'data-testid="stock-row-ARD-SEC-01"' in html
    assert "29,90\u00a0€" in html  # the secateur's RRP
    assert "26,91\u00a0€ \u2013 32,89\u00a0€" in html  # HQ's bounds: 90 % to 110 % of the RRP
    assert 'value="12,50"' in html  # the watering can's store price, editable
    assert len(response.context["rows"]) == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "ARD-SEC"}, ["ARD-SEC-01"]),
        ({"q": "arrosoir"}, ["ARD-ARR-10"]),
        ({"availability": "available"}, ["ARD-SEC-01"]),
        ({"availability": "unavailable"}, ["ARD-ARR-10"]),
    ],
    ids=["by-sku", "by-product-name", "available", "unavailable"],
)
def test_stock_page_searches_and_filters(
    client, lyon_owner, lyon_store, lyon_stock, params, expected
):
    client.force_login(lyon_owner)

    response = client.get(stock_url(lyon_store), params)

    assert [row["level"].variant.sku for row in response.context["rows"]] == expected


def test_stock_page_finds_a_row_by_gtin(client, lyon_owner, lyon_store, lyon_stock):
    client.force_login(lyon_owner)
    gtin = lyon_stock["secateur"].variant.gtin

    response = client.get(stock_url(lyon_store), {"q": gtin})

    assert [row["level"].variant.sku for row in response.context["rows"]] == ["ARD-SEC-01"]


def test_stock_page_filters_by_category_and_its_subcategories(
    client, lyon_owner, lyon_store, lyon_stock, garden_tools
):
    pruning = CategoryFactory(name="Taille", parent=garden_tools)
    shears = VariantFactory(product=ProductFactory(category=pruning), sku="ARD-CIS-01")
    StockLevelFactory(store=lyon_store, variant=shears)
    elsewhere = VariantFactory(sku="ARD-OTHER")
    StockLevelFactory(store=lyon_store, variant=elsewhere)
    client.force_login(lyon_owner)

    response = client.get(stock_url(lyon_store), {"category": garden_tools.pk})

    skus = {row["level"].variant.sku for row in response.context["rows"]}
    assert skus == {"ARD-ARR-10", "ARD-SEC-01", "ARD-CIS-01"}


def test_stock_page_shows_fifty_rows_a_page_with_bounded_queries(
    client, lyon_owner, lyon_store, garden_tools, django_assert_max_num_queries
):
    product = ProductFactory(category=garden_tools)
    for n in range(60):
        StockLevelFactory(
            store=lyon_store, variant=VariantFactory(product=product, sku=f"ARD-P{n:03d}")
        )
    client.force_login(lyon_owner)

    # 13: every back-office page also reads the terms awaiting the store's decision (the P2B
    # banner).
    with django_assert_max_num_queries(13):
        first = client.get(stock_url(lyon_store))
    with django_assert_max_num_queries(14):
        second = client.get(
            stock_url(lyon_store), {"page": 2, "category": garden_tools.pk, "q": "ARD"}
        )

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 10
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize(
    "query",
    ["secateur", "SECATEUR ardoise", "sécateur", "Secat"],
    ids=["no-accent", "two-words-any-case", "with-accent", "start-of-word"],
)
def test_stock_search_ignores_accents_like_the_storefront(
    client, lyon_owner, lyon_store, lyon_stock, query
):
    # Given the secateur is named "Sécateur Ardoise"
    level = lyon_stock["secateur"]
    level.variant.product.name = "Sécateur Ardoise"
    level.variant.product.save(update_fields=["name"])
    client.force_login(lyon_owner)

    response = client.get(stock_url(lyon_store), {"q": query})

    assert [row["level"].variant.sku for row in response.context["rows"]] == ["ARD-SEC-01"]


@pytest.mark.parametrize(
    ("per_page", "rows", "error"),
    [("25", 25, False), ("100", 60, False), ("5000", 50, True)],
    ids=["25", "100", "beyond-the-bound-refused"],
)
def test_stock_page_size_is_chosen_within_a_bound_and_keeps_the_filters(
    client, lyon_owner, lyon_store, garden_tools, per_page, rows, error
):
    product = ProductFactory(category=garden_tools)
    for n in range(60):
        StockLevelFactory(
            store=lyon_store, variant=VariantFactory(product=product, sku=f"ARD-P{n:03d}")
        )
    client.force_login(lyon_owner)

    response = client.get(stock_url(lyon_store), {"per_page": per_page, "q": "ARD-P"})

    assert response.status_code == 200
    assert len(response.context["rows"]) == rows
    assert bool(response.context["filters"].errors) is error
    if rows < 60:
        html = response.content.decode()
        assert f"?per_page={per_page}&amp;q=ARD-P&amp;page=2" in html


# Inline edit -------------------------------------------------------------------------------


def test_owner_sets_stock_and_a_price_within_bounds(client, lyon_owner, lyon_store, lyon_stock):
    level = lyon_stock["secateur"]
    client.force_login(lyon_owner)

    response = client.post(
        stock_url(lyon_store, f"{level.pk}/") + "?q=ARD",
        row_post(level, on_hand=5, price="27,50"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{stock_url(lyon_store)}?q=ARD#stock-{level.pk}"
    level.refresh_from_db()
    assert (level.on_hand, level.price_cents) == (5, 2750)
    movement = StockMovement.objects.get(store=lyon_store)
    assert (movement.delta, movement.source, movement.actor_label) == (
        -3,
        StockMovement.Source.BACKOFFICE,
        lyon_owner.email,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["ARD-SEC-01 enregistré."]


def test_price_out_of_bounds_is_shown_next_to_the_row_and_changes_nothing(
    client, lyon_owner, lyon_store, lyon_stock
):
    level = lyon_stock["secateur"]
    client.force_login(lyon_owner)

    response = client.post(
        stock_url(lyon_store, f"{level.pk}/"), row_post(level, on_hand=2, price="35,00")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="price-error"' in html
    assert "32,89\xa0€" in html  # the bound the price went over
    assert 'value="35,00"' in html  # what the owner typed is kept
    level.refresh_from_db()
    assert (level.on_hand, level.price_cents) == (8, None)
    assert not StockMovement.objects.exists()


def test_empty_price_sells_at_the_rrp(client, lyon_owner, lyon_store, lyon_stock):
    level = lyon_stock["watering_can"]
    client.force_login(lyon_owner)

    response = client.post(stock_url(lyon_store, f"{level.pk}/"), row_post(level, on_hand=0))

    assert response.status_code == 302
    level.refresh_from_db()
    assert level.price_cents is None
    assert level.effective_price_cents == 1200


@pytest.mark.parametrize(
    ("on_hand", "price"),
    [("-1", ""), ("deux", ""), ("3", "douze"), ("3", "0"), ("3", "12,999")],
    ids=["negative", "not-a-number", "price-not-a-number", "price-zero", "three-decimals"],
)
def test_invalid_row_is_a_400_with_the_error_and_changes_nothing(
    client, lyon_owner, lyon_store, lyon_stock, on_hand, price
):
    level = lyon_stock["secateur"]
    client.force_login(lyon_owner)

    response = client.post(
        stock_url(lyon_store, f"{level.pk}/"), row_post(level, on_hand=on_hand, price=price)
    )

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    level.refresh_from_db()
    assert (level.on_hand, level.price_cents) == (8, None)


def test_saving_a_price_does_not_undo_a_sale_made_meanwhile(
    client, lyon_owner, lyon_store, lyon_stock
):
    level = lyon_stock["secateur"]
    form = row_post(level, on_hand=8, price="28,00")  # the page showed 8 on hand
    adjust_on_hand(
        store=lyon_store,
        variant=level.variant,
        delta=-1,
        reason=StockMovement.Reason.SALE,
        source="system",
        actor=None,
    )
    client.force_login(lyon_owner)

    client.post(stock_url(lyon_store, f"{level.pk}/"), form)

    level.refresh_from_db()
    assert (level.on_hand, level.price_cents) == (7, 2800)


def test_staff_member_counts_stock_but_cannot_price(client, lyon_staff, lyon_store, lyon_stock):
    level = lyon_stock["secateur"]
    client.force_login(lyon_staff)

    page = client.get(stock_url(lyon_store))
    response = client.post(
        stock_url(lyon_store, f"{level.pk}/"), row_post(level, on_hand=6, price="27,00")
    )

    assert f'name="s{level.pk}-price"' not in page.content.decode()
    assert response.status_code == 302
    level.refresh_from_db()
    assert (level.on_hand, level.price_cents) == (6, None)


def test_hq_edits_any_stores_stock(client, hq_admin, paris_store, paris_stock):
    client.force_login(hq_admin)

    response = client.post(
        stock_url(paris_store, f"{paris_stock.pk}/"),
        row_post(paris_stock, on_hand=4, price="30,00"),
    )

    assert response.status_code == 302
    paris_stock.refresh_from_db()
    assert (paris_stock.on_hand, paris_stock.price_cents) == (4, 3000)


def test_another_stores_row_is_not_found_even_through_ones_own_store(
    client, lyon_owner, lyon_store, lyon_stock, paris_stock
):
    client.force_login(lyon_owner)

    response = client.post(
        stock_url(lyon_store, f"{paris_stock.pk}/"), row_post(paris_stock, on_hand=0)
    )

    assert response.status_code == 404
    paris_stock.refresh_from_db()
    assert paris_stock.on_hand == 3


def test_inline_edit_with_javascript_returns_the_new_row(
    client, lyon_owner, lyon_store, lyon_stock
):
    level = lyon_stock["secateur"]
    client.force_login(lyon_owner)

    saved = client.post(
        stock_url(lyon_store, f"{level.pk}/"),
        row_post(level, on_hand=9, price="27,00"),
        HTTP_ACCEPT="application/json",
    )
    refused = client.post(
        stock_url(lyon_store, f"{level.pk}/"),
        row_post(StockLevel.objects.get(pk=level.pk), on_hand=9, price="20,00"),
        HTTP_ACCEPT="application/json",
    )

    assert saved.status_code == 200
    assert saved.json()["ok"] is True
    assert 'value="27,00"' in saved.json()["row"]
    assert f'id="stock-{level.pk}"' in saved.json()["row"]
    assert refused.status_code == 400
    assert refused.json()["ok"] is False
    assert "26,91\xa0€" in refused.json()["row"]
    level.refresh_from_db()
    assert (level.on_hand, level.price_cents) == (9, 2700)


# Movements -----------------------------------------------------------------------------------


@pytest.fixture
def lyon_movements(lyon_store, lyon_stock, lyon_owner):
    from stores.services import set_on_hand

    secateur, can = lyon_stock["secateur"].variant, lyon_stock["watering_can"].variant
    set_on_hand(store=lyon_store, variant=secateur, on_hand=5, source="backoffice", actor="x")
    set_on_hand(store=lyon_store, variant=can, on_hand=4, source="backoffice", actor="x")
    adjust_on_hand(
        store=lyon_store, variant=secateur, delta=-1, reason="sale", source="system", actor=None
    )


def test_movements_page_lists_the_stores_movements_newest_first(
    client, lyon_owner, lyon_store, lyon_movements
):
    client.force_login(lyon_owner)

    response = client.get(stock_url(lyon_store, "movements/"))

    assert response.status_code == 200
    assert [(m.variant.sku, m.delta) for m in response.context["page"]] == [
        ("ARD-SEC-01", -1),
        ("ARD-ARR-10", 4),
        ("ARD-SEC-01", -3),
    ]


def test_movements_page_filters_by_sku_and_reason(client, lyon_owner, lyon_store, lyon_movements):
    client.force_login(lyon_owner)

    by_sku = client.get(stock_url(lyon_store, "movements/"), {"sku": "ARD-SEC-01"})
    by_reason = client.get(stock_url(lyon_store, "movements/"), {"reason": "sale"})
    unknown = client.get(stock_url(lyon_store, "movements/"), {"sku": "NOPE"})

    assert [m.delta for m in by_sku.context["page"]] == [-1, -3]
    assert [m.delta for m in by_reason.context["page"]] == [-1]
    assert list(unknown.context["page"]) == []
    assert unknown.context["filters"].errors["sku"]


def test_movements_page_is_paginated_with_bounded_queries(
    client, lyon_owner, lyon_store, lyon_stock, django_assert_max_num_queries
):
    level = lyon_stock["secateur"]
    for _n in range(55):
        adjust_on_hand(
            store=lyon_store, variant=level.variant, delta=1, reason="return", source="system",
            actor=None,
        )  # fmt: skip
    client.force_login(lyon_owner)

    # 11 with the P2B terms banner's query (compliance.templatetags.p2b).
    with django_assert_max_num_queries(11):
        response = client.get(stock_url(lyon_store, "movements/"), {"sku": "ARD-SEC-01"})

    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 55


def test_each_stock_row_links_to_its_movements(client, lyon_owner, lyon_store, lyon_stock):
    client.force_login(lyon_owner)

    response = client.get(stock_url(lyon_store))

    assert f"{stock_url(lyon_store, 'movements/')}?sku=ARD-SEC-01" in response.content.decode()


def test_dashboard_links_to_the_stock_pages(client, lyon_owner, lyon_store, lyon_stock):
    client.force_login(lyon_owner)

    response = client.get(f"/store/{lyon_store.slug}/")

    html = response.content.decode()
    assert response.context["stock_summary"] == {
        "rows": 2,
        "available_rows": 1,
        "units_available": 8,
    }
    for url in (stock_url(lyon_store), stock_url(lyon_store, "import/")):
        assert f'href="{url}"' in html
