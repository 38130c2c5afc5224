"""The store plans its work by the pickup time the customer chose (the queue, sorted and grouped
by it, the fulfilment page, the pick list, the handover), accepts many orders at once, and the
customer finds their pickup code and its QR on the order page once it is ready. At a laptop's
width and a phone's."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fulfillment.models import Fulfilment
from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from orders.models import FulfilmentMethod, Order, PickupSlot
from stores.opening_hours import STORE_TIME_ZONE
from tests.browser.conftest import sign_in_to_admin
from tests.browser.test_pages import log_in
from tests.fulfillment.conftest import make_fulfilment

pytestmark = pytest.mark.browser

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["laptop", "phone"])
EN_DASH = "\u2013"


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime(timezone.now(), STORE_TIME_ZONE).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STORE_TIME_ZONE)


def with_slot(fulfilment, starts_at):
    PickupSlot.objects.create(
        order=fulfilment.order,
        store=fulfilment.store,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
    )
    return fulfilment


def named(fulfilment, first_name, last_name):
    Order.objects.filter(pk=fulfilment.order_id).update(first_name=first_name, last_name=last_name)
    return fulfilment


@pytest.fixture
def lyon_day(lyon_store):
    """Three click & collect orders to accept, picked up tomorrow at 17:30, 11:30 and 09:00,
    and a parcel without a slot."""
    deadline = timezone.now() + timedelta(minutes=90)

    def to_accept(hour, minute=0):
        made = make_fulfilment(store=lyon_store, accept_deadline=deadline)
        return with_slot(made, tomorrow_at(hour, minute))

    return {
        "evening": named(
            to_accept(17, 30),
            "Hugo", "Bernard",
        ),
        "noon": named(
            to_accept(11, 30),
            "Léa", "Martin",
        ),
        "morning": named(
            to_accept(9),
            "Chloé", "Petit",
        ),
        "parcel": named(
            make_fulfilment(
                store=lyon_store, method=FulfilmentMethod.HOME_DELIVERY, accept_deadline=deadline
            ),
            "Nina", "Roux",
        ),
    }  # fmt: skip


@WIDTHS
def test_the_store_plans_by_pickup_slot_and_accepts_several_orders_at_once(
    page, screenshot, width, lyon_staff, lyon_store, lyon_day
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, lyon_staff.email)

    # The queue: sorted by the slot the customer chose, under its day, the parcel last
    page.goto(f"/store/{lyon_store.slug}/orders/?tab=to_accept")
    numbers = [lyon_day[key].order.number for key in ("morning", "noon", "evening", "parcel")]
    rows = page.locator("[data-testid^='queue-row-']")
    expect(rows).to_have_count(4)
    assert [
        row.get_attribute("data-testid").removeprefix("queue-row-") for row in rows.all()
    ] == numbers
    expect(page.get_by_test_id(f"slot-{numbers[1]}")).to_contain_text(f"11:30{EN_DASH}12:00")
    expect(page.get_by_test_id("slot-day").first).to_contain_text("Retrait le ")
    expect(page.get_by_test_id("tab-to_accept")).to_contain_text("4")
    screenshot(f"backoffice-queue-slots-{width}")
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Filter: the morning's pickups
    page.get_by_label("Heure de retrait").select_option("morning")
    page.get_by_test_id("queue-filters").get_by_role("button").click()
    expect(rows).to_have_count(2)
    screenshot(f"backoffice-queue-filtered-{width}")

    # Bulk accept the two morning orders
    for number in numbers[:2]:
        page.get_by_test_id(f"select-{number}").check()
    page.get_by_test_id("bulk-accept").click()
    expect(page.locator(".messages")).to_contain_text("2 commandes acceptées")
    screenshot(f"backoffice-queue-bulk-accepted-{width}")
    for key in ("morning", "noon"):
        assert Fulfilment.objects.get(pk=lyon_day[key].pk).status == Fulfilment.Status.ACCEPTED
    assert Fulfilment.objects.get(pk=lyon_day["evening"].pk).status == "awaiting_acceptance"

    # Their pick lists, on one printable page, by slot
    page.goto(f"/store/{lyon_store.slug}/orders/?tab=to_pick")
    for number in numbers[:2]:
        page.get_by_test_id(f"select-{number}").check()
    page.get_by_test_id("bulk-pick-list").click()
    expect(page.locator("[data-testid^='pick-order-']")).to_have_count(2)
    expect(page.get_by_test_id("pickup-slot").first).to_contain_text(f"09:00{EN_DASH}09:30")
    screenshot(f"backoffice-pick-list-selected-{width}")

    # The fulfilment page and the handover screen
    noon = lyon_day["noon"]
    page.goto(f"/store/{lyon_store.slug}/orders/{noon.pk}/")
    expect(page.get_by_test_id("pickup-slot")).to_contain_text(f"11:30{EN_DASH}12:00")
    screenshot(f"backoffice-fulfilment-slot-{width}")
    mark_picked(fulfilment=noon, actor="test")
    mark_ready_for_pickup(fulfilment=noon, actor="test")
    page.goto(f"/store/{lyon_store.slug}/orders/{noon.pk}/handover/")
    expect(page.get_by_test_id("pickup-slot")).to_contain_text(f"11:30{EN_DASH}12:00")
    screenshot(f"backoffice-handover-slot-{width}")


@WIDTHS
def test_the_customer_finds_the_pickup_code_and_its_qr_on_the_order_page(
    page, screenshot, width, customer, lyon_store
):
    fulfilment = with_slot(make_fulfilment(store=lyon_store), tomorrow_at(11, 30))
    Order.objects.filter(pk=fulfilment.order_id).update(customer=customer)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, customer.email)

    page.goto(f"/orders/{fulfilment.order.number}/")
    expect(page.get_by_test_id("order-part")).to_be_visible()
    expect(page.get_by_test_id("pickup-code")).to_have_count(0)  # not before it is ready

    accept_fulfilment(fulfilment=fulfilment, actor="test")
    mark_picked(fulfilment=fulfilment, actor="test")
    code = mark_ready_for_pickup(fulfilment=fulfilment, actor="test").pickup_code
    page.reload()

    expect(page.get_by_test_id("pickup-code-digits")).to_have_text(code)
    qr = page.get_by_test_id("pickup-qr").locator("svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150
    expect(page.get_by_test_id("pickup-slot")).to_contain_text(re.compile("11:30"))
    page.get_by_test_id("pickup-code").scroll_into_view_if_needed()
    screenshot(f"storefront-order-pickup-code-{width}")
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_hq_sees_the_pickup_slot_in_the_admin_and_the_store_its_catchment_card(
    page, screenshot, hq_admin, lyon_staff, lyon_store, lyon_day
):
    noon = lyon_day["noon"]
    Order.objects.filter(pk__in=[f.order_id for f in lyon_day.values()]).update(
        attributed_store=lyon_store
    )

    sign_in_to_admin(page, hq_admin, "/admin/fulfillment/fulfilment/")
    expect(page.locator("#result_list")).to_contain_text(f"11:30{EN_DASH}12:00")
    screenshot("admin-fulfilments-slot")
    page.goto(f"/admin/orders/order/{noon.order_id}/change/")
    expect(page.locator("body")).to_contain_text(f"11:30{EN_DASH}12:00")
    screenshot("admin-order-slot")

    # The store's catchment card: four orders counted, four listed, each store named once
    page.context.clear_cookies()
    log_in(page, lyon_staff.email)
    page.goto(f"/store/{lyon_store.slug}/")
    card = page.get_by_test_id("attributed-card")
    expect(card.locator("tbody tr")).to_have_count(4)
    expect(card).to_contain_text("Ces 4 commandes")
    card.scroll_into_view_if_needed()
    screenshot("backoffice-dashboard-catchment")
