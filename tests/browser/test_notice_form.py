"""DSA in a real browser: a visitor reports a store's offer from the product page (the form's
errors, then the receipt), HQ removes the offer in admin, and the store reads the statement
of reasons in its back-office and contests it (issue 12, acceptance 5 for the notice form)."""

import pytest
from playwright.sync_api import expect

from compliance.models import Complaint, Measure, Notice, OutOfCourtBody
from compliance.services import complaint_token, decide_notice, submit_notice
from tests.browser.test_pages import log_in
from tests.factories import StockLevelFactory

pytestmark = pytest.mark.browser


def test_a_visitor_reports_an_offer_hq_removes_it_and_the_store_contests_it(
    page, screenshot, lyon_store, lyon_owner, hq_admin
):
    OutOfCourtBody.objects.create(
        name="Médiateur du e-commerce", website="https://mediateur.example.org"
    )
    offer = StockLevelFactory(store=lyon_store, on_hand=4, variant__product__name="Tondeuse X")
    product = offer.variant.product

    # The visitor follows the link of the product page; no account needed.
    page.goto(f"/p/{product.slug}/")
    expect(page.get_by_test_id("report-illegal-content")).to_be_visible()
    screenshot("compliance-product-page-report-link")
    page.get_by_test_id("report-illegal-content").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler un contenu illicite")
    expect(page.get_by_test_id("notice-target")).to_contain_text("Tondeuse X")
    page.get_by_label("De quel type de contenu illicite s'agit-il ?").select_option(
        "unsafe_products"
    )
    page.get_by_label("L'offre de quel magasin ?").select_option(str(lyon_store.pk))
    page.get_by_label("Adresses exactes du contenu").fill("https://ailleurs.example.com/x")
    page.get_by_label("Votre adresse e-mail").fill("camille.martin@example.net")
    page.get_by_role("button", name="Envoyer le signalement").click()

    # Nothing is sent while the explanation is missing or the address is not of this site.
    expect(page.get_by_text("n'est pas une page de ce site")).to_be_visible()
    expect(
        page.get_by_text("Expliquez pourquoi vous estimez que ce contenu est illicite.")
    ).to_be_visible()
    assert not Notice.objects.exists()
    screenshot("compliance-notice-form-errors")

    page.get_by_label("Adresses exactes du contenu").fill(
        f"{page.url.split('/legal')[0]}/p/{product.slug}/"
    )
    page.get_by_label("Pourquoi est-ce illicite ?").fill("Vendue sans protection de lame.")
    page.get_by_label("Votre nom").fill("Camille Martin")
    page.get_by_label("Je confirme de bonne foi").check()
    screenshot("compliance-notice-form")
    page.get_by_role("button", name="Envoyer le signalement").click()

    notice = Notice.objects.get()
    expect(page.get_by_test_id("notice-sent")).to_contain_text(notice.reference)
    screenshot("compliance-notice-sent")

    # HQ decides in admin: the offer is disabled, with its statement of reasons.
    log_in(page, hq_admin.email)
    page.goto("/admin/compliance/notice/")
    expect(page.get_by_text(notice.reference)).to_be_visible()
    screenshot("compliance-admin-notice-queue")
    page.goto(f"/admin/compliance/notice/{notice.pk}/decide/")
    expect(page.get_by_test_id("snapshot")).to_contain_text("Tondeuse X")
    page.locator("#id_measure_kind").select_option("offer_disabled")
    page.get_by_label("Décision, telle que l'auteur du signalement la lira").fill(
        "L'offre est retirée."
    )
    page.get_by_label("Faits et circonstances").fill(
        "La tondeuse est vendue sans protection de lame."
    )
    page.get_by_label("Fondement juridique (contenu illicite)").fill(
        "Art. L. 421-3 du code de la consommation"
    )
    screenshot("compliance-admin-notice-decide")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text(f"Signalement {notice.reference} tranché.")).to_be_visible()
    measure = Measure.objects.get()
    page.context.clear_cookies()

    # The store reads the statement in its back-office and contests it.
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/compliance/")
    expect(page.get_by_test_id("statement-row")).to_contain_text("Offre désactivée")
    screenshot("compliance-backoffice-statements")
    page.get_by_role("link", name="Lire").click()
    expect(page.get_by_test_id("statement")).to_contain_text("sans protection de lame")
    expect(page.get_by_test_id("statement")).to_contain_text("Médiateur du e-commerce")
    page.get_by_label("Pourquoi estimez-vous la décision erronée ?").fill(
        "La protection est montée."
    )
    page.get_by_role("button", name="Envoyer la réclamation").click()
    expect(page.get_by_test_id("complaint")).to_contain_text("Reçu")
    screenshot("compliance-backoffice-statement-complaint")
    assert Complaint.objects.get().measure == measure


def test_the_notifier_contests_no_action_and_hq_decides_and_acts_on_its_own_initiative(
    page, screenshot, lyon_store, hq_admin
):
    OutOfCourtBody.objects.create(
        name="Médiateur du e-commerce", website="https://mediateur.example.org"
    )
    offer = StockLevelFactory(store=lyon_store, variant__product__name="Sécateur Y")
    notice = submit_notice(
        category="intellectual_property",
        explanation="Contrefaçon de la marque.",
        urls=[f"http://testserver/p/{offer.variant.product.slug}/"],
        notifier_email="camille.martin@example.net",
        good_faith=True,
    )
    decide_notice(notice=notice, actor=hq_admin, decision_text="La marque est authentique.")

    # The legal page says how to contest and names the out-of-court bodies.
    page.goto("/legal/report/")
    expect(page.get_by_test_id("out-of-court-bodies")).to_contain_text("Médiateur du e-commerce")
    expect(page.get_by_test_id("report-illegal-content")).to_be_visible()
    screenshot("compliance-legal-report")

    # The notifier follows the signed link of the decision e-mail: no account needed.
    page.goto(f"/legal/complaints/{complaint_token(notice=notice, who='notifier')}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contester une décision")
    page.get_by_role("button", name="Envoyer la réclamation").click()
    expect(page.get_by_text("Expliquez pourquoi vous estimez la décision erronée.")).to_be_visible()
    page.get_by_label("Pourquoi estimez-vous la décision erronée ?").fill(
        "Le logo diffère de l'original : photos jointes."
    )
    page.get_by_label("Votre adresse e-mail pour recevoir l'issue").fill(
        "camille.martin@example.net"
    )
    screenshot("compliance-complaint-form")
    page.get_by_role("button", name="Envoyer la réclamation").click()
    complaint = Complaint.objects.get()
    expect(page.get_by_test_id("complaint-sent")).to_contain_text(complaint.reference)
    screenshot("compliance-complaint-sent")

    # A person at HQ decides it: upheld, the notice is open again.
    log_in(page, hq_admin.email)
    page.goto("/admin/compliance/complaint/")
    expect(page.get_by_text(complaint.reference)).to_be_visible()
    page.goto(f"/admin/compliance/complaint/{complaint.pk}/decide/")
    page.get_by_label("Fondée : annuler la décision").check()
    page.get_by_label("Motifs de l'issue").fill("Les photos montrent une contrefaçon probable.")
    screenshot("compliance-admin-complaint-decide")
    page.get_by_role("button", name="Enregistrer l'issue").click()
    expect(page.get_by_text(f"Réclamation {complaint} tranchée.")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW

    # HQ suspends the store's selling on its own initiative, then lifts it.
    page.goto("/admin/compliance/measure/")
    page.get_by_role(
        "link", name="Appliquer une mesure à l'initiative de la tête de réseau"
    ).click()
    page.locator("#id_kind").select_option("store_selling_suspended")
    page.locator("#id_target_kind").select_option("store")
    page.locator("#id_target_id").fill(str(lyon_store.pk))
    page.locator("#id_facts").fill("Trois signalements fondés en un mois.")
    page.locator("#id_terms_clause").fill("Conditions magasins, article 7.2")
    screenshot("compliance-admin-measure-apply")
    page.get_by_role("button", name="Appliquer la mesure").click()
    expect(
        page.get_by_text("Mesure appliquée ; son exposé des motifs a été envoyé.")
    ).to_be_visible()
    lyon_store.refresh_from_db()
    assert lyon_store.status == "suspended"
    screenshot("compliance-admin-measures")
    page.get_by_role("link", name="Lever").click()
    page.get_by_label("Pourquoi la mesure est levée").fill("Plan d'action accepté.")
    screenshot("compliance-admin-measure-lift")
    page.get_by_role("button", name="Lever la mesure").click()
    expect(page.get_by_text("Mesure levée.")).to_be_visible()
    lyon_store.refresh_from_db()
    assert lyon_store.status == "active"
