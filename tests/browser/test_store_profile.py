"""The Lyon owner runs the store's profile and team in a real browser, in French, at 1280 px
and on a 390 px phone: hours with a lunch break, a bad range refused on the page, a public
holiday closed in one click, a special day, services and capacity within HQ's bounds, a photo;
then a manager invited by e-mail who creates her account from the link and joins.
Screenshots in artifacts/screenshots/."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from network_marketplace.outbox import deliver_due_messages
from stores.holidays import public_holiday_on
from stores.models import StoreInvitation, StoreMembership, StoreSpecialDay
from tests.browser.conftest import PASSWORD_LABEL, SCREENSHOTS
from tests.browser.test_pages import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (46, 125, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


def an_ordinary_day_soon():
    """Two days ahead or later, and no public holiday (the test adds it by hand)."""
    day = timezone.localdate() + timedelta(days=2)
    while public_holiday_on(day) is not None:
        day += timedelta(days=1)
    return day


def test_the_owner_edits_the_store_profile(page, screenshot, lyon_owner, lyon_store):
    page.set_viewport_size(DESKTOP)
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    nav = page.get_by_role("navigation", name="Back-office")
    nav.get_by_role("link", name="Profil du magasin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil du magasin")

    # Hours: Tuesday with a lunch break, Monday afternoon only
    for label, value in (
        ("Mardi · ouvre à (1)", "09:00"),
        ("Mardi · ferme à (1)", "12:30"),
        ("Mardi · ouvre à (2)", "14:00"),
        ("Mardi · ferme à (2)", "19:00"),
        ("Lundi · ouvre à (1)", "14:00"),
        ("Lundi · ferme à (1)", "19:00"),
    ):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Enregistrer les horaires").click()
    expect(page.locator(".messages")).to_contain_text(
        "Les horaires d\u2019ouverture sont enregistrés."
    )
    lyon_store.refresh_from_db()
    assert lyon_store.opening_hours["tue"] == [["09:00", "12:30"], ["14:00", "19:00"]]

    # A range that closes before it opens is refused on the page, nothing saved
    page.get_by_label("Mercredi · ouvre à (1)", exact=True).fill("18:00")
    page.get_by_label("Mercredi · ferme à (1)", exact=True).fill("09:00")
    page.get_by_role("button", name="Enregistrer les horaires").click()
    expect(page.get_by_test_id("hours-wed")).to_contain_text(
        "L\u2019heure de fermeture doit être après l\u2019heure d\u2019ouverture."
    )
    screenshot("store-profile-hours-error")
    lyon_store.refresh_from_db()
    assert lyon_store.opening_hours["wed"] == []

    # A public holiday in one click, and a special day by hand
    page.goto(f"/store/{lyon_store.slug}/profile/")
    first_holiday = page.get_by_test_id("public-holiday").first
    name = first_holiday.locator("strong").inner_text()
    first_holiday.get_by_role("button", name=re.compile("^Fermé ce jour férié")).click()
    expect(page.locator(".messages")).to_contain_text(
        f"Le magasin est fermé ce jour férié\u00a0: {name}."
    )
    expect(page.get_by_test_id("special-day")).to_contain_text(name)
    inventory = an_ordinary_day_soon()
    page.get_by_label("Jour", exact=True).fill(inventory.isoformat())
    page.get_by_label("Fermé toute la journée").check()
    page.get_by_label("Note").fill("Inventaire")
    page.get_by_role("button", name="Ajouter le jour").click()
    expect(page.locator(".messages")).to_contain_text("Le jour exceptionnel a été ajouté.")
    assert set(StoreSpecialDay.objects.values_list("note", flat=True)) == {name, "Inventaire"}

    # Services and capacity: out of HQ's bounds refused, then within
    page.get_by_label("Réservation en magasin").uncheck()
    page.get_by_label("Commandes par jour").fill("5000")
    page.get_by_role("button", name="Enregistrer les services").click()
    expect(page.locator("#services")).to_contain_text(
        "Choisissez entre 5 et 500 commandes par jour."
    )
    lyon_store.refresh_from_db()
    assert lyon_store.offers_reserve_collect is True
    page.get_by_label("Réservation en magasin").uncheck()
    page.get_by_label("Commandes par jour").fill("40")
    page.get_by_role("button", name="Enregistrer les services").click()
    expect(page.locator(".messages")).to_contain_text("Les services sont enregistrés.")
    lyon_store.refresh_from_db()
    assert (lyon_store.daily_capacity, lyon_store.offers_reserve_collect) == (40, False)

    # Photo and description
    page.get_by_label("Description", exact=True).fill("Pépiniériste et quincaillier depuis 1982.")
    page.get_by_label("Photo", exact=True).set_input_files(
        files=[{"name": "boutique.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("button", name="Enregistrer la présentation").click()
    expect(page.locator(".messages")).to_contain_text("La présentation du magasin est enregistrée.")
    expect(page.get_by_test_id("store-photo")).to_be_visible()
    screenshot("store-profile")
    assert no_sideways_scroll(page)

    page.set_viewport_size(PHONE)
    page.goto(f"/store/{lyon_store.slug}/profile/")
    screenshot("store-profile-phone")
    assert no_sideways_scroll(page)

    # The store page shows the photo, the words and the inventory day
    page.set_viewport_size(DESKTOP)
    page.goto(f"/stores/{lyon_store.slug}/")
    expect(page.get_by_test_id("store-description")).to_have_text(
        "Pépiniériste et quincaillier depuis 1982."
    )
    expect(page.get_by_test_id("store-photo")).to_be_visible()
    expect(page.get_by_test_id("special-days")).to_contain_text("Fermé")
    screenshot("store-page-with-profile")


def test_the_owner_invites_a_manager_who_joins(
    page, browser, live_server, screenshot, lyon_owner, lyon_store, lyon_staff
):
    page.set_viewport_size(DESKTOP)
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    page.get_by_role("navigation", name="Back-office").get_by_role("link", name="Équipe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipe")
    page.get_by_label("E-mail").fill("chloe.responsable@example.com")
    page.get_by_label("Rôle", exact=True).select_option(label="Responsable")
    page.get_by_role("button", name="Envoyer l\u2019invitation").click()
    expect(page.locator(".messages")).to_contain_text(
        "L\u2019invitation part vers chloe.responsable@example.com."
    )
    expect(page.get_by_test_id("invitation")).to_contain_text("chloe.responsable@example.com")
    # The staff member becomes a manager
    staff_row = page.get_by_test_id("member").filter(has_text=lyon_staff.email)
    staff_row.get_by_label(f"Rôle de {lyon_staff.email}").select_option(label="Responsable")
    staff_row.get_by_role("button", name="Changer le rôle").click()
    expect(page.locator(".messages")).to_contain_text("Le rôle est modifié.")
    assert no_sideways_scroll(page)
    screenshot("store-team")
    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)
    screenshot("store-team-phone")

    # The invitee opens the e-mail's link on her phone and creates her account
    deliver_due_messages()
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/team/invitations/\S+/", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    invitee = context.new_page()
    invitee.goto(path)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(
        "Invitation dans l\u2019équipe d\u2019un magasin"
    )
    expect(invitee.get_by_text("en tant que Responsable")).to_be_visible()
    assert no_sideways_scroll(invitee)
    invitee.screenshot(path=str(SCREENSHOTS / "store-invitation-phone.png"), full_page=True)
    invitee.get_by_role("link", name="Créer mon compte").click()
    invitee.get_by_label("Courriel").fill("chloe.responsable@example.com")
    invitee.get_by_label(PASSWORD_LABEL).fill("Un-mot-de-passe-long-42")
    invitee.get_by_label("Mot de passe (confirmation)").fill("Un-mot-de-passe-long-42")
    invitee.get_by_role("button", name="Création de compte").click()
    invitee.get_by_role("button", name="Rejoindre l\u2019équipe").click()
    expect(invitee.locator(".messages")).to_contain_text("Bienvenue dans l\u2019équipe")
    context.close()

    joined = StoreMembership.objects.get(user__email="chloe.responsable@example.com")
    assert (joined.store, joined.role) == (lyon_store, "manager")
    assert StoreInvitation.objects.get().accepted_at is not None
