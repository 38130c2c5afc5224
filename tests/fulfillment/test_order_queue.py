"""The order queue with the customer's pickup slots, and usable with hundreds of open orders:
sorted and grouped by slot, paged per tab with counts, filtered by slot, method and status, and
bulk steps (accept the selected, their pick lists) through the same service as one."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fulfillment.models import Fulfilment, FulfilmentEvent
from fulfillment.services import accept_fulfilment, accept_fulfilments, cancel_fulfilment
from orders.models import FulfilmentMethod, PickupSlot
from stores.opening_hours import STORE_TIME_ZONE
from tests.api_clients import api_client
from tests.factories import MembershipFactory, UserFactory
from tests.fulfillment.conftest import emails_sent, make_fulfilment

S = Fulfilment.Status
EN_DASH = "\u2013"
NBSP = "\u00a0"  # French typography: before ":"
CLICK = FulfilmentMethod.CLICK_COLLECT
HOME = FulfilmentMethod.HOME_DELIVERY


def days_ahead(days: int, hour: int, minute: int = 0) -> datetime:
    """A local moment `days` from today (Paris)."""
    today = timezone.localtime(timezone.now(), STORE_TIME_ZONE).date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=STORE_TIME_ZONE)


def with_slot(fulfilment, starts_at, minutes=30):
    PickupSlot.objects.create(
        order=fulfilment.order,
        store=fulfilment.store,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
    )
    return fulfilment


def awaiting(store, **fields):
    deadline = timezone.now() + timedelta(hours=2)
    return make_fulfilment(store=store, accept_deadline=deadline, **fields)


def queue(client, store, **params):
    return client.get(reverse("backoffice:orders", args=[store.slug]), params)


def rows(response):
    return [
        f.pk for _bucket, fulfilments, _total in response.context["groups"] for f in fulfilments
    ]


@pytest.fixture
def lyon_desk(client, lyon_staff):
    client.force_login(lyon_staff)
    return client


def test_the_queue_shows_each_orders_pickup_slot_soonest_first_under_its_day(lyon_desk, lyon_store):
    # Given three orders to accept: picked up the day after tomorrow, tomorrow, and no slot
    later = with_slot(awaiting(lyon_store), days_ahead(2, 10))
    sooner = with_slot(awaiting(lyon_store), days_ahead(1, 11, 30))
    no_slot = awaiting(lyon_store)

    response = queue(lyon_desk, lyon_store, tab="to_accept")

    # Then the soonest slot comes first, those without one last, each under its day's heading
    assert rows(response) == [sooner.pk, later.pk, no_slot.pk]
    page = response.content.decode()
    row = page.split(f'data-testid="queue-row-{sooner.order.number}"')[1].split("</tr>")[0]
    assert f"11:30{EN_DASH}12:00" in row
    assert page.count('data-testid="slot-day"') == 3
    assert "Retrait le " in page
    assert "Sans créneau de retrait" in page


def test_the_slot_is_on_the_fulfilment_page_the_pick_list_and_the_handover(lyon_desk, lyon_store):
    fulfilment = with_slot(awaiting(lyon_store), days_ahead(1, 11, 30))
    accept_fulfilment(fulfilment=fulfilment, actor="test")
    args = [lyon_store.slug, fulfilment.pk]

    for name in ("fulfilment", "fulfilment-pick-list", "handover"):
        page = lyon_desk.get(reverse(f"backoffice:{name}", args=args)).content.decode()
        assert 'data-testid="pickup-slot"' in page, name
        assert f"11:30{EN_DASH}12:00" in page, name


def test_a_tab_pages_through_its_orders_and_counts_them_all(lyon_desk, lyon_store):
    made = [awaiting(lyon_store) for _ in range(30)]

    first = queue(lyon_desk, lyon_store, tab="to_accept")
    second = queue(lyon_desk, lyon_store, tab="to_accept", page=2)

    assert first.context["counts"]["to_accept"] == 30
    assert len(rows(first)) == 25
    assert len(rows(second)) == 5
    assert set(rows(first)) | set(rows(second)) == {f.pk for f in made}
    assert "Page 1 sur 2" in first.content.decode()


def test_all_open_shows_each_groups_first_rows_and_links_to_the_rest(lyon_desk, lyon_store):
    for _ in range(12):
        awaiting(lyon_store)

    response = queue(lyon_desk, lyon_store)

    assert len(rows(response)) == 10
    assert 'data-testid="see-all-to_accept"' in response.content.decode()
    assert "Voir les 12 commandes" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"day": "tomorrow"}, {"tomorrow_morning", "tomorrow_evening"}),
        ({"period": "morning"}, {"tomorrow_morning", "later_morning"}),
        ({"period": "evening"}, {"tomorrow_evening"}),
        ({"period": "none"}, {"parcel", "no_slot"}),
        ({"method": HOME}, {"parcel"}),
        ({"status": S.ACCEPTED}, {"later_morning"}),
        ({"day": "tomorrow", "period": "morning"}, {"tomorrow_morning"}),
    ],
    ids=["day", "morning", "evening", "no-slot", "method", "status", "day-and-period"],
)
def test_the_filters_narrow_the_queue(lyon_desk, lyon_store, params, expected):
    made = {
        "tomorrow_morning": with_slot(awaiting(lyon_store), days_ahead(1, 9, 30)),
        "tomorrow_evening": with_slot(awaiting(lyon_store), days_ahead(1, 18)),
        "later_morning": with_slot(awaiting(lyon_store), days_ahead(3, 10)),
        "parcel": awaiting(lyon_store, method=HOME),
        "no_slot": awaiting(lyon_store),
    }
    accept_fulfilment(fulfilment=made["later_morning"], actor="test")
    if params.get("day") == "tomorrow":
        params = {**params, "day": days_ahead(1, 0).date().isoformat()}

    response = queue(lyon_desk, lyon_store, **params)

    assert response.status_code == 200
    assert set(rows(response)) == {made[name].pk for name in expected}
    assert response.context["counts"]["open"] == len(expected)


def test_a_wrong_filter_is_a_field_error_and_the_queue_still_shows(lyon_desk, lyon_store):
    fulfilment = awaiting(lyon_store)

    response = queue(lyon_desk, lyon_store, day="31/02", method="teleport")

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="filter-error-day"' in page
    assert 'data-testid="filter-error-method"' in page
    assert rows(response) == [fulfilment.pk]


def test_the_queue_reads_a_bounded_number_of_queries_with_hundreds_of_open_orders(
    lyon_desk, lyon_store, django_assert_max_num_queries
):
    for index in range(150):
        fulfilment = awaiting(lyon_store, method=HOME if index % 5 == 0 else CLICK)
        if index % 2:
            with_slot(fulfilment, days_ahead(1 + index % 3, 9 + index % 9))
    queue(lyon_desk, lyon_store)

    # The session, the store, the counts, then two queries (rows, their lines) per group shown:
    # ten here, twenty at most with all seven groups on "All open", whatever the orders' number.
    for params in ({}, {"tab": "to_accept", "page": "3"}, {"period": "morning"}):
        with django_assert_max_num_queries(12):
            response = queue(lyon_desk, lyon_store, **params)
        assert response.status_code == 200
        assert len(response.content) < 400_000


def bulk(client, store, action, fulfilments, **extra):
    return client.post(
        reverse("backoffice:orders-bulk", args=[store.slug]),
        {"action": action, "ids": [f.pk for f in fulfilments], **extra},
    )


def test_bulk_accept_accepts_each_selected_order_as_one_accept_would(lyon_desk, lyon_store):
    chosen = [awaiting(lyon_store) for _ in range(3)]
    left = awaiting(lyon_store)
    next_url = reverse("backoffice:orders", args=[lyon_store.slug]) + "?tab=to_accept"

    response = bulk(lyon_desk, lyon_store, "accept", chosen, next=next_url)

    assert response.status_code == 302
    assert response.url == next_url
    for fulfilment in chosen:
        fulfilment.refresh_from_db()
        assert fulfilment.status == S.ACCEPTED
        event = FulfilmentEvent.objects.get(fulfilment=fulfilment, to_status=S.ACCEPTED)
        assert event.actor_label  # the staff member, as a single accept records
    assert len(emails_sent("order_accepted")) == 3
    left.refresh_from_db()
    assert left.status == S.AWAITING_ACCEPTANCE
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"3 commandes acceptées{NBSP}: préparez-les maintenant."]


def test_bulk_accept_reports_an_order_no_longer_to_accept_and_accepts_the_others(
    lyon_desk, lyon_store
):
    # Given two selected orders, one cancelled by HQ meanwhile
    fine, gone = awaiting(lyon_store), awaiting(lyon_store)
    cancel_fulfilment(fulfilment=gone, actor="hq", reason="Client injoignable")

    response = bulk(lyon_desk, lyon_store, "accept", [fine, gone])

    # Then the other one is accepted (one transaction per order) and the cancelled one named
    fine.refresh_from_db()
    gone.refresh_from_db()
    assert (fine.status, gone.status) == (S.ACCEPTED, S.CANCELLED)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0] == f"1 commande acceptée{NBSP}: préparez-la maintenant."
    assert messages[1].startswith(f"Commande {gone.order.number} non acceptée{NBSP}: ")


def test_bulk_steps_never_reach_another_stores_orders(lyon_desk, lyon_store, paris_store):
    theirs = awaiting(paris_store)

    accept = bulk(lyon_desk, lyon_store, "accept", [theirs])
    pick = lyon_desk.get(
        reverse("backoffice:pick-list", args=[lyon_store.slug]), {"ids": theirs.pk}
    )

    theirs.refresh_from_db()
    assert theirs.status == S.AWAITING_ACCEPTANCE
    assert accept.status_code == 302
    assert pick.status_code == 404


def test_bulk_accept_without_a_selection_says_so(lyon_desk, lyon_store):
    awaiting(lyon_store)

    response = bulk(lyon_desk, lyon_store, "accept", [])

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Sélectionnez au moins une commande."]


def test_a_store_member_without_rights_on_the_store_gets_no_bulk_step(client, lyon_store):
    outsider = UserFactory()
    MembershipFactory(user=outsider)  # a member of another store
    fulfilment = awaiting(lyon_store)
    client.force_login(outsider)

    response = bulk(client, lyon_store, "accept", [fulfilment])

    assert response.status_code == 404
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.AWAITING_ACCEPTANCE


def test_the_pick_lists_of_the_selected_orders_print_on_one_page_by_slot(lyon_desk, lyon_store):
    later = with_slot(awaiting(lyon_store), days_ahead(2, 10))
    sooner = with_slot(awaiting(lyon_store), days_ahead(1, 9))
    not_chosen = awaiting(lyon_store)
    for fulfilment in (later, sooner, not_chosen):
        accept_fulfilment(fulfilment=fulfilment, actor="test")

    response = bulk(lyon_desk, lyon_store, "pick_list", [later, sooner])
    page = lyon_desk.get(response.url).content.decode()

    assert response.status_code == 302
    assert page.index(sooner.order.number) < page.index(later.order.number)
    assert not_chosen.order.number not in page
    assert page.count('data-testid="pickup-slot"') == 2


@pytest.mark.django_db(transaction=True)
def test_two_staff_bulk_accepting_the_same_orders_accept_each_once(lyon_store, lyon_staff):
    # Given ten orders to accept, selected at the same moment on two counters
    chosen = [awaiting(lyon_store) for _ in range(10)]
    start = threading.Barrier(2)
    outcomes = []

    def counter():
        try:
            start.wait(10)
            outcomes.append(
                accept_fulfilments(
                    fulfilments=list(Fulfilment.objects.filter(pk__in=[f.pk for f in chosen])),
                    actor=lyon_staff,
                    at_store=lyon_store,
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=counter) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then every order is accepted once: one event, one e-mail to its customer, nothing refused
    assert all(not outcome.refused for outcome in outcomes)
    for fulfilment in chosen:
        fulfilment.refresh_from_db()
        assert fulfilment.status == S.ACCEPTED
        assert (
            FulfilmentEvent.objects.filter(fulfilment=fulfilment, to_status=S.ACCEPTED).count() == 1
        )
    assert len(emails_sent("order_accepted")) == 10


def test_the_pos_reads_the_pickup_slot_with_each_fulfilment(lyon_store, lyon_key):
    with_slot(awaiting(lyon_store), days_ahead(1, 11, 30))
    plain = awaiting(lyon_store)

    response = api_client(key=lyon_key).get(f"/api/v1/stores/{lyon_store.slug}/fulfilments/")

    assert response.status_code == 200
    slots = {row["id"]: row["pickup_slot"] for row in response.json()["results"]}
    assert slots[plain.pk] is None
    (chosen,) = [slot for slot in slots.values() if slot]
    assert datetime.fromisoformat(chosen["starts_at"]) == days_ahead(1, 11, 30)
    assert datetime.fromisoformat(chosen["ends_at"]) == days_ahead(1, 12)
