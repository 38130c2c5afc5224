"""The scorecards in a real browser, in French, at 1280 x 800: the Lyon owner reads the store's
scorecard in its back-office (out of home-delivery routing after three timeouts), HQ reads it in
the admin and puts the store back with a reason; HQ simulates other routing weights. No English,
no raw code, no horizontal scroll."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fulfillment.models import Fulfilment
from fulfillment.services import time_out_overdue_fulfilments
from hq.models import StoreStanding
from hq.services import apply_consequences
from tests.browser.test_pages import log_in
from tests.hq.scorecard_network import lyon_network, thresholds  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
ENGLISH = re.compile(
    r"\b(Scorecard|Warning|threshold|Figures?|Standing|good|warned|suspended|timed_out|"
    r"home_delivery|Out of|Fair routing|Share of|Orders)\b"
)


@pytest.fixture
def lyon_out_of_home_delivery(lyon_network, thresholds):  # noqa: F811
    for _index in range(3):
        lyon_network.collect_order()
    Fulfilment.objects.filter(status=Fulfilment.Status.AWAITING_ACCEPTANCE).update(
        accept_deadline=timezone.now() - timedelta(minutes=1)
    )
    time_out_overdue_fulfilments()
    apply_consequences()  # warned
    apply_consequences()  # out of home-delivery routing
    assert StoreStanding.objects.get(store=lyon_network.lyon).status == "suspended"
    return lyon_network


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_lyon_owner_reads_the_scorecard_of_the_store(
    page, screenshot, lyon_out_of_home_delivery, lyon_owner
):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_out_of_home_delivery.lyon.slug}/")
    page.get_by_test_id("nav-scorecard").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Qualité de service")
    expect(page.get_by_test_id("standing-badge").first).to_have_text(
        "Retiré des livraisons à domicile"
    )
    expect(page.get_by_test_id("standing-alert")).to_contain_text(
        "Votre click & collect, votre réservation en magasin et votre page magasin restent."
    )
    timeouts = page.get_by_test_id("figure-timeouts")
    expect(timeouts).to_contain_text("Non acceptées à temps")
    expect(timeouts).to_contain_text("3")
    expect(timeouts).to_contain_text("Seuil de retrait")
    expect(page.get_by_test_id("figure-acceptance_rate")).to_contain_text("0\u00a0%")
    expect(page.get_by_test_id("standing-history").locator("tbody tr")).to_have_count(2)
    expect(
        page.get_by_role("link", name="L\u2019exposé des motifs, et comment le contester")
    ).to_be_visible()
    assert not ENGLISH.search(page.locator("main").inner_text())
    assert no_sideways_scroll(page)
    screenshot("backoffice-scorecard")


def test_hq_reads_a_scorecard_and_puts_the_store_back_with_a_reason(
    page, screenshot, lyon_out_of_home_delivery, hq_admin
):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, hq_admin.email)
    page.goto("/admin/")
    page.get_by_test_id("admin-home").get_by_role(
        "link", name="Tableaux de bord qualité des magasins"
    ).click()
    expect(page.locator("#result_list")).to_contain_text("Retiré des livraisons à domicile")
    assert not ENGLISH.search(page.locator("#content").inner_text())
    assert no_sideways_scroll(page)
    screenshot("admin-scorecards-list")
    page.get_by_role("link", name=lyon_out_of_home_delivery.lyon.name).click()

    expect(page.get_by_test_id("figure-timeouts")).to_contain_text("Seuil de retrait")
    expect(page.get_by_test_id("standing-history")).to_contain_text("Automatique")
    assert not ENGLISH.search(page.locator("#content").inner_text())
    assert no_sideways_scroll(page)
    screenshot("admin-scorecard")

    lift = page.get_by_test_id("lift-form")
    lift.get_by_label("Motif").fill("Panne de caisse, vérifiée par le siège.")
    lift.get_by_role("button", name="Lever").click()

    expect(page.get_by_test_id("standing-badge")).to_have_text("En règle")
    expect(page.get_by_test_id("standing-history")).to_contain_text(
        "Panne de caisse, vérifiée par le siège."
    )
    lyon_out_of_home_delivery.lyon.refresh_from_db()
    assert not lyon_out_of_home_delivery.lyon.home_delivery_suspended


def test_hq_simulates_other_routing_weights(page, screenshot, lyon_network, hq_admin):  # noqa: F811
    for _index in range(3):
        lyon_network.home_order()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, hq_admin.email)
    page.goto("/admin/hq/fairrouting/")

    expect(page.get_by_test_id("spread-69")).to_contain_text(lyon_network.lyon.name)
    form = page.get_by_test_id("simulation-form")
    form.get_by_label("Poids de l'équité").fill("0.9")
    form.get_by_label("Rejouer les commandes des derniers (jours)").fill("2")
    form.get_by_role("button", name="Simuler").click()

    expect(page.get_by_test_id("simulation-result")).to_contain_text("3 commandes rejouées.")
    assert not ENGLISH.search(page.locator("#content").inner_text())
    assert no_sideways_scroll(page)
    screenshot("admin-fair-routing-simulation")
