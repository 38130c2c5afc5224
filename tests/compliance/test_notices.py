"""Notices of illegal content (DSA art. 16): the public form, its checks, the receipt, the
snapshot, trusted flaggers first, HQ's decision and the notifier told."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.test import Client

from compliance.models import Measure, Notice, StatementOfReasons, TrustedFlagger
from compliance.selectors import notice_queue
from compliance.services import InvalidMeasure, InvalidNotice, decide_notice, submit_notice
from network_marketplace.outbox import deliver_due_messages
from tests.factories import StockLevelFactory

SITE = "http://testserver"


def form_data(product, **changes):
    data = {
        "category": "unsafe_products",
        "urls": f"{SITE}/p/{product.slug}/",
        "explanation": "The mower is sold without its blade guard.",
        "notifier_name": "Camille Martin",
        "notifier_email": "camille.martin@example.net",
        "good_faith": "on",
    }
    data.update(changes)
    return data


def post_notice(client, product, *, query="", **changes):
    return client.post(f"/legal/notices/new/{query}", form_data(product, **changes))


@pytest.mark.django_db
def test_anonymous_notice_about_a_store_offer_is_received_snapshotted_and_acknowledged(
    lyon_offer,
):
    product = lyon_offer.variant.product
    client = Client()
    page = client.get(f"/legal/notices/new/?kind=product&id={product.pk}")
    assert page.status_code == 200
    assert "Ardoise Lyon Presqu" in page.content.decode()

    response = post_notice(
        client, product, query=f"?kind=product&id={product.pk}", store=str(lyon_offer.store_id)
    )

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.target_kind, notice.target_id, notice.store) == (
        "offer",
        lyon_offer.pk,
        lyon_offer.store,
    )
    assert notice.snapshot["product"]["name"] == "Tondeuse X"
    assert notice.snapshot["available"] == 5
    assert client.get(response["Location"]).status_code == 200
    deliver_due_messages()
    assert [m.to for m in mail.outbox] == [["camille.martin@example.net"]]
    assert notice.reference in mail.outbox[0].subject


@pytest.mark.django_db
def test_product_and_store_pages_link_to_the_notice_form(lyon_offer):
    product = lyon_offer.variant.product
    client = Client()

    for path in (f"/p/{product.slug}/", f"/stores/{lyon_offer.store.slug}/", "/legal/report/"):
        page = client.get(path).content.decode()
        assert 'data-testid="report-illegal-content"' in page, path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"explanation": "  "}, "explanation", "Explain why"),
        ({"urls": "https://elsewhere.example.com/p/x/"}, "urls", "is not a page of this site"),
        ({"urls": ""}, "urls", "exact address"),
        ({"notifier_email": ""}, "notifier_email", "e-mail address"),
        ({"good_faith": ""}, "good_faith", "accurate and complete"),
        ({"category": ""}, "category", "what kind"),
    ],
    ids=["no-explanation", "url-of-another-site", "no-url", "no-email", "no-good-faith", "no-kind"],
)
def test_an_incomplete_notice_is_refused_with_a_clear_error(
    changes, field, message, lyon_offer, settings
):
    settings.LANGUAGE_CODE = "en"
    response = post_notice(Client(HTTP_ACCEPT_LANGUAGE="en"), lyon_offer.variant.product, **changes)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert not Notice.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_a_notice_of_child_sexual_abuse_material_needs_no_email(lyon_offer):
    response = post_notice(
        Client(), lyon_offer.variant.product, category="child_sexual_abuse", notifier_email=""
    )

    assert response.status_code == 302
    assert Notice.objects.get().notifier_email == ""


@pytest.mark.django_db
def test_notices_from_one_address_are_rate_limited(lyon_offer, settings):
    settings.DSA_NOTICES_PER_HOUR = 2
    # An address of this test's own: other tests' notices count against 127.0.0.1.
    client = Client(REMOTE_ADDR=f"198.51.100.{uuid.uuid4().int % 250 + 1}")
    for _ in range(2):
        assert post_notice(client, lyon_offer.variant.product).status_code == 302

    response = post_notice(client, lyon_offer.variant.product)

    assert response.status_code == 400
    assert Notice.objects.count() == 2


@pytest.mark.django_db
def test_trusted_flaggers_notices_are_queued_first_then_the_oldest(lyon_offer):
    TrustedFlagger.objects.create(name="INC", email="signalements@inc.example.org")
    product = lyon_offer.variant.product
    common = {
        "category": "unsafe_products",
        "explanation": "Dangerous",
        "urls": [f"{SITE}/p/{product.slug}/"],
        "good_faith": True,
    }
    first = submit_notice(notifier_email="a@example.net", **common)
    second = submit_notice(notifier_email="b@example.net", **common)
    trusted = submit_notice(notifier_email="Signalements@inc.example.org", **common)

    assert list(notice_queue()) == [trusted, first, second]
    assert trusted.trusted_flagger is not None
    assert first.target_kind == "product"  # found from the URL


@pytest.mark.django_db
def test_no_action_decision_tells_the_notifier_the_reasons_and_the_redress(
    lyon_offer, hq_admin, mediation_body
):
    notice = submit_notice(
        category="intellectual_property",
        explanation="Looks like a copy",
        urls=[f"{SITE}/p/{lyon_offer.variant.product.slug}/"],
        notifier_email="camille.martin@example.net",
        good_faith=True,
    )

    decide_notice(notice=notice, actor=hq_admin, decision_text="The brand sells it lawfully.")

    notice.refresh_from_db()
    assert notice.status == Notice.Status.NO_ACTION
    assert notice.decided_by == hq_admin
    assert not StatementOfReasons.objects.exists()
    deliver_due_messages()
    decision = mail.outbox[-1]
    assert "The brand sells it lawfully." in decision.body
    assert "Médiateur du e-commerce" in decision.body
    assert "/legal/complaints/" in decision.body


@pytest.mark.django_db
def test_a_measure_that_does_not_fit_the_notice_leaves_it_open(lyon_offer, hq_admin):
    notice = submit_notice(
        category="unsafe_products",
        explanation="Dangerous",
        urls=[f"{SITE}/p/{lyon_offer.variant.product.slug}/"],
        notifier_email="camille.martin@example.net",
        good_faith=True,
    )

    with pytest.raises(InvalidMeasure):
        decide_notice(
            notice=notice,
            actor=hq_admin,
            decision_text="Removed",
            measure_kind="offer_disabled",
            legal_ground="Code de la consommation",
        )

    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED
    assert not Measure.objects.exists()


@pytest.mark.django_db
def test_hq_deciding_a_measure_without_a_ground_gets_a_clear_error_and_nothing_changes(
    lyon_offer, hq_admin
):
    notice = submit_notice(
        category="unsafe_products",
        explanation="Dangerous",
        urls=[f"{SITE}/p/{lyon_offer.variant.product.slug}/"],
        notifier_email="camille.martin@example.net",
        good_faith=True,
        target_kind="offer",
        target_id=lyon_offer.pk,
    )
    hq = Client()
    hq.force_login(hq_admin)

    response = hq.post(
        f"/admin/compliance/notice/{notice.pk}/decide/",
        {"measure_kind": "offer_disabled", "decision_text": "Removed", "facts": "Facts"},
    )

    assert response.status_code == 400
    assert "fondement juridique ou la clause" in response.content.decode()
    notice.refresh_from_db()
    lyon_offer.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED
    assert (lyon_offer.in_stock, Measure.objects.count()) == (True, 0)


@pytest.mark.django_db
def test_a_notice_with_an_invalid_email_is_refused_by_the_service_too(lyon_offer):
    with pytest.raises(InvalidNotice) as refused:
        submit_notice(
            category="unsafe_products",
            explanation="Dangerous",
            urls=[f"{SITE}/p/{lyon_offer.variant.product.slug}/"],
            notifier_email="not-an-address",
            good_faith=True,
        )

    assert set(refused.value.fields) == {"notifier_email"}
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_the_offer_reported_is_the_variant_the_reported_page_shows(lyon_offer):
    product = lyon_offer.variant.product
    large = StockLevelFactory(store=lyon_offer.store, variant__product=product, variant__sku="XL-1")

    response = post_notice(
        Client(),
        product,
        query=f"?kind=product&id={product.pk}",
        store=str(lyon_offer.store_id),
        urls=f"{SITE}/p/{product.slug}/?variant=XL-1",
    )

    assert response.status_code == 302
    assert (Notice.objects.get().target_kind, Notice.objects.get().target_id) == ("offer", large.pk)


@pytest.mark.django_db
def test_the_legal_page_lists_the_out_of_court_bodies(mediation_body):
    page = Client().get("/legal/report/").content.decode()

    assert 'data-testid="out-of-court-bodies"' in page
    assert "Médiateur du e-commerce" in page
