"""HQ works in the admin in a real browser at 1280 px, in French (issue 15, acceptance 1): the
home page, the orders, an order with its history, the money dashboard. No page scrolls sideways,
no English word of the stock admin, no amount in raw cents, no state by its code."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.text import slugify
from playwright.sync_api import expect

from config.unfold import NAVIGATION
from network_marketplace.admin_base import euros
from orders.models import Order, OrderPolicy
from payments.models import PayoutPolicy, SettlementPolicy
from tests.browser.conftest import sign_in_to_admin
from tests.factories import PASSWORD
from tests.fulfillment.conftest import home, network, order_for  # noqa: F401 (fixture)
from tests.payments.money_helpers import open_account

pytestmark = pytest.mark.browser

ENGLISH = re.compile(
    r"\b(Created at|Updated at|Currency|Status|Actor label|From status|To status|Type to search|"
    r"Search apps|Select value|Network marketplace|Add|Change|Delete|History|Filters|"
    r"Authenticators|User sessions)\b"
)
STATE_CODES = re.compile(
    r"(?<![.\w])(pending_payment|placed|in_progress|awaiting_acceptance|succeeded)\b"
)


@pytest.fixture
def hq_with_an_order(network, paris_store, hq_admin):  # noqa: F811
    hq_admin.set_password(PASSWORD)
    hq_admin.save()
    open_account(paris_store)
    order = order_for(home(network.secateur))
    return hq_admin, order


def fits_and_speaks_french(page, *, cents: list[int] = ()) -> str:
    """The page's text, once checked: no sideways scroll (nor in its table of results), none of
    the stock admin's English, no raw cents, no state code."""
    widths = page.evaluate(
        "() => { const t = document.querySelector('#result_list');"
        " return [document.documentElement.scrollWidth, innerWidth,"
        " t ? t.getBoundingClientRect().right : 0]; }"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    assert widths[2] <= widths[1], f"the list is wider than the screen: {widths}"
    text = page.locator("body").inner_text()
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert not STATE_CODES.search(text), STATE_CODES.search(text)
    assert "centimes" not in text.lower()
    for amount in cents:
        assert not re.search(rf"\b{amount}\b", text), f"{amount} cents shown raw"
    return text


def test_hq_works_in_the_admin_at_1280_px_in_french(page, screenshot, hq_with_an_order):
    hq_admin, order = hq_with_an_order
    page.set_viewport_size({"width": 1280, "height": 800})

    # The home page: HQ's jobs, grouped as in the sidebar, nothing technical
    sign_in_to_admin(page, hq_admin)
    expect(page.get_by_test_id("control-tower")).to_be_visible()
    home_text = fits_and_speaks_french(page)
    assert "Tableau de bord financier" in home_text
    for technical in ("Sites", "Crontabs", "Intervalles", "solaire"):
        assert technical not in page.get_by_test_id("admin-home").inner_text()
    screenshot("admin_home_1280")

    # The orders: from the sidebar, the total in euros and the state by its name
    page.get_by_test_id("admin-home").get_by_role("link", name="Commandes", exact=True).click()
    expect(page.locator("#result_list")).to_be_visible()
    list_text = fits_and_speaks_french(page, cents=[order.total_cents])
    assert euros(order.total_cents) in list_text
    assert order.get_status_display().upper() in list_text.upper()
    screenshot("admin_orders_1280")

    # An order: its history in the states' names
    page.get_by_role("link", name=order.number).click()
    expect(page.get_by_text("En attente de paiement → Enregistrée")).to_be_attached()
    fits_and_speaks_french(page, cents=[order.total_cents])
    screenshot("admin_order_1280")

    # The money dashboard: from the sidebar, in euros, who can be paid said truthfully
    page.locator("#nav-sidebar-apps h2", has_text="Finances").click()
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Tableau de bord financier").click()
    expect(page.get_by_role("heading", name="Tableau de bord financier")).to_be_visible()
    money_text = fits_and_speaks_french(page)
    # one franchised store of the four has its payment account
    assert "pouvant recevoir des virements aujourd'hui\u00a0: 1 sur 4." in money_text
    expect(page.get_by_test_id("every-store-payable")).to_have_count(0)
    screenshot("admin_money_dashboard_1280")

    assert Order.objects.filter(pk=order.pk).exists()


def admin_urls(user) -> Iterator[str]:
    """The list, the add form (where HQ may add) and the newest row's form of every admin, each
    asked once the page before it was read (a one-row setting's list makes its row)."""
    for model, model_admin in admin.site._registry.items():
        request = type("Request", (), {"user": user})()  # one per page, as the admin's
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request):
            yield reverse("admin:{}_{}_add".format(*info))
        newest = model._default_manager.order_by("-pk").first()
        if newest is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[newest.pk])


def page_faults(page) -> list[str]:
    """What is wrong with the page as HQ sees it: sideways scroll, English, codes, raw cents or
    basis points."""
    faults = []
    widths = page.evaluate(
        "() => { const t = document.querySelector('#result_list');"
        " return [document.documentElement.scrollWidth, innerWidth,"
        " t ? Math.round(t.getBoundingClientRect().right) : 0]; }"
    )
    if widths[0] > widths[1] or widths[2] > widths[1]:
        widest = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e =>"
            " e.getBoundingClientRect().right > innerWidth && ![...e.children].some(c =>"
            " c.getBoundingClientRect().right > innerWidth)).slice(0, 3).map(e =>"
            " e.tagName + '#' + e.id + '.' + e.className)"
        )
        faults.append(f"wider than the screen {widths}, by {widest}")
    text = page.locator("body").inner_text()
    for pattern in (ENGLISH, STATE_CODES):
        if found := pattern.search(text):
            faults.append(f"shows {found.group(0)!r}")
    if "centimes" in text.lower():
        faults.append("shows cents")
    if "points de base" in text.lower():
        faults.append("shows basis points")
    return faults


def test_every_admin_list_and_form_fits_1280_px_in_french(page, screenshot, hq_with_an_order):
    """Every changelist, add form and change form of the admin, walked in the browser: each fits
    the screen and reads in French, with amounts in euros and states by name. One list per job
    (the first of each sidebar group) is kept as a screenshot."""
    hq_admin, _order = hq_with_an_order
    OrderPolicy.current()
    PayoutPolicy.current()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_to_admin(page, hq_admin)
    shots = {
        reverse("admin:{}_{}_changelist".format(*item["model"].lower().split("."))): group
        for group in NAVIGATION
        for item in group["items"][:2]
        if "model" in item and "query" not in str(item["link"])
    }

    failures = []
    for url in admin_urls(hq_admin):
        response = page.goto(url)
        if response is None or response.status != 200:
            failures.append(f"{url}: {response.status if response else 'no answer'}")
            continue
        faults = page_faults(page)
        if faults:
            failures.extend(f"{url}: {fault}" for fault in faults)
            screenshot(f"admin_fault_{slugify(url)}")
        if url in shots:
            group = shots.pop(url)
            screenshot(f"admin_job_{slugify(str(group['title']))}_1280")

    assert failures == [], "\n".join(failures)


def test_hq_sets_the_transfer_price_in_per_cent(page, screenshot, hq_with_an_order):
    """A rate is typed and read in per cent ("55,5"), kept in basis points: HQ never types 5550."""
    hq_admin, _order = hq_with_an_order
    policy = SettlementPolicy.current()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_to_admin(
        page, hq_admin, reverse("admin:payments_settlementpolicy_change", args=[policy.pk])
    )

    field = page.get_by_label("Prix de cession (part du prix payé)")
    expect(field).to_have_value("60")
    fits_and_speaks_french(page)
    field.fill("55,5")
    screenshot("admin_settlement_policy_1280")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.locator("#result_list")).to_contain_text("55,5\u00a0%")
    policy.refresh_from_db()
    assert policy.transfer_price_rate_bp == 5550
