"""Endless aisle: store staff order for a walk-in customer an item that another store or the
warehouse has, through the one checkout path."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import FulfilmentMethod, Order, OrderPolicy
from stores.models import PostalCode, Store
from tests.factories import ProductFactory, StockLevelFactory, StoreFactory, VariantFactory

HOME = FulfilmentMethod.HOME_DELIVERY
CLICK = FulfilmentMethod.CLICK_COLLECT


@pytest.fixture
def network(lyon_store, paris_store):
    """A pruner that Lyon lacks, stocked by a nearby Villeurbanne store, the warehouse and
    Paris (too far from Lyon to show as nearby)."""
    PostalCode.objects.create(code="69003", city="Lyon", latitude=45.7600, longitude=4.8500)
    pruner = VariantFactory(
        product=ProductFactory(name="Sécateur Ardoise"), sku="ARD-SEC-01", rrp_cents=2990,
        gtin="3760123450017",
    )  # fmt: skip
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", latitude=Decimal("45.7700"), longitude=Decimal("4.8800")
    )
    warehouse = StoreFactory(
        name="Entrepôt de Saint-Priest", kind=Store.Kind.WAREHOUSE,
        latitude=Decimal("45.6960"), longitude=Decimal("4.9440"),
    )  # fmt: skip
    StockLevelFactory(store=lyon_store, variant=pruner, on_hand=0)
    StockLevelFactory(store=villeurbanne, variant=pruner, on_hand=4)
    StockLevelFactory(store=warehouse, variant=pruner, on_hand=40)
    StockLevelFactory(store=paris_store, variant=pruner, on_hand=9)
    return {"pruner": pruner, "villeurbanne": villeurbanne, "warehouse": warehouse}


@pytest.fixture
def lyon_desk(client, lyon_staff):
    client.force_login(lyon_staff)
    return client


def walk_in(**changes):
    data = {
        "quantity": 1, "method": HOME, "first_name": "Paul", "last_name": "Girard",
        "email": "paul@example.com", "phone": "06 12 34 56 78",
        "address_line": "12 rue Garibaldi", "postal_code": "69003", "city": "Lyon",
    }  # fmt: skip
    data.update(changes)
    return data


def aisle_url(store, variant):
    return reverse("backoffice:aisle-order", args=[store.slug, variant.pk])


def test_staff_find_an_item_and_see_where_the_network_has_it(
    lyon_desk, lyon_store, network, django_assert_max_num_queries
):
    search = reverse("backoffice:endless-aisle", args=[lyon_store.slug])

    # 13: the back-office shell also reads whether the store has decided on the latest terms.
    # The back-office shell reads the store's DAC7 reminder banner (issue 13): one more.
    with django_assert_max_num_queries(14):
        response = lyon_desk.get(search, {"q": "sécateur"})

    row = response.content.decode().split('data-testid="aisle-row-ARD-SEC-01"')[1].split("</tr>")[0]
    assert "3760123450017" in row
    assert '<td class="num">0</td>' in row  # none here
    assert "2 magasins" in row  # Villeurbanne and Paris
    assert "entrepôt" in row
    assert aisle_url(lyon_store, network["pruner"]) in row
    by_ean = lyon_desk.get(search, {"q": "3760123450017"}).content.decode()
    assert 'data-testid="aisle-row-ARD-SEC-01"' in by_ean


def test_the_item_page_lists_the_nearby_stores_and_the_warehouse(lyon_desk, lyon_store, network):
    response = lyon_desk.get(aisle_url(lyon_store, network["pruner"]))

    where = response.content.decode().split('data-testid="aisle-availability"')[1]
    where = where.split("</section>")[0]
    assert "Ardoise Villeurbanne" in where
    assert "Entrepôt de Saint-Priest" in where
    assert "Ardoise Paris Bastille" not in where  # beyond HQ's maximum distance


def test_staff_order_home_delivery_for_a_walk_in_customer(
    lyon_desk, lyon_store, lyon_staff, network
):
    response = lyon_desk.post(aisle_url(lyon_store, network["pruner"]), walk_in())

    order = Order.objects.get(email="paul@example.com")
    assert response["Location"] == reverse(
        "backoffice:aisle-result", args=[lyon_store.slug, order.pk]
    )
    assert (order.status, order.channel, order.placed_by_store) == (
        Order.Status.PLACED, Order.Channel.ENDLESS_AISLE, lyon_store,
    )  # fmt: skip
    assert order.online_payment_cents == order.total_cents == 2990 + 490
    assert order.fulfilments.get().store == network["warehouse"]  # warehouse first

    result = lyon_desk.get(response["Location"]).content.decode()
    assert "Commande " + order.number in result
    assert "passée pour Paul, payée en caisse" in result
    routing = result.split('data-testid="aisle-routing"')[1].split("</section>")[0]
    assert "Entrepôt de Saint-Priest" in routing
    assert "entrepôt a toutes les lignes livrées à domicile" in result


def test_click_and_collect_here_from_the_stores_own_shelf(lyon_desk, lyon_store, network):
    level = lyon_store.stock_levels.get(variant=network["pruner"])
    level.on_hand = 2
    level.save()

    page = lyon_desk.get(aisle_url(lyon_store, network["pruner"])).content.decode()
    assert "Impossible pour l'instant" not in page

    lyon_desk.post(aisle_url(lyon_store, network["pruner"]), walk_in(method=CLICK))

    order = Order.objects.get(email="paul@example.com")
    fulfilment = order.fulfilments.get()
    assert (fulfilment.store, fulfilment.method) == (lyon_store, CLICK)
    assert order.address_line == ""


def test_click_and_collect_here_the_engine_cannot_serve_is_refused_and_says_so(
    lyon_desk, lyon_store, network, no_transfers
):
    page = lyon_desk.get(aisle_url(lyon_store, network["pruner"])).content.decode()
    choice = page.split('data-testid="method-click_collect"')[1].split("</label>")[0]
    assert "Impossible pour l'instant" in choice

    response = lyon_desk.post(aisle_url(lyon_store, network["pruner"]), walk_in(method=CLICK))

    assert response.status_code == 409
    error = response.content.decode().split('data-testid="aisle-error"')[1].split("</div>")[0]
    assert "ARD-SEC-01" in error
    assert "Choisissez la livraison à domicile" in error
    assert "Rien n'a été commandé" in error or "Rien n&#x27;a été commandé" in error
    assert not Order.objects.filter(status=Order.Status.PLACED).exists()


def test_click_and_collect_here_is_offered_and_placed_as_a_transfer(lyon_desk, lyon_store, network):
    # given Lyon lacks the pruner, another store has it
    page = lyon_desk.get(aisle_url(lyon_store, network["pruner"])).content.decode()
    choice = page.split('data-testid="method-click_collect"')[1].split("</label>")[0]
    assert "envoyé depuis un autre magasin" in choice

    # when the staff order it for the walk-in customer to collect here
    response = lyon_desk.post(aisle_url(lyon_store, network["pruner"]), walk_in(method=CLICK))

    # then another store sells it and sends it to Lyon
    assert response.status_code == 302
    fulfilment = Order.objects.get(status=Order.Status.PLACED).fulfilments.get()
    assert fulfilment.pickup_store == lyon_store


@pytest.fixture
def no_transfers(db):
    """HQ doesn't let stores send collect orders to each other."""
    policy = OrderPolicy.current()
    policy.transfer_for_collect = False
    policy.save()


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        pytest.param({"address_line": ""}, "Obligatoire pour la livraison à domicile",
                     id="no-address"),
        pytest.param({"postal_code": "99999"}, "Code postal inconnu", id="unknown-postal-code"),
        pytest.param({"email": "paul"}, "Saisissez une adresse e-mail valide", id="bad-email"),
        pytest.param({"quantity": 0}, "supérieure ou égale à 1", id="no-quantity"),
    ],
)  # fmt: skip
def test_a_bad_customer_form_orders_nothing(lyon_desk, lyon_store, network, changes, field_error):
    response = lyon_desk.post(aisle_url(lyon_store, network["pruner"]), walk_in(**changes))

    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Order.objects.exists()


def test_a_store_sees_only_the_aisle_orders_it_placed(
    client, lyon_desk, lyon_store, paris_store, paris_owner, network
):
    lyon_desk.post(aisle_url(lyon_store, network["pruner"]), walk_in())
    order = Order.objects.get(email="paul@example.com")
    client.force_login(paris_owner)

    through_paris = client.get(
        reverse("backoffice:aisle-result", args=[paris_store.slug, order.pk])
    )
    through_lyon = client.get(reverse("backoffice:aisle-result", args=[lyon_store.slug, order.pk]))
    lyon_aisle = client.get(reverse("backoffice:endless-aisle", args=[lyon_store.slug]))
    ordering_for_lyon = client.post(aisle_url(lyon_store, network["pruner"]), walk_in())

    assert through_paris.status_code == through_lyon.status_code == 404
    assert lyon_aisle.status_code == ordering_for_lyon.status_code == 404
    assert Order.objects.count() == 1


def test_a_declined_payment_orders_nothing(lyon_desk, lyon_store, network, monkeypatch):
    monkeypatch.setattr("checkout.aisle_views.TILL_PAYMENT", "tok_decline")

    response = lyon_desk.post(aisle_url(lyon_store, network["pruner"]), walk_in())

    assert response.status_code == 402
    assert 'data-testid="aisle-error"' in response.content.decode()
    assert not Order.objects.filter(status=Order.Status.PLACED).exists()
