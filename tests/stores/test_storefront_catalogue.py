"""The storefront's catalogue and store pages: category listings, product search, the product
page with its "available near you" panel, the store locator and the store pages."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from catalog.models import ProductImage
from stores.opening_hours import describe_status, opening_status
from tests.factories import ProductFactory, StockLevelFactory, VariantFactory

from .factories import WEEKDAYS_9_TO_19, build_network, many_stores_with

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def network(db):
    return build_network()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def product_names(response) -> list[str]:
    return [product.name for product in response.context["page"].object_list]


def nearby_store_names(response) -> list[str]:
    return [offer.store.name for offer in response.context["offers"]]


# Category listing -------------------------------------------------------------------------


def test_category_lists_published_products_of_its_descendant_categories(client, network):
    response = client.get("/c/jardin/")

    assert sorted(product_names(response)) == [
        "Arrosoir 10 L",
        "Cisaille à haie",
        "Sécateur Pro 20",
        "Tuyau d'arrosage 25 m",
    ]


def test_product_images_show_on_the_card_and_the_page(client, network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ProductImage.objects.create(
        product=network.pruner,
        file=SimpleUploadedFile("secateur.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        alt="Le sécateur, lame ouverte",
    )

    listing = html_of(client.get("/c/secateurs/"))
    page = html_of(client.get("/p/secateur-pro-20/"))

    assert re.search(r'<img src="/media/products/secateur[^"]*\.png" alt=""', listing)
    assert 'alt="Le sécateur, lame ouverte"' in page


def test_drafts_and_archived_products_are_not_listed(client, network):
    html = html_of(client.get("/c/secateurs/"))

    assert "Sécateur Pro 20" in html
    assert "prototype" not in html
    assert "ancien" not in html


def test_product_card_shows_the_lowest_live_price_or_the_recommended_price(client, network):
    response = client.get("/c/jardin/")
    cards = {product.name: product for product in response.context["page"].object_list}
    html = html_of(response)

    # The suspended store's 19,90 € does not count; Presqu'île's 27,90 € is the lowest.
    assert cards["Sécateur Pro 20"].from_price_cents == 2790
    assert cards["Sécateur Pro 20"].store_count == 4  # Part-Dieu has the 25 mm
    # No live offer: the recommended price, and the card says it is unavailable.
    assert cards["Arrosoir 10 L"].from_price_cents == 1590
    assert cards["Arrosoir 10 L"].store_count == 0
    assert "à partir de" in html
    assert "27,90\xa0€" in html
    assert "En stock dans 4 magasins" in html
    assert "Livrable à domicile" in html
    assert "Actuellement indisponible" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sub": "arrosage"}, ["Arrosoir 10 L", "Tuyau d'arrosage 25 m"]),
        ({"sub": "outils-de-jardin"}, ["Cisaille à haie", "Sécateur Pro 20"]),
        ({"brand": ["Ardoise"]}, ["Arrosoir 10 L", "Sécateur Pro 20"]),
        ({"brand": ["Fiskars", "Hozelock"]}, ["Cisaille à haie", "Tuyau d'arrosage 25 m"]),
        ({"min_price": "20", "max_price": "50"}, ["Sécateur Pro 20", "Tuyau d'arrosage 25 m"]),
        ({"max_price": "27,90"}, ["Arrosoir 10 L", "Sécateur Pro 20"]),
        ({"in_stock": "on"}, ["Cisaille à haie", "Sécateur Pro 20", "Tuyau d'arrosage 25 m"]),
    ],
    ids=[
        "subcategory",
        "deeper-subcategory",
        "brand",
        "brands",
        "price-range",
        "french-decimal",
        "in-stock",
    ],
)
def test_listing_filters(client, network, params, expected):
    response = client.get("/c/jardin/", params)

    assert sorted(product_names(response)) == expected


def test_available_near_me_keeps_what_a_selling_store_nearby_has(client, network):
    response = client.get("/c/jardin/", {"near": "on", "postal_code": "69002"})

    # The hose is only in the warehouse, the shears only in Paris.
    assert product_names(response) == ["Sécateur Pro 20"]
    assert "Près de 69002 Lyon" in html_of(response)


def test_available_near_me_without_a_postal_code_asks_for_one(client, network):
    response = client.get("/c/jardin/", {"near": "on"})

    assert len(product_names(response)) == 4
    assert "Indiquez votre code postal" in html_of(response)


def test_listing_sorts_by_price_both_ways(client, network):
    ascending = product_names(client.get("/c/jardin/", {"sort": "price"}))
    descending = product_names(client.get("/c/jardin/", {"sort": "-price"}))

    assert ascending == [
        "Arrosoir 10 L",
        "Sécateur Pro 20",
        "Tuyau d'arrosage 25 m",
        "Cisaille à haie",
    ]
    assert descending == list(reversed(ascending))


def test_listing_paginates_24_products_a_page(client, network):
    for index in range(30):
        VariantFactory(product=ProductFactory(name=f"Graines {index:02d}", category=network.garden))

    first = client.get("/c/jardin/")
    last = client.get("/c/jardin/", {"page": "2"})

    assert len(product_names(first)) == 24
    assert len(product_names(last)) == 34 - 24
    assert "34 produits" in html_of(first)
    assert 'href="?page=2"' in html_of(first)


def test_categories_menu_lists_the_top_categories(client, network):
    html = html_of(client.get("/"))

    assert 'href="/c/jardin/"' in html
    assert 'href="/c/bricolage/"' in html
    assert 'href="/c/secateurs/"' not in html


def test_unknown_category_is_404(client, network):
    assert client.get("/c/nothing-here/").status_code == 404


BAD_LISTING_PARAMS = [
    "page=abc",
    "page=-3",
    "page=99999",
    "sort=drop table",
    "min_price=abc&max_price=-5",
    "min_price=50&max_price=10",
    "min_price=1e400",
    "brand=Unknown",
    "sub=not-a-child",
    "near=on&postal_code=99999",
    "near=on&postal_code=12",
    "postal_code=" + "9" * 500,
    "in_stock=maybe",
]


@pytest.mark.parametrize("query", BAD_LISTING_PARAMS)
def test_bad_listing_parameters_never_fail(client, network, query):
    response = client.get(f"/c/jardin/?{query}")

    assert response.status_code == 200


def test_listing_query_count_does_not_grow_with_the_products(
    client, network, django_assert_max_num_queries
):
    for index in range(40):
        variant = VariantFactory(product=ProductFactory(category=network.pruners))
        StockLevelFactory(store=network.presquile, variant=variant, on_hand=index + 1)

    with django_assert_max_num_queries(7):
        response = client.get("/c/jardin/", {"in_stock": "on", "sort": "price"})
    assert len(product_names(response)) == 24


# Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "sécateur pro",
        "secateur PRO",
        "SEC-PRO-25",
        "sec-pro",
        "3760001000023",
        "Ardoise lame",
        "branches vertes",
    ],
    ids=[
        "name",
        "name-without-accents",
        "sku",
        "sku-start",
        "gtin",
        "brand-and-description",
        "description",
    ],
)
def test_search_finds_products(client, network, query):
    response = client.get("/search/", {"q": query})

    assert "Sécateur Pro 20" in product_names(response)


@pytest.mark.parametrize("query", ["saint etienne", "Saint-Etienne", "SAINT-ÉTIENNE"])
def test_store_search_ignores_accents_and_hyphens(client, network, query):
    from tests.factories import StoreFactory

    StoreFactory(name="Ardoise Saint-Étienne Centre", city="Saint-Étienne", postal_code="42000")

    html = html_of(client.get("/search/", {"q": query}))

    assert "Ardoise Saint-Étienne Centre" in html[html.index('id="store-results"') :]


def test_search_never_shows_drafts(client, network):
    assert product_names(client.get("/search/", {"q": "prototype"})) == []
    assert product_names(client.get("/search/", {"q": "SEC-PROTO"})) == []


def test_search_shows_products_first_then_stores(client, network):
    html = html_of(client.get("/search/", {"q": "Lyon"}))
    product_section = html.index('id="product-results"')
    store_section = html.index('id="store-results"')

    assert product_section < store_section
    assert escape(network.presquile.name) in html[store_section:]


@pytest.fixture
def drills_and_screws(network):
    """Two drills, a drill bit and wood screws whose description mentions "auto-perceuse"."""
    for name, description in [
        ("Vis à bois tête fraisée", "Vis à bois, pointe auto-perceuse et filetage partiel."),
        ("Perceuse-visseuse sans fil 18 V", "Deux vitesses, mandrin automatique."),
        ("Foret pour perceuse", "Foret acier pour bois."),
        ("Perceuse à percussion", "Pour le béton."),
    ]:
        VariantFactory(
            product=ProductFactory(name=name, description=description, category=network.garden)
        )


def test_search_ranks_names_first_and_leaves_out_mere_description_mentions(
    client, drills_and_screws
):
    names = product_names(client.get("/search/", {"q": "perceuse"}))

    # Names that start with the word first, then names holding it; the screws are not drills
    assert names == [
        "Perceuse à percussion",
        "Perceuse-visseuse sans fil 18 V",
        "Foret pour perceuse",
    ]


def test_search_falls_back_to_descriptions_when_no_name_matches(client, drills_and_screws):
    assert product_names(client.get("/search/", {"q": "auto-perceuse"})) == [
        "Vis à bois tête fraisée"
    ]
    assert product_names(client.get("/search/", {"q": "filetage"})) == ["Vis à bois tête fraisée"]


def test_search_shows_no_stores_block_when_no_store_matches(client, drills_and_screws):
    html = html_of(client.get("/search/", {"q": "perceuse"}))

    assert 'id="store-results"' not in html
    assert "Magasins" not in html[html.index('id="product-results"') :]


def test_search_exact_reference_comes_first(client, network):
    VariantFactory(product=ProductFactory(name="Aaa support SEC-PRO-25", category=network.garden))

    assert product_names(client.get("/search/", {"q": "SEC-PRO-25"}))[0] == "Sécateur Pro 20"


def test_search_by_reference_opens_the_product_on_that_model(client, network):
    html = html_of(client.get("/search/", {"q": "3760001000023"}))

    assert 'href="/p/secateur-pro-20/?variant=SEC-PRO-25"' in html


def test_search_paginates_products(client, network):
    for index in range(26):
        VariantFactory(product=ProductFactory(name=f"Gant {index:02d}", category=network.garden))

    second = client.get("/search/", {"q": "gant", "page": "2"})

    assert len(product_names(second)) == 2
    assert 'id="store-results"' not in html_of(second)


def test_search_query_count_does_not_grow_with_the_results(
    client, network, django_assert_max_num_queries
):
    for index in range(30):
        variant = VariantFactory(product=ProductFactory(name=f"Gant {index:02d}"))
        StockLevelFactory(store=network.presquile, variant=variant)

    # A cold cache: HQ's storefront policy is read once (tests/stores/test_storefront_cache.py
    # pins the warm count).
    with django_assert_max_num_queries(7):
        response = client.get("/search/", {"q": "gant"})
    assert len(product_names(response)) == 24


@pytest.mark.parametrize("query", ["%", "'", "a" * 300, "page", "\\", "\x00", "lyon\x00"])
def test_odd_searches_never_fail(client, network, query):
    assert client.get("/search/", {"q": query, "page": "x"}).status_code == 200


# Product page -----------------------------------------------------------------------------


def test_product_page_shows_recommended_price_store_range_and_vat(client, network):
    html = html_of(client.get("/p/secateur-pro-20/"))

    assert "Sécateur Pro 20" in html
    assert "29,90\xa0€" in html  # HQ's recommended price of the first variant
    assert "En magasin\xa0: de 27,90\xa0€ à 29,90\xa0€" in html
    assert "TVA de 20 % incluse" in html
    assert "Acier trempé" in html
    assert "Indiquez votre code postal" in html


def test_product_page_variant_is_chosen_by_sku(client, network):
    response = client.get("/p/secateur-pro-20/", {"variant": "SEC-PRO-25"})
    html = html_of(response)

    assert response.context["variant"] == network.pruner_25
    assert re.search(r'value="SEC-PRO-25"\s+checked', html)
    assert "34,90\xa0€" in html
    assert "En magasin\xa0: 32,90\xa0€" in html


def test_unknown_variant_falls_back_to_the_first_one(client, network):
    response = client.get("/p/secateur-pro-20/", {"variant": "<script>"})

    assert response.status_code == 200
    assert response.context["variant"] == network.pruner_20


def test_draft_product_has_no_page(client, network):
    assert client.get("/p/secateur-prototype/").status_code == 404


def test_nearby_stores_are_ordered_by_distance_and_have_the_variant_available(client, network):
    response = client.get("/p/secateur-pro-20/", {"postal_code": "69002"})
    html = html_of(response)

    # Part-Dieu's only unit is safety stock, Confluence is suspended, Paris is too far,
    # the warehouse does not receive customers.
    assert nearby_store_names(response) == [
        "Ardoise Lyon Presqu'île",
        "Ardoise Villeurbanne Gratte-Ciel",
    ]
    assert [offer.price_cents for offer in response.context["offers"]] == [2790, 2990]
    assert "En stock" in html
    assert "Derniers articles" in html
    assert 'id="availability-map"' in html
    points = json.loads(
        re.search(r'<script id="availability-map-points"[^>]*>(.*?)</script>', html).group(1)
    )
    assert [point["name"] for point in points] == nearby_store_names(response)


def test_nearby_stores_follow_the_chosen_variant(client, network):
    response = client.get("/p/secateur-pro-20/", {"postal_code": "69100", "variant": "SEC-PRO-25"})

    assert nearby_store_names(response) == ["Ardoise Lyon Part-Dieu"]


def test_postal_code_is_remembered_for_the_next_pages(client, network):
    client.get("/p/secateur-pro-20/", {"postal_code": "75011"})

    product = client.get("/p/secateur-pro-20/")
    locator = client.get("/stores/")

    assert nearby_store_names(product) == ["Ardoise Paris Bastille"]
    assert locator.context["nearest"][0] == network.bastille


def test_unknown_postal_code_gets_a_clear_message(client, network):
    response = client.get("/p/secateur-pro-20/", {"postal_code": "99999"})
    html = html_of(response)

    assert response.context["offers"] == []
    assert "Nous ne connaissons pas «\xa099999\xa0»" in html


def test_malformed_postal_code_gets_a_clear_message(client, network):
    html = html_of(client.get("/p/secateur-pro-20/", {"postal_code": "690"}))

    assert "Un code postal français a 5 chiffres." in html


def test_no_store_nearby_says_so(client, network):
    response = client.get("/p/cisaille-a-haie/", {"postal_code": "69002"})

    assert response.context["offers"] == []
    assert 'data-testid="no-nearby-store"' in html_of(response)


def test_browser_position_lists_the_nearby_stores(client, network):
    response = client.get("/p/secateur-pro-20/", {"lat": "45.7700", "lng": "4.8800"})

    assert nearby_store_names(response)[0] == "Ardoise Villeurbanne Gratte-Ciel"


BAD_PRODUCT_PARAMS = [
    "lat=abc&lng=4.8",
    "lat=999&lng=4.8",
    "lat=nan&lng=inf",
    "lat=45.7",
    "postal_code=%00",
    "postal_code=" + "6" * 400,
    "variant=" + "x" * 400,
    "variant=SEC-PRO-25&variant=SEC-PRO-20",
]


@pytest.mark.parametrize("query", BAD_PRODUCT_PARAMS)
def test_bad_product_parameters_never_fail(client, network, query):
    assert client.get(f"/p/secateur-pro-20/?{query}").status_code == 200


def test_product_page_query_count_is_bounded_with_many_stores_nearby(
    client, network, django_assert_max_num_queries
):
    many_stores_with(network.pruner_20, 35)
    client.get("/p/secateur-pro-20/", {"postal_code": "69002"})  # remembers the location

    # 10 since the nearby offers' reductions (one query for all of them, whatever their number);
    # 13 with the offer to send it to a store that lacks it (HQ's policy, the stores near, one
    # source), whatever the number of stores; 14 since the near-me offers read their quantities
    # apart from the index (one query for the ten); 15 since each offer shows its seller's
    # identity with its self-certification (DSA art. 30(7); one query for the ten).
    with django_assert_max_num_queries(15):
        response = client.get("/p/secateur-pro-20/")
    assert len(response.context["offers"]) == 10


# Store locator and store pages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "nearest"),
    [
        ("69100", "Ardoise Villeurbanne Gratte-Ciel"),
        ("Villeurbanne", "Ardoise Villeurbanne Gratte-Ciel"),
        ("villeur", "Ardoise Villeurbanne Gratte-Ciel"),
        ("75011", "Ardoise Paris Bastille"),
    ],
    ids=["postal-code", "town", "start-of-town", "paris"],
)
def test_store_locator_lists_the_nearest_stores_with_their_distance(
    client, network, query, nearest
):
    response = client.get("/stores/", {"q": query})
    stores = response.context["nearest"]

    assert stores[0].name == nearest
    assert [store.distance_km for store in stores] == sorted(s.distance_km for s in stores)
    assert network.warehouse not in stores
    assert network.suspended not in stores
    assert " km</span>" in html_of(response)


def test_store_locator_with_an_unknown_place_says_so_and_lists_all_stores(client, network):
    response = client.get("/stores/", {"q": "Atlantide"})
    html = html_of(response)

    assert "Nous ne connaissons pas «\xa0Atlantide\xa0»" in html
    assert len(response.context["stores"]) == 4
    assert 'id="stores-map"' in html


def test_store_page_shows_hours_services_and_products_available_here(client, network):
    html = html_of(client.get("/stores/villeurbanne-gratte-ciel/"))

    assert "Horaires d'ouverture" in html
    assert re.search(r"09:00 \u2013 12:30</span>, <span[^>]*>14:00 \u2013 19:00", html)
    assert "Fermé" in html  # Sunday
    assert "Retrait en magasin" in html
    assert "Expédition depuis le magasin" not in html  # this store does not ship
    assert "Sécateur Pro 20" in html
    assert "Cisaille à haie" not in html


def test_store_page_publishes_schema_org_structured_data(client, network, settings):
    settings.SITE_URL = "https://shop.ardoise.example"
    html = html_of(client.get("/stores/lyon-presquile/"))
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))

    assert data["@type"] == "Store"
    assert data["name"] == "Ardoise Lyon Presqu'île"
    # At the site's public address, as the sitemap and the canonical link name it.
    assert data["url"] == "https://shop.ardoise.example/stores/lyon-presquile/"
    assert data["telephone"] == "+33 4 72 00 00 01"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 45.7612, "longitude": 4.8336}
    assert data["address"]["postalCode"] == "69002"
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Saturday",
        "opens": "09:30",
        "closes": "18:00",
    } in data["openingHoursSpecification"]


def test_structured_data_cannot_be_broken_out_of(client, network):
    network.presquile.name = "</script><script>alert(1)</script>"
    network.presquile.save()

    html = html_of(client.get("/stores/lyon-presquile/"))

    assert "<script>alert(1)" not in html


def test_store_pages_query_counts_are_bounded(client, network, django_assert_max_num_queries):
    many_stores_with(network.pruner_20, 35)

    # One of them reads HQ's storefront policy (how long the menu may be kept): once a process.
    with django_assert_max_num_queries(6):
        client.get("/stores/lyon-presquile/")
    with django_assert_max_num_queries(4):  # the place is remembered in a cookie, no session
        client.get("/stores/", {"q": "69002"})


# Opening hours ----------------------------------------------------------------------------


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the week of Monday 2 June 2025, Paris time."""
    return datetime(2025, 6, 2 + day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("moment", "is_open", "label"),
    [
        (at(0, 10), True, "ferme à 12:30"),
        (at(0, 13), False, "ouvre à 14:00"),
        (at(0, 19, 30), False, "ouvre demain à 09:00"),
        (at(5, 17, 59), True, "ferme à 18:00"),
        (at(5, 19), False, "ouvre lundi à 09:00"),
    ],
    ids=["morning", "lunch-break", "evening", "saturday", "weekend"],
)
def test_open_now_follows_the_store_hours_in_paris_time(moment, is_open, label):
    status = opening_status(WEEKDAYS_9_TO_19, now=moment)

    assert status.is_open is is_open
    assert describe_status(status, now=moment) == label


def test_open_now_is_computed_in_paris_time_whatever_the_server_zone():
    utc_moment = datetime(2025, 6, 2, 17, 30, tzinfo=ZoneInfo("UTC"))  # 19:30 in Paris

    assert opening_status(WEEKDAYS_9_TO_19, now=utc_moment).is_open is False


def test_overnight_hours_and_back_to_back_ranges():
    hours = {"fri": [["18:00", "20:00"], ["20:00", "02:00"]]}

    assert opening_status(hours, now=at(4, 19)).changes_at == datetime(2025, 6, 7, 2, tzinfo=PARIS)
    assert opening_status(hours, now=at(5, 1)).is_open is True
    assert opening_status(hours, now=at(5, 3)).is_open is False


@pytest.mark.parametrize(
    "hours",
    [{}, {"mon": "9-19"}, {"mon": [["25:00", "26:00"]]}, {"mon": [[9, 19]]}, ["mon"], None],
    ids=["none", "string", "bad-times", "numbers", "list", "null"],
)
def test_malformed_hours_mean_unknown_not_an_error(hours):
    status = opening_status(hours, now=at(0, 10))

    assert status.known is False


@pytest.mark.parametrize(
    ("url", "english"),
    [
        ("/c/jardin/", "Sort by"),
        ("/p/secateur-pro-20/", "Available near you"),
        ("/stores/?q=69002", "The stores nearest to 69002 Lyon"),
        ("/stores/lyon-presquile/", "Opening hours"),
        ("/search/?q=secateur", "Products"),
    ],
)
def test_catalogue_pages_speak_english_when_chosen(client, network, url, english):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert english in html_of(client.get(url))
