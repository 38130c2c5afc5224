"""HQ's routing rules: the order policy's weights and limits reach the routing engine, and the
candidates carry each store's real load, fairness count and capacity."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Fulfilment
from fulfillment.routing_candidates import routing_candidates
from orders.models import FulfilmentMethod, OrderPolicy
from orders.routing import Point, RoutingPolicy
from orders.services import routing_policy
from stores.models import PostalCode
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory
from tests.fulfillment.conftest import make_fulfilment

HOME = FulfilmentMethod.HOME_DELIVERY
BELLECOUR = Point(45.7578, 4.8320)


def test_the_order_policy_builds_the_engines_rules(db):
    policy = OrderPolicy.current()
    policy.distance_weight = Decimal("0.10")
    policy.fairness_weight = Decimal("0.70")
    policy.max_parcels = 3
    policy.max_distance_km = 80
    policy.warehouse_first = False
    policy.transfer_for_collect = False
    policy.store_delivery_days = 4
    policy.save()

    rules = routing_policy(OrderPolicy.current())

    assert rules == RoutingPolicy(
        distance_weight=0.1, stock_depth_weight=0.2, load_weight=0.25, fairness_weight=0.7,
        max_parcels=3, max_distance_km=80.0, warehouse_first=False, transfer_for_collect=False,
        transfer_delay_days=3, collect_delay_days=0, warehouse_delivery_days=2,
        store_delivery_days=4,
    )  # fmt: skip


def test_the_default_policy_is_the_engines_default(db):
    assert routing_policy(OrderPolicy.current()) == RoutingPolicy()


@pytest.fixture
def two_lyon_stores(db):
    secateur = VariantFactory(rrp_cents=2990)
    near = StoreFactory(name="Près", latitude=Decimal("45.7600"), longitude=Decimal("4.8330"))
    far = StoreFactory(name="Loin", latitude=Decimal("45.7800"), longitude=Decimal("4.9000"))
    StockLevelFactory(store=near, variant=secateur, on_hand=5)
    StockLevelFactory(store=far, variant=secateur, on_hand=5)
    return secateur, near, far


def test_candidates_count_open_fulfilments_and_recent_home_deliveries(
    two_lyon_stores, django_assert_num_queries
):
    secateur, near, far = two_lyon_stores
    for _index in range(3):
        make_fulfilment(store=near)  # open: load
    make_fulfilment(store=near, status=Fulfilment.Status.COLLECTED)  # closed: no load
    for _index in range(2):
        make_fulfilment(store=far, method=HOME, status=Fulfilment.Status.SHIPPED)
    old = make_fulfilment(store=far, method=HOME, status=Fulfilment.Status.SHIPPED)
    Fulfilment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    make_fulfilment(store=far)  # a click & collect: chosen by the customer, not routed
    far.daily_capacity = 7
    far.save()
    policy = OrderPolicy.current()
    policy.default_daily_capacity = 30
    policy.save()

    with django_assert_num_queries(1):
        locations = routing_candidates(variant_ids=[secateur.pk], point=BELLECOUR, radius_km=50)

    by_id = {location.store_id: location for location in locations}
    assert (by_id[near.pk].open_orders, by_id[near.pk].recent_routed) == (3, 0)
    assert (by_id[far.pk].open_orders, by_id[far.pk].recent_routed) == (1, 2)
    assert by_id[near.pk].daily_capacity == 30  # HQ's default
    assert by_id[far.pk].daily_capacity == 7  # its own


def test_the_candidates_stay_one_query_however_many_stores(db, django_assert_num_queries):
    secateur = VariantFactory()
    for index in range(12):
        store = StoreFactory(latitude=Decimal("45.7578") + Decimal(index) / 1000)
        StockLevelFactory(store=store, variant=secateur, on_hand=3)
        make_fulfilment(store=store)
        make_fulfilment(store=store, method=HOME, status=Fulfilment.Status.SHIPPED)

    with django_assert_num_queries(1):
        locations = routing_candidates(variant_ids=[secateur.pk], point=BELLECOUR, radius_km=50)

    assert len(locations) == 12
    assert {(location.open_orders, location.recent_routed) for location in locations} == {(1, 1)}


@pytest.fixture
def lyon_postal_code(db):
    return PostalCode.objects.create(code="69002", city="Lyon", latitude=45.7550, longitude=4.8290)


def customer():
    return CustomerDetails(
        email="lea@example.com", first_name="Léa", last_name="Martin",
        address_line="3 rue Mercière", postal_code="69002", city="Lyon",
    )  # fmt: skip


def test_hq_weights_decide_which_store_ships(two_lyon_stores, lyon_postal_code):
    secateur, near, far = two_lyon_stores
    for _index in range(10):
        make_fulfilment(store=near, method=HOME, status=Fulfilment.Status.SHIPPED)
    policy = OrderPolicy.current()

    policy.distance_weight, policy.fairness_weight = Decimal("1"), Decimal("0")
    policy.save()
    by_distance = place_order(
        customer=customer(), lines=[CheckoutLine(secateur, 1, HOME)], actor="test"
    )
    policy.distance_weight, policy.fairness_weight = Decimal("0"), Decimal("1")
    policy.save()
    by_fairness = place_order(
        customer=customer(), lines=[CheckoutLine(secateur, 1, HOME)], actor="test"
    )

    assert by_distance.fulfilments.get().store == near
    assert by_fairness.fulfilments.get().store == far  # near was routed 10 parcels this week


def test_a_store_at_its_capacity_gets_no_more_home_deliveries(two_lyon_stores, lyon_postal_code):
    secateur, near, far = two_lyon_stores
    near.daily_capacity = 2
    near.save()
    make_fulfilment(store=near)
    make_fulfilment(store=near)

    order = place_order(customer=customer(), lines=[CheckoutLine(secateur, 1, HOME)], actor="t")

    assert order.fulfilments.get().store == far


# The routing-rules page (HQ admin) -----------------------------------------------------------


@pytest.fixture
def hq_client(client, hq_admin):
    client.force_login(hq_admin)
    return client


def policy_form(**changes):
    policy = OrderPolicy.current()
    data = {
        field.name: getattr(policy, field.name)
        for field in OrderPolicy._meta.fields
        if field.editable and field.name not in {"id", "updated_at"}
    }
    data.update(changes)
    return {
        key: ("on" if value is True else value) for key, value in data.items() if value is not False
    }


def test_the_routing_rules_page_explains_each_setting(hq_client):
    policy = OrderPolicy.current()

    page = hq_client.get(reverse("admin:orders_orderpolicy_change", args=[policy.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Attribution\xa0: quel magasin expédie une livraison à domicile" in text
    assert "Poids de la profondeur de stock" in text
    assert "pendant la fenêtre d\u2019équité" in text
    assert "Limites de l" in text


def test_hq_changes_the_routing_weights(hq_client):
    policy = OrderPolicy.current()
    change = reverse("admin:orders_orderpolicy_change", args=[policy.pk])

    response = hq_client.post(change, policy_form(distance_weight="0.7", max_distance_km=60))

    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.distance_weight, policy.max_distance_km) == (Decimal("0.70"), 60)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"load_weight": "-1"}, "supérieure ou égale à 0", id="negative-weight"),
        pytest.param(
            {"distance_weight": "0", "stock_depth_weight": "0", "load_weight": "0",
             "fairness_weight": "0"},
            "Au moins un poids doit être supérieur à 0", id="all-zero",
        ),
        pytest.param({"max_parcels": "0"}, "supérieure ou égale à 1", id="no-parcel"),
    ],
)  # fmt: skip
def test_hq_cannot_save_rules_the_engine_cannot_use(hq_client, changes, error):
    policy = OrderPolicy.current()
    change = reverse("admin:orders_orderpolicy_change", args=[policy.pk])

    response = hq_client.post(change, policy_form(**changes))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert routing_policy(OrderPolicy.current()) == RoutingPolicy()


def test_the_order_admin_shows_why_the_chosen_store_won(
    hq_client, two_lyon_stores, lyon_postal_code, django_assert_max_num_queries
):
    secateur, near, far = two_lyon_stores
    order = place_order(
        customer=customer(), lines=[CheckoutLine(secateur, 1, HOME)], actor="test",
        payment_token="tok_visa",
    )  # fmt: skip

    with django_assert_max_num_queries(25):
        page = hq_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    text = page.content.decode()
    routing = text.split('class="routing-record"')[1]
    assert "Attribution initiale" in routing
    assert "commande passée" in routing
    assert "1 \u00d7 " + secateur.product.name in routing
    assert "Un seul site peut expédier toutes les lignes" in routing
    assert f"{near.name} a obtenu" in routing
    # French figures: "0,93", never "0.93"
    assert re.search(rf"{re.escape(near.name)} a obtenu \d,\d\d, devant .* \(\d,\d\d\)", routing)
    assert f"devant {far.name}" in routing
    assert "surtout grâce à la distance" in routing
    chosen_row = routing.split("✔ ")[1].split("</tr>")[0]
    assert chosen_row.startswith(near.name)
    assert "choisi" in chosen_row


def test_an_order_without_routing_record_says_so(hq_client, db):
    order = make_fulfilment(store=StoreFactory()).order

    page = hq_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert page.status_code == 200
    assert "Aucune décision d&#x27;attribution" in page.content.decode() or (
        "Aucune décision d'attribution" in page.content.decode()
    )
