"""The storefront's buying pages as a customer uses them: product page → cart → checkout →
confirmation → tracking, as a guest and signed in, and every way it can go wrong."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from checkout.services import CheckoutLine, CustomerDetails, add_to_cart, get_or_create_cart
from checkout.services import place_order as place
from fulfillment.models import Fulfilment
from fulfillment.services import (
    accept_fulfilment,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
    ship_fulfilment,
)
from orders.models import Cart, CartLine, FulfilmentMethod, Order, OrderPolicy, PickupSlot
from orders.tracking import tracking_path
from stores.models import StockLevel
from tests.factories import PASSWORD

from .storefront_setup import build_world

CLICK = FulfilmentMethod.CLICK_COLLECT
RESERVE = FulfilmentMethod.RESERVE_COLLECT
HOME = FulfilmentMethod.HOME_DELIVERY

CART = reverse("checkout:cart")
ADD = reverse("checkout:cart-add")
CHECKOUT = reverse("checkout:checkout")

LEA = {
    "email": "lea@example.com",
    "first_name": "Léa",
    "last_name": "Martin",
    "phone": "06 12 34 56 78",
    "address_line": "3 rue Mercière",
    "postal_code": "69002",
    "city": "Lyon",
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/39",
    "card_cvc": "123",
    "accept_terms": "on",
}


@pytest.fixture
def world(db):
    return build_world()


def _add(client, variant, method, store=None, quantity=1):
    data = {"variant": variant.sku, "method": method, "quantity": quantity}
    if store is not None:
        data["store"] = store.slug
    return client.post(ADD, data)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _slot_choice(client, store) -> str:
    form = client.get(CHECKOUT).context["form"]
    return next(value for value, _label in form.fields[f"slot_{store.pk}"].choices[1][1])


# Product page and cart ---------------------------------------------------------------------------


def test_the_product_page_offers_each_nearby_store_s_services(client, world):
    url = reverse("catalogue:product", args=[world.secateur.product.slug])

    page = client.get(url, {"postal_code": "69002"}).content.decode()

    assert 'data-testid="add-home-delivery"' in page
    assert page.count('data-testid="add-click-collect"') == 2
    # Part-Dieu offers no reserve & collect: only Bellecour shows the button.
    assert page.count('data-testid="add-reserve-collect"') == 1


def test_the_product_page_offers_to_send_an_item_to_a_nearby_store_that_lacks_it(client, world):
    # Given the can is at Bellecour and the warehouse, not at Part-Dieu (a store near Léa)
    url = reverse("catalogue:product", args=[world.can.product.slug])

    page = client.get(url, {"postal_code": "69002", "variant": world.can.sku})
    html = page.content.decode()

    # then Part-Dieu is offered, sent from another location, with the longer promise
    offer = html[html.index('data-testid="transfer-offer"') :]
    assert 'value="lyon-part-dieu"' in offer[: offer.index("</form>")]
    assert 'value="lyon-bellecour"' not in offer[: offer.index("</form>")]  # it has its own
    assert "envoyons depuis un autre magasin" in offer

    # and choosing it puts the can in the cart for collection at Part-Dieu, by transfer
    added = _add(client, world.can, CLICK, world.part_dieu)
    assert (added.status_code, added.url) == (302, CART)
    (item,) = client.get(CART).context["cart"].items
    assert item.line.store == world.part_dieu
    assert item.transfer.endswith("envoyé depuis un autre magasin.")


def test_no_transfer_is_offered_when_hq_allows_none(client, world, no_transfers):
    url = reverse("catalogue:product", args=[world.can.product.slug])

    html = client.get(url, {"postal_code": "69002", "variant": world.can.sku}).content.decode()

    assert 'data-testid="transfer-offer"' not in html


def test_a_guest_adds_click_and_collect_and_sees_it_grouped_by_store(client, world):
    response = _add(client, world.secateur, CLICK, world.bellecour, quantity=2)

    assert response.status_code == 302
    assert response.url == CART
    page = client.get(CART)
    html = page.content.decode()
    assert "Retrait en magasin à Ardoise Lyon Bellecour" in html
    assert 'data-testid="cart-count">2<' in html
    assert page.context["cart"].quote.total_cents == 2 * 2790  # the store's price
    assert 'data-testid="go-to-checkout"' in html


def test_the_header_shows_the_cart_count_on_every_page(client, world):
    _add(client, world.can, HOME, quantity=3)

    home = client.get(reverse("home")).content.decode()

    assert 'data-testid="cart-count">3<' in home


@pytest.mark.parametrize(
    "data",
    [
        {"variant": "NOPE", "method": "home_delivery", "quantity": "1"},
        {"method": "home_delivery", "quantity": "1"},
        {"variant": "__SKU__", "method": "teleport", "quantity": "1"},
        {"variant": "__SKU__", "method": "home_delivery", "quantity": "abc"},
        {"variant": "__SKU__", "method": "click_collect", "quantity": "1"},
        {"variant": "__SKU__", "method": "click_collect", "quantity": "1", "store": "nowhere"},
        {"variant": "__SKU__", "method": "reserve_collect", "quantity": "1",
         "store": "lyon-part-dieu"},
        {"variant": "__SKU__", "method": "click_collect", "quantity": "2",
         "store": "lyon-part-dieu"},
    ],
    ids=["unknown-sku", "no-sku", "unknown-method", "bad-quantity", "collect-without-store",
         "unknown-store", "service-not-offered", "more-than-the-store-has"],
)  # fmt: skip
def test_bad_additions_are_explained_and_add_nothing(client, world, data, no_transfers):
    data = {key: value.replace("__SKU__", world.secateur.sku) for key, value in data.items()}

    response = client.post(ADD, data, follow=True)

    assert response.status_code == 200
    assert any(m for m in _messages(response))
    assert not CartLine.objects.exists()


def test_the_cart_line_changes_quantity_method_and_store(client, world, no_transfers):
    _add(client, world.secateur, CLICK, world.bellecour)
    line = CartLine.objects.get()
    url = reverse("checkout:cart-line", args=[line.pk])

    client.post(url, {"quantity": "3", "serve": f"click_collect:{world.bellecour.slug}"})
    assert CartLine.objects.get().quantity == 3

    too_many = client.post(url, {"quantity": "2", "serve": "click_collect:lyon-part-dieu"},
                           follow=True)  # fmt: skip
    assert "Seulement 1 disponible chez Ardoise Lyon Part-Dieu" in " ".join(_messages(too_many))

    client.post(url, {"quantity": "2", "serve": "home_delivery"})
    line.refresh_from_db()
    assert (line.method, line.store, line.quantity) == (HOME, None, 2)

    client.post(reverse("checkout:cart-line-remove", args=[line.pk]))
    assert not CartLine.objects.exists()


def test_the_cart_offers_the_nearby_stores_as_other_ways_to_get_a_line(client, world):
    client.get(reverse("stores:list"), {"q": "69002"})  # remembers the customer's place
    _add(client, world.secateur, CLICK, world.bellecour)

    page = client.get(CART).content.decode()

    assert 'value="click_collect:lyon-part-dieu"' in page
    assert 'value="reserve_collect:lyon-bellecour"' in page
    assert 'value="reserve_collect:lyon-part-dieu"' not in page  # not offered there


def test_a_guest_cannot_touch_another_visitor_s_cart_line(client, world):
    other = get_or_create_cart()
    line = add_to_cart(cart=other, variant=world.can, quantity=1, method=HOME)
    _add(client, world.secateur, HOME)

    client.post(reverse("checkout:cart-line", args=[line.pk]), {"quantity": "5"})
    client.post(reverse("checkout:cart-line-remove", args=[line.pk]))

    assert CartLine.objects.get(pk=line.pk).quantity == 1


def test_the_cart_says_which_items_are_gone_and_blocks_checkout(client, world, no_transfers):
    _add(client, world.secateur, CLICK, world.part_dieu)
    StockLevel.objects.filter(store=world.part_dieu).update(on_hand=0)

    page = client.get(CART).content.decode()
    checkout = client.get(CHECKOUT)

    assert "Plus disponible chez Ardoise Lyon Part-Dieu." in page
    assert 'data-testid="go-to-checkout"' not in page
    assert checkout.status_code == 302
    assert checkout.url == CART


def test_a_line_asking_more_than_the_store_has_left_offers_to_take_what_is_left(
    client, world, no_transfers
):
    _add(client, world.secateur, CLICK, world.bellecour, quantity=3)
    StockLevel.objects.filter(store=world.bellecour, variant=world.secateur).update(on_hand=2)

    page = client.get(CART).content.decode()
    client.post(
        reverse("checkout:cart-line", args=[CartLine.objects.get().pk]),
        {"quantity": "2", "serve": f"click_collect:{world.bellecour.slug}"},
    )

    assert "Plus que 2 chez Ardoise Lyon Bellecour." in page
    assert "Prendre les 2 disponibles" in page
    assert CartLine.objects.get().quantity == 2
    assert not client.get(CART).context["cart"].problems


def test_the_guest_cart_joins_the_account_at_log_in(client, world, customer):
    mine = get_or_create_cart(user=customer)
    add_to_cart(cart=mine, variant=world.can, quantity=1, method=HOME)
    _add(client, world.can, HOME, quantity=2)
    _add(client, world.secateur, CLICK, world.bellecour)

    client.post(reverse("account_login"), {"login": customer.email, "password": PASSWORD})
    page = client.get(CART)

    assert page.context["user"] == customer
    assert sorted((i.line.method, i.line.quantity) for i in page.context["cart"].items) == [
        (CLICK, 1),
        (HOME, 3),
    ]
    assert Cart.objects.count() == 1
    assert 'data-testid="cart-count">4<' in page.content.decode()


def test_the_cart_page_reads_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    OrderPolicy.current()
    for variant in (world.secateur, world.can):
        _add(client, variant, HOME)
        _add(client, variant, CLICK, world.bellecour)
    _add(client, world.can, RESERVE, world.bellecour)
    client.get(CART)

    with django_assert_max_num_queries(10):
        response = client.get(CART)

    assert len(response.context["cart"].items) == 5


# Checkout -------------------------------------------------------------------------------------


def test_checkout_shows_the_promise_of_each_group_and_the_test_card_notice(client, world):
    _add(client, world.can, HOME)
    _add(client, world.secateur, CLICK, world.bellecour)
    _add(client, world.can, RESERVE, world.bellecour)

    page = client.get(CHECKOUT).content.decode()

    assert "Paiement de test\xa0: aucune carte n'est débitée." in page
    assert "Livré sous 2 jours" in page
    assert "Conservé 5 jours" in page
    assert "vous le garde 48 heures" in page
    assert "Heure de retrait chez Ardoise Lyon Bellecour" in page  # Bellecour offers slots
    assert 'data-testid="delivery-address"' in page


def test_a_reserve_only_cart_asks_no_card(client, world):
    _add(client, world.can, RESERVE, world.bellecour)

    page = client.get(CHECKOUT).content.decode()

    assert 'data-testid="payment"' not in page
    assert "Confirmer ma réservation" in page


def test_a_reservation_is_placed_without_any_payment(client, world):
    _add(client, world.can, RESERVE, world.bellecour)
    slot = _slot_choice(client, world.bellecour)
    details = {k: v for k, v in LEA.items() if not k.startswith("card_")}

    response = client.post(CHECKOUT, {**details, f"slot_{world.bellecour.pk}": slot})

    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.status, order.total_cents, order.online_payment_cents) == (
        Order.Status.PLACED, 1590, 0,
    )  # fmt: skip


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"],
    ids=["absolute", "scheme-relative", "backslash"],
)  # fmt: skip
def test_a_refused_addition_never_sends_the_customer_off_site(client, world, target, no_transfers):
    response = client.post(
        ADD, {"variant": world.secateur.sku, "method": "click_collect", "quantity": "5",
              "store": "lyon-part-dieu", "next": target},
    )  # fmt: skip

    assert response.status_code == 302
    assert response.url.startswith("/p/")


def test_checkout_is_prefilled_for_a_signed_in_customer(client, world, customer):
    client.force_login(customer)
    _add(client, world.secateur, CLICK, world.bellecour)

    form = client.get(CHECKOUT).context["form"]

    assert form.initial["email"] == customer.email


def test_checkout_page_reads_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    OrderPolicy.current()
    for variant in (world.secateur, world.can):
        _add(client, variant, HOME)
        _add(client, variant, CLICK, world.bellecour)
    client.get(CHECKOUT)

    # 9, and one for each pickup store's special days (its promise and its slots)
    with django_assert_max_num_queries(10):
        assert client.get(CHECKOUT).status_code == 200


def test_a_guest_places_a_click_and_collect_order_and_follows_it(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _add(client, world.secateur, CLICK, world.bellecour)
    slot = _slot_choice(client, world.bellecour)

    response = client.post(CHECKOUT, {**LEA, f"slot_{world.bellecour.pk}": slot})

    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("checkout:confirmation", args=[order.number])
    assert (order.email, order.customer, order.total_cents) == ("lea@example.com", None, 2790)
    assert order.address_line == ""  # no home delivery: no address kept
    assert PickupSlot.objects.get(order=order).store == world.bellecour
    assert not CartLine.objects.exists()
    confirmation = client.get(response.url).content.decode()
    assert order.number in confirmation
    tracking = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "En attente de confirmation du magasin" in tracking
    assert "Votre créneau de retrait" in tracking


def test_a_signed_in_customer_finds_the_order_in_my_orders(client, world, customer):
    client.force_login(customer)
    _add(client, world.can, HOME)

    client.post(CHECKOUT, {**LEA, "email": customer.email})

    order = Order.objects.get()
    assert order.status == Order.Status.PLACED
    assert order.customer == customer
    page = client.get(reverse("orders:mine")).content.decode()
    assert order.number in page
    assert (order.postal_code, order.shipping_cents) == ("69002", 490)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"postal_code": "6900"}, "postal_code"),
        ({"postal_code": "99999"}, "postal_code"),
        ({"address_line": ""}, "address_line"),
        ({"card_number": "4242 4242 4242 4241"}, "card_number"),
        ({"card_expiry": "01/20"}, "card_expiry"),
        ({"card_cvc": "12"}, "card_cvc"),
        ({"accept_terms": ""}, "accept_terms"),
    ],
    ids=["email", "first-name", "short-postal-code", "unknown-postal-code", "address",
         "card-number", "expired-card", "cvc", "terms"],
)  # fmt: skip
def test_checkout_shows_errors_on_the_fields_and_orders_nothing(client, world, changes, field):
    _add(client, world.can, HOME)

    response = client.post(CHECKOUT, {**LEA, **changes})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Order.objects.exists()
    assert CartLine.objects.exists()


def test_a_missing_pickup_slot_is_a_field_error(client, world):
    _add(client, world.secateur, CLICK, world.bellecour)

    response = client.post(CHECKOUT, LEA)

    assert f"slot_{world.bellecour.pk}" in response.context["form"].errors
    assert not Order.objects.exists()


def test_a_declined_card_orders_nothing_and_keeps_the_cart(client, world):
    _add(client, world.can, HOME)

    response = client.post(CHECKOUT, {**LEA, "card_number": "4000 0000 0000 0002"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="payment-declined"' in html
    assert 'value="4000 0000 0000 0002"' not in html  # card details are not sent back
    assert 'value="123"' not in html
    assert not Order.objects.filter(status=Order.Status.PLACED).exists()
    assert CartLine.objects.count() == 1


def test_items_gone_at_placement_send_the_customer_back_to_the_kept_cart(
    client, world, no_transfers
):
    # The Part-Dieu store had the last unit; another customer buys it between the checkout
    # page and the customer's click.
    _add(client, world.secateur, CLICK, world.part_dieu)
    client.get(CHECKOUT)
    place(
        customer=CustomerDetails(email="other@example.com", first_name="Noé", last_name="Petit"),
        lines=[CheckoutLine(world.secateur, 1, CLICK, world.part_dieu)],
        actor="storefront",
    )

    response = client.post(CHECKOUT, LEA, follow=True)

    assert response.redirect_chain[-1][0] == CART
    assert "Plus disponible chez Ardoise Lyon Part-Dieu." in response.content.decode()
    assert Order.objects.count() == 1  # only the other customer's
    assert CartLine.objects.count() == 1


def test_a_line_its_store_ran_out_of_is_ordered_as_the_transfer_the_checkout_promised(
    client, world
):
    # given Part-Dieu ran out after the sécateur went into the cart; another store has some
    _add(client, world.secateur, CLICK, world.part_dieu)
    StockLevel.objects.filter(store=world.part_dieu, variant=world.secateur).update(on_hand=0)

    # when the checkout page promises it sent from another store, and the customer orders
    page = client.get(CHECKOUT).content.decode()
    client.post(CHECKOUT, {**LEA, "transfer_line": str(CartLine.objects.get().pk)})

    # then it is ordered, served by another store and sent to Part-Dieu
    assert "envoyé depuis un autre magasin" in page
    fulfilment = Order.objects.get().fulfilments.get()
    assert fulfilment.pickup_store == world.part_dieu
    assert fulfilment.store != world.part_dieu


@pytest.fixture
def no_transfers(db):
    """HQ doesn't let stores send collect orders to each other."""
    policy = OrderPolicy.current()
    policy.transfer_for_collect = False
    policy.save()


def test_home_delivery_no_router_can_serve_is_refused_at_placement(client, world, paris_store):
    # Only a Paris store has the item: the cart counts it, the router finds it too far from
    # a Lyon address; the customer is told and keeps the cart.
    from tests.factories import VariantFactory

    lamp = VariantFactory(product__name="Lampe de jardin", rrp_cents=3990)
    StockLevel.objects.create(store=paris_store, variant=lamp, on_hand=4)
    _add(client, lamp, HOME)

    response = client.post(CHECKOUT, LEA, follow=True)

    assert response.redirect_chain[-1][0] == CART
    assert (
        "Ces articles ne peuvent plus être servis comme vous l'avez choisi\xa0: Lampe de jardin. "
        "Rien n'a été commandé." in _messages(response)
    )
    assert not Order.objects.exists()
    assert CartLine.objects.count() == 1
    # Back in the cart, the line is marked: counted from the address, nothing ships there.
    assert "Plus disponible en livraison à domicile." in response.content.decode()


def test_an_empty_cart_has_no_checkout(client, db):
    response = client.get(CHECKOUT)

    assert response.status_code == 302
    assert response.url == CART


# Tracking ------------------------------------------------------------------------------------


def _order(world, method=CLICK, store=None, email="lea@example.com", user=None):
    return place(
        customer=CustomerDetails(
            email=email, first_name="Léa", last_name="Martin", address_line="3 rue Mercière",
            postal_code="69002", city="Lyon", user=user,
        ),
        lines=[CheckoutLine(world.secateur, 1, method, store)],
        actor="storefront",
    )  # fmt: skip


def test_another_visitor_cannot_see_an_order(client, world, customer):
    order = _order(world, store=world.bellecour, user=customer)

    assert client.get(reverse("orders:detail", args=[order.number])).status_code == 404
    assert client.get(reverse("checkout:confirmation", args=[order.number])).status_code == 404
    client.force_login(customer)
    assert client.get(reverse("orders:detail", args=[order.number])).status_code == 200


def test_the_signed_link_of_the_e_mail_opens_the_tracking_page(client, world, settings):
    from network_marketplace.outbox import deliver_due_messages

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    order = _order(world, store=world.bellecour)
    deliver_due_messages()
    (email,) = mail.outbox
    link = re.search(r"https?://\S+/orders/\S+/t/\w+/", email.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    response = client.get("/" + path, follow=True)

    assert "/" + path == tracking_path(order.number)
    assert response.redirect_chain[-1][0] == reverse("orders:detail", args=[order.number])
    assert order.number in response.content.decode()
    forged = tracking_path(order.number)[:-5] + "0000/"
    assert client.get(forged).status_code == 404


def test_a_guest_finds_the_order_with_its_number_and_e_mail(client, world):
    order = _order(world, store=world.bellecour)
    url = reverse("orders:track")

    wrong = client.post(url, {"number": order.number, "email": "someone@example.com"})
    right = client.post(url, {"number": order.number.lower(), "email": "LEA@example.com"})

    assert wrong.status_code == 400
    assert wrong.context["form"].non_field_errors()
    assert right.status_code == 302
    assert right.url == reverse("orders:detail", args=[order.number])


def test_guessing_an_order_s_e_mail_is_refused_after_ten_tries(client, world):
    from django.core.cache import cache

    from fulfillment.order_pages import TRACKING_LOOKUP

    order = _order(world, store=world.bellecour)
    url = reverse("orders:track")
    key = TRACKING_LOOKUP.key_for_order(order.number)
    cache.delete(key)

    for attempt in range(10):
        wrong = client.post(url, {"number": order.number, "email": f"x{attempt}@example.com"})
        assert wrong.status_code == 400
    blocked = client.post(url, {"number": order.number, "email": order.email})

    assert blocked.status_code == 429
    assert reverse("orders:detail", args=[order.number]) not in blocked.get("Location", "")
    cache.delete(key)


def test_tracking_tells_the_pickup_story_and_offers_returns_once_collected(client, world):
    order = _order(world, store=world.bellecour)
    client.post(reverse("orders:track"), {"number": order.number, "email": order.email})
    url = reverse("orders:detail", args=[order.number])
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="staff")
    mark_picked(fulfilment=fulfilment, actor="staff")
    code = mark_ready_for_pickup(fulfilment=fulfilment, actor="staff").pickup_code

    ready = client.get(url).content.decode()

    assert ">Prête à retirer</span>" in ready
    assert f'data-testid="pickup-code-digits">{code}<' in ready
    assert "1 place Bellecour" in ready  # the pickup store's address
    assert 'data-testid="return-items"' not in ready

    hand_over(fulfilment=Fulfilment.objects.get(pk=fulfilment.pk), code=code, actor="staff")
    collected = client.get(url).content.decode()

    assert 'data-testid="return-items"' in collected
    assert f'href="/orders/{order.number}/return/"' in collected
    # The guest who follows the order here opens the returns page without another check.
    returns = client.get(f"/orders/{order.number}/return/")
    assert returns.status_code == 200
    assert returns.templates[0].name != "storefront/return_access.html"


def test_tracking_shows_the_carrier_s_number_once_shipped(client, world, customer):
    order = _order(world, method=HOME, user=customer)
    client.force_login(customer)
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="staff")
    mark_picked(fulfilment=fulfilment, actor="staff")
    ship_fulfilment(
        fulfilment=fulfilment, carrier="Colissimo", tracking_number="6A123", actor="staff"
    )

    page = client.get(reverse("orders:detail", args=[order.number])).content.decode()

    assert "Colissimo" in page
    assert "6A123" in page
    assert page.count("<li><time") >= 4  # placed, accepted, picked, shipped


def test_the_tracking_page_reads_a_bounded_number_of_queries(
    client, world, customer, django_assert_max_num_queries
):
    order = place(
        customer=CustomerDetails(
            email=customer.email, first_name="Léa", last_name="Martin", user=customer,
            address_line="3 rue Mercière", postal_code="69002", city="Lyon",
        ),
        lines=[
            CheckoutLine(world.secateur, 1, CLICK, world.bellecour),
            CheckoutLine(world.can, 1, RESERVE, world.bellecour),
            CheckoutLine(world.can, 2, HOME),
            CheckoutLine(world.secateur, 1, CLICK, world.part_dieu),
        ],
        actor="storefront",
    )  # fmt: skip
    for fulfilment in order.fulfilments.all():
        accept_fulfilment(fulfilment=fulfilment, actor="staff")
    client.force_login(customer)
    url = reverse("orders:detail", args=[order.number])
    client.get(url)

    # Six more since the right of withdrawal (issue 13): each part's deadline and its lines
    # already withdrawn or returned, the withdrawals, the stores' invoices; none per part.
    with django_assert_max_num_queries(18):
        response = client.get(url)

    assert len(response.context["parts"]) == 4


def test_my_orders_needs_an_account(client, db):
    response = client.get(reverse("orders:mine"))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_payment_the_bank_confirms_later_shows_it_is_being_confirmed(client, world):
    _add(client, world.can, HOME)

    response = client.post(CHECKOUT, {**LEA, "card_number": "4000 0000 0000 3220"}, follow=True)

    order = Order.objects.get()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert 'data-testid="payment-pending"' in response.content.decode()
    assert not CartLine.objects.exists()


def test_checking_a_delayed_payment_again_places_the_order(client, world):
    _add(client, world.can, HOME)
    client.post(CHECKOUT, {**LEA, "card_number": "4000 0000 0000 3220"})
    order = Order.objects.get()

    response = client.post(reverse("checkout:check-payment", args=[order.number]), follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert 'data-testid="payment-pending"' not in response.content.decode()
    assert order.payments.get().reference.startswith("dummy_pi_")


def test_the_test_card_hint_names_the_declined_and_the_delayed_cards(client, world):
    _add(client, world.can, HOME)

    hint = client.get(CHECKOUT).content.decode()

    assert "4000 0000 0000 0002" in hint
    assert "4000 0000 0000 3220" in hint
