"""Illegal products (DSA art. 32): when HQ confirms a product is illegal, each buyer of the last
6 months is e-mailed once (what, which store sold it, their redress) by one idempotent job; the
products whose buyers could not all be reached are listed on a public notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from compliance.models import IllegalProductBuyer, IllegalProductCase, Measure
from compliance.services.illegal_products import (
    InvalidIllegalProductCase,
    confirm_illegal_product,
    notify_illegal_product_buyers,
)
from fulfillment.models import Fulfilment, FulfilmentLine
from network_marketplace.models import OutboxMessage
from orders.models import FulfilmentMethod, Order, OrderLine
from tests.factories import StockLevelFactory, VariantFactory

pytestmark = pytest.mark.django_db

ILLEGALITY = "The charger overheats: it does not meet the low-voltage directive."
GROUND = "Directive 2014/35/EU; Code de la consommation, art. L. 421-3"


def sale(variant, store, *, email, days_ago=10, status=Order.Status.COMPLETED, cancelled=0):
    order = Order.objects.create(
        status=status, placed_at=timezone.now() - timedelta(days=days_ago), email=email,
        first_name="Léa", last_name="Martin", subtotal_cents=2990, total_cents=2990,
        vat_cents=498,
    )  # fmt: skip
    order.number = f"ARD-{order.pk:07d}"
    order.save(update_fields=["number"])
    line = OrderLine.objects.create(
        order=order, variant=variant, product_name=variant.product.name, sku=variant.sku,
        quantity=1, cancelled_quantity=cancelled, unit_price_cents=2990, vat_percent=20,
        total_cents=2990, vat_cents=498, method=FulfilmentMethod.CLICK_COLLECT,
        chosen_store=store,
    )  # fmt: skip
    fulfilment = Fulfilment.objects.create(
        order=order, store=store, method=FulfilmentMethod.CLICK_COLLECT
    )
    FulfilmentLine.objects.create(fulfilment=fulfilment, order_line=line, quantity=1)
    return order


def emails():
    return list(
        OutboxMessage.objects.filter(payload__template="compliance/illegal_product").order_by("pk")
    )


@pytest.fixture
def charger(lyon_store):
    return StockLevelFactory(store=lyon_store, variant__product__name="Chargeur X").variant


def test_confirming_withdraws_the_listing_with_a_statement(charger, hq_admin):
    case = confirm_illegal_product(
        product=charger.product, illegality=ILLEGALITY, legal_ground=GROUND, actor=hq_admin
    )

    charger.product.refresh_from_db()
    assert charger.product.status == Product.Status.ARCHIVED
    measure = Measure.objects.get(kind="product_listing_disabled", target_id=charger.product.pk)
    assert measure.statement.legal_ground == GROUND
    assert case.buyers_since < timezone.now() - timedelta(days=180)


def test_a_confirmation_without_what_or_why_is_refused_and_changes_nothing(charger, hq_admin):
    with pytest.raises(InvalidIllegalProductCase):
        confirm_illegal_product(
            product=charger.product, illegality=" ", legal_ground=GROUND, actor=hq_admin
        )

    assert not IllegalProductCase.objects.exists()
    charger.product.refresh_from_db()
    assert charger.product.status == Product.Status.PUBLISHED


def test_each_buyer_of_the_last_six_months_is_emailed_once_even_when_run_twice(
    charger, lyon_store, paris_store, hq_admin
):
    sale(charger, lyon_store, email="lea@example.com")
    sale(charger, paris_store, email="LEA@example.com", days_ago=20)  # same buyer, twice
    sale(charger, paris_store, email="paul@example.com", days_ago=100)
    sale(charger, lyon_store, email="old@example.com", days_ago=400)  # before the 6 months
    sale(charger, lyon_store, email="gone@example.com", cancelled=1)  # never received it
    sale(VariantFactory(), lyon_store, email="other@example.com")  # another product
    case = confirm_illegal_product(
        product=charger.product, illegality=ILLEGALITY, legal_ground=GROUND, actor=hq_admin
    )

    assert notify_illegal_product_buyers(case=case) == 2
    assert notify_illegal_product_buyers(case=case) == 0

    sent = emails()
    assert sorted(message.payload["to"][0] for message in sent) == [
        "lea@example.com",
        "paul@example.com",
    ]
    lea = next(message for message in sent if message.payload["to"] == ["lea@example.com"])
    assert lea.payload["context"]["product_name"] == "Chargeur X"
    assert sorted(lea.payload["context"]["sellers"]) == sorted([lyon_store.name, paris_store.name])
    assert lea.payload["context"]["illegality"] == ILLEGALITY
    assert (
        "refund" in lea.payload["context"]["redress"]
        or "rembours" in (lea.payload["context"]["redress"])
    )
    assert case.buyers.count() == 2


def test_the_email_tells_what_who_sold_it_and_the_redress(charger, lyon_store, hq_admin):
    from network_marketplace.notifications import render_email

    sale(charger, lyon_store, email="lea@example.com")
    case = confirm_illegal_product(
        product=charger.product, illegality=ILLEGALITY, legal_ground=GROUND, actor=hq_admin
    )
    notify_illegal_product_buyers(case=case)
    [message] = emails()

    subject, text, html = render_email(
        template="compliance/illegal_product", context=message.payload["context"], language="fr"
    )

    assert "Chargeur X" in subject
    assert lyon_store.name in text
    assert ILLEGALITY in text
    assert html is not None


def test_buyers_without_contact_are_recorded_and_the_product_is_on_the_public_notice(
    client, charger, lyon_store, hq_admin
):
    sale(charger, lyon_store, email="lea@example.com")
    sale(charger, lyon_store, email="")  # a walk-in buyer who left no e-mail
    case = confirm_illegal_product(
        product=charger.product, illegality=ILLEGALITY, legal_ground=GROUND, actor=hq_admin
    )

    notify_illegal_product_buyers(case=case)

    outcomes = sorted(case.buyers.values_list("outcome", flat=True))
    assert outcomes == [IllegalProductBuyer.Outcome.EMAILED, IllegalProductBuyer.Outcome.NO_CONTACT]
    page = client.get(reverse("legal:illegal-products"))
    assert page.status_code == 200
    assert "Chargeur X" in page.content.decode()


def test_a_product_whose_buyers_were_all_reached_is_not_on_the_public_notice(
    client, charger, lyon_store, hq_admin
):
    sale(charger, lyon_store, email="lea@example.com")
    case = confirm_illegal_product(
        product=charger.product, illegality=ILLEGALITY, legal_ground=GROUND, actor=hq_admin
    )
    notify_illegal_product_buyers(case=case)

    page = client.get(reverse("legal:illegal-products"))

    assert "Chargeur X" not in page.content.decode()


def test_hq_confirms_in_the_admin_only_with_the_box_ticked_and_the_job_tells_the_buyers(
    client, charger, lyon_store, hq_admin, django_capture_on_commit_callbacks
):
    sale(charger, lyon_store, email="lea@example.com")
    client.force_login(hq_admin)
    url = reverse("admin:compliance_illegalproductcase_add")
    data = {"product": charger.product.pk, "illegality": ILLEGALITY, "legal_ground": GROUND}

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert not IllegalProductCase.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirm": "on"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    case = IllegalProductCase.objects.get()
    assert case.confirmed_by == hq_admin
    assert case.buyers.get().buyer_key == "lea@example.com"
