"""The store's order desk in the back-office: the queue, a fulfilment's page and its actions,
the handover screen and the pick lists."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fulfillment.models import Fulfilment
from fulfillment.services import (
    accept_fulfilment,
    mark_picked,
    mark_ready_for_pickup,
    reject_fulfilment,
)
from network_marketplace.outbox import deliver_due_messages
from orders.models import FulfilmentMethod, OrderPolicy
from tests.fulfillment.conftest import make_fulfilment

S = Fulfilment.Status
HOME = FulfilmentMethod.HOME_DELIVERY
CLICK = FulfilmentMethod.CLICK_COLLECT
RESERVE = FulfilmentMethod.RESERVE_COLLECT


def in_minutes(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def url(name, fulfilment, *args):
    return reverse(f"backoffice:{name}", args=[fulfilment.store.slug, fulfilment.pk, *args])


def action(client, fulfilment, name, follow=False, **data):
    return client.post(url("fulfilment-action", fulfilment, name), data, follow=follow)


def ready(fulfilment, actor="test"):
    accept_fulfilment(fulfilment=fulfilment, actor=actor)
    mark_picked(fulfilment=fulfilment, actor=actor)
    return mark_ready_for_pickup(fulfilment=fulfilment, actor=actor).pickup_code


@pytest.fixture
def lyon_desk(client, lyon_staff):
    client.force_login(lyon_staff)
    return client


# The queue -----------------------------------------------------------------------------------


def test_the_queue_groups_the_stores_open_orders_by_what_to_do_next(lyon_desk, lyon_store):
    awaiting = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(90))
    late = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(-5))
    to_pick = make_fulfilment(store=lyon_store, method=HOME, accept_deadline=in_minutes(30))
    accept_fulfilment(fulfilment=to_pick, actor="test")
    to_ship = make_fulfilment(store=lyon_store, method=HOME)
    accept_fulfilment(fulfilment=to_ship, actor="test")
    mark_picked(fulfilment=to_ship, actor="test")
    waiting_customer = make_fulfilment(store=lyon_store)
    ready(waiting_customer)
    reserved = make_fulfilment(store=lyon_store, method=RESERVE)
    accept_fulfilment(fulfilment=reserved, actor="test")
    closed = make_fulfilment(store=lyon_store)
    reject_fulfilment(fulfilment=closed, actor="test", reason="Abîmé")

    response = lyon_desk.get(reverse("backoffice:orders", args=[lyon_store.slug]))

    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts == {
        "to_send": 0,
        "incoming": 0,
        "to_accept": 2, "to_pick": 1, "ready": 1, "to_ship": 1, "reserve": 1,
        "open": 6, "overdue": 1,
    }  # fmt: skip
    groups = {
        bucket.key: [f.pk for f in rows] for bucket, rows, _total in response.context["groups"]
    }
    assert groups["to_accept"] == [late.pk, awaiting.pk]  # the most urgent first
    assert groups["to_ship"] == [to_ship.pk]
    assert closed.order.number not in response.content.decode()
    page = response.content.decode()
    assert f'data-countdown="{awaiting.accept_deadline.isoformat()}"' in page
    assert "1 commande a dépassé son délai d'acceptation" in page


def test_the_overdue_order_is_highlighted(lyon_desk, lyon_store):
    late = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(-5))

    response = lyon_desk.get(reverse("backoffice:orders", args=[lyon_store.slug]))

    row = response.content.decode().split(f'data-testid="queue-row-{late.order.number}"')[1]
    assert row.split(">")[0].strip().endswith('class="is-overdue"')


def test_a_tab_shows_only_its_orders(lyon_desk, lyon_store):
    awaiting = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(90))
    to_ship = make_fulfilment(store=lyon_store, method=HOME)
    accept_fulfilment(fulfilment=to_ship, actor="test")
    mark_picked(fulfilment=to_ship, actor="test")

    response = lyon_desk.get(reverse("backoffice:orders", args=[lyon_store.slug]) + "?tab=to_ship")

    page = response.content.decode()
    assert to_ship.order.number in page
    assert awaiting.order.number not in page


def test_the_queue_finds_an_order_by_customer_name_or_number(lyon_desk, lyon_store):
    lea = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(30))
    other = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(30))
    other.order.last_name = "Durand"
    other.order.save()
    queue = reverse("backoffice:orders", args=[lyon_store.slug])

    by_name = lyon_desk.get(queue, {"q": "durand"}).content.decode()
    by_number = lyon_desk.get(queue, {"q": lea.order.number}).content.decode()

    assert other.order.number in by_name
    assert lea.order.number not in by_name
    assert lea.order.number in by_number
    assert other.order.number not in by_number


def test_the_history_tab_pages_through_closed_orders(lyon_desk, lyon_store):
    for index in range(27):
        fulfilment = make_fulfilment(store=lyon_store)
        reject_fulfilment(fulfilment=fulfilment, actor="test", reason=f"Rupture {index}")
    still_open = make_fulfilment(store=lyon_store)
    history = reverse("backoffice:orders", args=[lyon_store.slug]) + "?tab=history"

    first = lyon_desk.get(history)
    second = lyon_desk.get(history + "&page=2")

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 2
    assert "Rupture 26" in first.content.decode()  # most recent first
    assert still_open.order.number not in first.content.decode()
    assert 'rel="next"' in first.content.decode()


def test_the_navigation_counts_the_orders_to_accept(lyon_desk, lyon_store):
    make_fulfilment(store=lyon_store, accept_deadline=in_minutes(30))
    make_fulfilment(store=lyon_store, accept_deadline=in_minutes(60))

    page = lyon_desk.get(reverse("backoffice:dashboard", args=[lyon_store.slug])).content.decode()

    nav = page.split('data-testid="nav-orders"')[1].split("</a>")[0]
    assert '<span class="nav-count"' in nav
    assert ">2<" in nav


def test_the_queue_takes_a_bounded_number_of_queries(
    lyon_desk, lyon_store, django_assert_max_num_queries
):
    for _index in range(15):
        make_fulfilment(store=lyon_store, accept_deadline=in_minutes(30), quantity=2)
    queue = reverse("backoffice:orders", args=[lyon_store.slug])

    with django_assert_max_num_queries(12):
        response = lyon_desk.get(queue)
    with django_assert_max_num_queries(12):
        lyon_desk.get(queue + "?tab=history")

    assert response.context["counts"]["to_accept"] == 15


# A fulfilment's page and its actions ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "steps", "buttons", "absent"),
    [
        pytest.param(CLICK, [], ["Accepter la commande", "Refuser"], ["Marquer comme préparée"],
                     id="awaiting"),
        pytest.param(CLICK, ["accept"], ["Marquer comme préparée", "liste de préparation"],
                     ["Accepter la commande", "Expédier"], id="accepted"),
        pytest.param(CLICK, ["accept", "pick"], ["Marquer prête au retrait"],
                     ["Expédier", "Marquer comme préparée"], id="picked-collect"),
        pytest.param(HOME, ["accept", "pick"], ["Transporteur", "Numéro de suivi"],
                     ["Marquer prête au retrait"], id="picked-home"),
        pytest.param(CLICK, ["accept", "pick", "ready"], ["Remettre avec le code"],
                     ["Achat en magasin"], id="ready-collect"),
        pytest.param(RESERVE, ["accept", "pick", "ready"], ["Achat en magasin", "Pas d'achat"],
                     ["Remettre avec le code"], id="ready-reserve"),
    ],
)  # fmt: skip
def test_the_page_offers_only_the_steps_the_state_allows(
    lyon_desk, lyon_store, method, steps, buttons, absent
):
    fulfilment = make_fulfilment(store=lyon_store, method=method, accept_deadline=in_minutes(60))
    for step in steps:
        {"accept": accept_fulfilment, "pick": mark_picked, "ready": mark_ready_for_pickup}[step](
            fulfilment=fulfilment, actor="test"
        )

    page = lyon_desk.get(url("fulfilment", fulfilment)).content.decode()

    for text in buttons:
        assert text in page
    for text in absent:
        assert text not in page


def test_staff_accept_pick_and_make_an_order_ready(lyon_desk, lyon_store, lyon_staff):
    fulfilment = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(60))

    accepted = action(lyon_desk, fulfilment, "accept")
    picked = action(lyon_desk, fulfilment, "pick")
    action(lyon_desk, fulfilment, "ready", follow=True)

    assert accepted.status_code == picked.status_code == 302
    assert accepted["Location"] == url("fulfilment", fulfilment)
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.READY_FOR_PICKUP
    assert fulfilment.pickup_code_digest
    assert fulfilment.events.last().actor_label == lyon_staff.email
    page = lyon_desk.get(url("fulfilment", fulfilment)).content.decode()
    assert "le client a reçu son code de retrait par e-mail (lea@example.com)" in page
    # ...and so they did: the e-mail with the code that opens the handover
    deliver_due_messages()
    sent = [email for email in mail.outbox if email.to == ["lea@example.com"]]
    code = re.search(r"\b(\d{6})\b", sent[-1].body).group(1)
    assert lyon_desk.post(url("handover", fulfilment), {"code": code}).status_code == 302


def test_accepting_from_the_queue_returns_to_the_queue(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(60))
    queue = reverse("backoffice:orders", args=[lyon_store.slug]) + "?tab=to_accept"

    response = action(lyon_desk, fulfilment, "accept", next=queue)
    elsewhere = action(
        lyon_desk, make_fulfilment(store=lyon_store), "accept", next="https://evil.example/"
    )

    assert response["Location"] == queue
    assert elsewhere["Location"].startswith(f"/store/{lyon_store.slug}/orders/")


def test_a_step_the_state_does_not_allow_changes_nothing_and_says_why(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(60))

    response = action(lyon_desk, fulfilment, "pick", follow=True)

    fulfilment.refresh_from_db()
    assert fulfilment.status == S.AWAITING_ACCEPTANCE
    assert not fulfilment.events.exists()
    assert "ne peut pas passer de" in response.content.decode()


def test_rejecting_needs_a_reason(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(60))

    empty = action(lyon_desk, fulfilment, "reject", reason="   ")
    fulfilment.refresh_from_db()
    assert empty.status_code == 400
    assert fulfilment.status == S.AWAITING_ACCEPTANCE
    assert "Indiquez pourquoi la commande est refusée." in empty.content.decode()

    given = action(lyon_desk, fulfilment, "reject", reason="Article abîmé en rayon")
    fulfilment.refresh_from_db()
    assert given["Location"] == reverse("backoffice:orders", args=[lyon_store.slug])
    assert (fulfilment.status, fulfilment.rejection_reason) == (
        S.REJECTED,
        "Article abîmé en rayon",
    )


@pytest.mark.parametrize(
    ("carrier", "number", "saved"),
    [
        pytest.param("Colissimo", "6a 1234 5678 901", "6A12345678901", id="colissimo-spaced"),
        pytest.param("UPS", "1Z999AA10123456784", "1Z999AA10123456784", id="ups"),
    ],
)
def test_shipping_records_the_carrier_and_a_valid_tracking_number(
    lyon_desk, lyon_store, carrier, number, saved
):
    fulfilment = make_fulfilment(store=lyon_store, method=HOME)
    accept_fulfilment(fulfilment=fulfilment, actor="test")
    mark_picked(fulfilment=fulfilment, actor="test")

    response = action(lyon_desk, fulfilment, "ship", carrier=carrier, tracking_number=number)

    fulfilment.refresh_from_db()
    assert response.status_code == 302
    assert (fulfilment.status, fulfilment.carrier, fulfilment.tracking_number) == (
        S.SHIPPED, carrier, saved,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param({"carrier": "", "tracking_number": "6A12345678901"},
                     "Ce champ est obligatoire", id="no-carrier"),
        pytest.param({"carrier": "UPS", "tracking_number": "12345"},
                     "pas un numéro de suivi UPS", id="wrong-format"),
        pytest.param({"carrier": "Pigeon", "tracking_number": "6A12345678901"},
                     "Sélectionnez un choix valide", id="unknown-carrier"),
    ],
)  # fmt: skip
def test_a_bad_shipment_is_refused_with_the_field_error(lyon_desk, lyon_store, data, error):
    fulfilment = make_fulfilment(store=lyon_store, method=HOME)
    accept_fulfilment(fulfilment=fulfilment, actor="test")
    mark_picked(fulfilment=fulfilment, actor="test")

    response = action(lyon_desk, fulfilment, "ship", **data)

    fulfilment.refresh_from_db()
    assert response.status_code == 400
    assert error in response.content.decode()
    assert fulfilment.status == S.PICKED


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("purchased", S.PURCHASED_IN_STORE), ("not_purchased", S.NOT_PURCHASED)],
)
def test_staff_record_the_reserve_and_collect_outcome(lyon_desk, lyon_store, outcome, status):
    fulfilment = make_fulfilment(store=lyon_store, method=RESERVE)
    ready(fulfilment)

    action(lyon_desk, fulfilment, outcome)

    fulfilment.refresh_from_db()
    assert fulfilment.status == status


def test_actions_are_post_only(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(60))

    response = lyon_desk.get(url("fulfilment-action", fulfilment, "accept"))

    fulfilment.refresh_from_db()
    assert response.status_code == 405
    assert fulfilment.status == S.AWAITING_ACCEPTANCE


def test_an_unknown_action_is_a_404(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)

    assert action(lyon_desk, fulfilment, "cancel").status_code == 404


# The handover screen -------------------------------------------------------------------------


def test_the_right_code_hands_the_order_over(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)
    code = ready(fulfilment)

    screen = lyon_desk.get(url("handover", fulfilment))
    response = lyon_desk.post(url("handover", fulfilment), {"code": f"{code[:3]} {code[3:]}"})

    assert screen.status_code == 200
    assert 'inputmode="numeric"' in screen.content.decode()
    assert "5 essais restants" in screen.content.decode()
    assert response["Location"] == url("fulfilment", fulfilment)
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.COLLECTED


def test_a_wrong_code_says_how_many_attempts_are_left(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)
    code = ready(fulfilment)
    wrong = "000000" if code != "000000" else "111111"

    response = lyon_desk.post(url("handover", fulfilment), {"code": wrong})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Code de retrait erroné. Encore 4 essais." in page
    assert "4 essais restants" in page
    fulfilment.refresh_from_db()
    assert (fulfilment.status, fulfilment.pickup_code_failures) == (S.READY_FOR_PICKUP, 1)


def test_a_malformed_code_is_not_counted_as_an_attempt(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)
    ready(fulfilment)

    response = lyon_desk.post(url("handover", fulfilment), {"code": "12ab"})

    assert response.status_code == 400
    assert "Un code de retrait a 6 chiffres." in response.content.decode()
    fulfilment.refresh_from_db()
    assert fulfilment.pickup_code_failures == 0


def test_too_many_wrong_codes_void_the_code_and_offer_a_new_one(lyon_desk, lyon_store):
    policy = OrderPolicy.current()
    policy.pickup_code_attempts = 2
    policy.save()
    fulfilment = make_fulfilment(store=lyon_store)
    code = ready(fulfilment)
    wrong = "000000" if code != "000000" else "111111"

    lyon_desk.post(url("handover", fulfilment), {"code": wrong})
    last = lyon_desk.post(url("handover", fulfilment), {"code": wrong})
    then_right = lyon_desk.post(url("handover", fulfilment), {"code": code})

    assert "Trop de codes erronés" in then_right.content.decode()
    for response in (last, then_right):
        assert 'data-testid="handover-void"' in response.content.decode()
        assert "Envoyer un nouveau code au client" in response.content.decode()
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.READY_FOR_PICKUP

    reissued = action(lyon_desk, fulfilment, "reissue_code", follow=True)

    fulfilment.refresh_from_db()
    assert fulfilment.pickup_code_failures == 0
    assert reissued.redirect_chain[-1][0] == url("handover", fulfilment)
    assert "Un nouveau code de retrait a été envoyé à lea@example.com" in (
        reissued.content.decode()
    )


def test_the_handover_screen_says_when_the_order_is_not_ready(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)

    page = lyon_desk.get(url("handover", fulfilment)).content.decode()

    assert "ne peut pas être remise" in page
    assert "code-input" not in page


# Pick lists ----------------------------------------------------------------------------------


def test_the_pick_list_of_accepted_orders_says_what_to_take_and_where_it_goes(
    lyon_desk, lyon_store
):
    collect = make_fulfilment(store=lyon_store, quantity=3)
    home = make_fulfilment(store=lyon_store, method=HOME)
    home.order.address_line, home.order.postal_code, home.order.city = (
        "3 rue Mercière",
        "69002",
        "Lyon",
    )
    home.order.save()
    not_accepted = make_fulfilment(store=lyon_store)
    for fulfilment in (collect, home):
        accept_fulfilment(fulfilment=fulfilment, actor="test")
    line = collect.lines.get().order_line

    page = lyon_desk.get(reverse("backoffice:pick-list", args=[lyon_store.slug])).content.decode()

    assert collect.order.number in page
    assert home.order.number in page
    assert not_accepted.order.number not in page
    assert line.sku in page
    assert line.variant.gtin in page
    assert '<td class="qty">3</td>' in page
    assert "Retrait en magasin\xa0: au rayon des retraits" in page
    assert "Livrer à\xa0: 3 rue Mercière, 69002 Lyon" in page
    assert 'href="/static/css/backoffice_orders.css"' in page  # its @media print hides the chrome


def test_the_pick_list_takes_a_bounded_number_of_queries(
    lyon_desk, lyon_store, django_assert_max_num_queries
):
    for _index in range(12):
        accept_fulfilment(fulfilment=make_fulfilment(store=lyon_store, quantity=2), actor="t")

    with django_assert_max_num_queries(10):
        page = lyon_desk.get(reverse("backoffice:pick-list", args=[lyon_store.slug]))

    assert page.content.decode().count('class="card pick-order"') == 12


def test_the_pick_list_of_one_order(lyon_desk, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)
    other = make_fulfilment(store=lyon_store)

    page = lyon_desk.get(url("fulfilment-pick-list", fulfilment)).content.decode()

    assert fulfilment.order.number in page
    assert other.order.number not in page


# Tenancy: another store's user gets a 404 everywhere -----------------------------------------


PAGES = ["fulfilment", "handover", "fulfilment-pick-list"]
ACTIONS = ["accept", "reject", "pick", "ready", "ship", "purchased", "not_purchased",
           "reissue_code"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_another_stores_user_cannot_see_a_fulfilment(client, paris_owner, lyon_store, page):
    fulfilment = make_fulfilment(store=lyon_store)
    client.force_login(paris_owner)

    assert client.get(url(page, fulfilment)).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_another_stores_user_cannot_act_on_a_fulfilment(
    client, paris_owner, lyon_store, paris_store, name
):
    fulfilment = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(60))
    client.force_login(paris_owner)

    through_own_store = client.post(
        reverse("backoffice:fulfilment-action", args=[paris_store.slug, fulfilment.pk, name]),
        {"reason": "x", "carrier": "UPS", "tracking_number": "1Z999AA10123456784"},
    )
    through_lyon = action(client, fulfilment, name, reason="x")

    assert through_own_store.status_code == through_lyon.status_code == 404
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.AWAITING_ACCEPTANCE


def test_another_stores_user_cannot_hand_over_through_their_own_store(
    client, paris_owner, lyon_store, paris_store
):
    fulfilment = make_fulfilment(store=lyon_store)
    code = ready(fulfilment)
    client.force_login(paris_owner)

    response = client.post(
        reverse("backoffice:handover", args=[paris_store.slug, fulfilment.pk]), {"code": code}
    )

    assert response.status_code == 404
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.READY_FOR_PICKUP


@pytest.mark.parametrize("name", ["orders", "pick-list"])
def test_another_stores_queue_is_a_404(client, paris_owner, lyon_store, name):
    client.force_login(paris_owner)

    assert client.get(reverse(f"backoffice:{name}", args=[lyon_store.slug])).status_code == 404


def test_a_store_queue_never_lists_another_stores_orders(
    client, paris_owner, lyon_store, paris_store
):
    lyon = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(30))
    paris = make_fulfilment(store=paris_store, accept_deadline=in_minutes(30))
    client.force_login(paris_owner)

    page = client.get(reverse("backoffice:orders", args=[paris_store.slug])).content.decode()
    picks = client.get(reverse("backoffice:pick-list", args=[paris_store.slug])).content.decode()

    assert paris.order.number in page
    assert lyon.order.number not in page
    assert lyon.order.number not in picks


def test_hq_staff_work_any_stores_queue(client, hq_admin, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store, accept_deadline=in_minutes(30))
    client.force_login(hq_admin)

    queue = client.get(reverse("backoffice:orders", args=[lyon_store.slug]))
    action(client, fulfilment, "accept")

    assert fulfilment.order.number in queue.content.decode()
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.ACCEPTED


def test_anonymous_visitors_are_sent_to_log_in(client, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)

    response = client.get(url("fulfilment", fulfilment))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_open_orders_and_the_orders_of_the_stores_catchment(
    lyon_desk, lyon_store, paris_store, django_assert_max_num_queries
):
    make_fulfilment(store=lyon_store, accept_deadline=in_minutes(-1))
    served_here = make_fulfilment(store=lyon_store)
    served_in_paris = make_fulfilment(store=paris_store)
    someone_elses = make_fulfilment(store=paris_store)
    for fulfilment, store in [
        (served_here, lyon_store), (served_in_paris, lyon_store), (someone_elses, paris_store),
    ]:  # fmt: skip
        order = fulfilment.order
        order.attributed_store, order.placed_at = store, timezone.now()
        order.save()

    with django_assert_max_num_queries(16):
        response = lyon_desk.get(reverse("backoffice:dashboard", args=[lyon_store.slug]))

    page = response.content.decode()
    orders_card = page.split('data-testid="orders-card"')[1].split("</section>")[0]
    attributed = page.split('data-testid="attributed-card"')[1].split("</section>")[0]
    assert '<p class="stat">2</p>' in orders_card
    assert "1 en retard" in orders_card
    assert served_in_paris.order.number in attributed
    assert "Ardoise Paris Bastille" in attributed
    assert "1 d'entre elles est servie par un autre site." in attributed
    assert someone_elses.order.number not in attributed


def test_the_fulfilment_page_and_handover_take_a_bounded_number_of_queries(
    lyon_desk, lyon_store, django_assert_max_num_queries
):
    fulfilment = make_fulfilment(store=lyon_store, quantity=3)
    ready(fulfilment)

    with django_assert_max_num_queries(14):
        detail = lyon_desk.get(url("fulfilment", fulfilment))
    with django_assert_max_num_queries(14):
        handover = lyon_desk.get(url("handover", fulfilment))

    assert detail.status_code == handover.status_code == 200
