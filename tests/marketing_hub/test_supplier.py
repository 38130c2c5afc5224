"""The suppliers' side: the e-mail's signed print link gives the approved proof byte for byte
(and nothing once altered or expired); a supplier sees and moves only its own lines, in its
portal and through its API key; shipping needs carrier and tracking."""

from __future__ import annotations

import pytest
from django.core import signing
from django.urls import reverse

from marketing_hub.models import MarketingOrder, MarketingOrderLine
from marketing_hub.services import supplier as supplier_service
from tests.factories import UserFactory

from .order_helpers import make_item, make_proof, make_supplier, placed_order

pytestmark = pytest.mark.django_db
ML = MarketingOrderLine.Status
LINES = "/api/v1/marketing/supplier/lines/"


@pytest.fixture
def printer(db):
    supplier = make_supplier()
    supplier.users.add(UserFactory(email="atelier@imprimerie.example"))
    return supplier


@pytest.fixture
def other_printer(db):
    supplier = make_supplier(name="Goodies & Co", email="goodies@example.com")
    supplier.users.add(UserFactory(email="goodies.user@example.com"))
    return supplier


@pytest.fixture
def lines(lyon_store, lyon_owner, printer, other_printer):
    ours = placed_order(lyon_store, lyon_owner, make_item(supplier=printer)).lines.get()
    theirs = placed_order(
        lyon_store, lyon_owner, make_item("POSTER-A3", supplier=other_printer)
    ).lines.get()
    return ours, theirs


def test_the_print_link_gives_the_approved_proof_byte_for_byte(
    client, lyon_store, lyon_owner, printer
):
    flyer = make_item(supplier=printer)
    proof = make_proof(lyon_store, flyer)
    line = placed_order(lyon_store, lyon_owner, flyer, proof=proof).lines.get()
    url = supplier_service.print_file_url(line)

    response = client.get(url)

    assert response.status_code == 200
    with proof.pdf.open("rb") as handle:
        assert response.content == handle.read()
    tampered = url.rstrip("/") + "x/"
    assert client.get(tampered).status_code == 404


def test_an_expired_print_link_is_refused(client, settings, lines):
    line, _ = lines
    token = supplier_service.print_file_token(line)
    settings.MARKETING_SUPPLIER_LINK_DAYS = -1

    assert client.get(reverse("marketing_supplier:print-file", args=[token])).status_code == 404


def test_a_print_file_changed_after_approval_is_refused(client, lines):
    line, _ = lines
    with line.proof.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.4 something else")

    assert client.get(supplier_service.print_file_url(line)).status_code == 404


def test_the_portal_shows_a_supplier_its_lines_only(client, printer, lines):
    ours, theirs = lines
    client.force_login(printer.users.get())

    page = client.get(reverse("marketing_supplier:lines")).content.decode()

    assert f'data-testid="supplier-line-{ours.pk}"' in page
    assert f'data-testid="supplier-line-{theirs.pk}"' not in page
    assert client.get(reverse("marketing_supplier:line-file", args=[theirs.pk])).status_code == 404
    refused = client.post(
        reverse("marketing_supplier:line-shipped", args=[theirs.pk]),
        {"carrier": "DHL", "tracking_number": "1"},
    )
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ML.APPROVED


def test_the_portal_marks_produced_then_shipped_and_the_order_follows(client, printer, lines):
    ours, _ = lines
    client.force_login(printer.users.get())

    client.post(reverse("marketing_supplier:line-produced", args=[ours.pk]))
    client.post(
        reverse("marketing_supplier:line-shipped", args=[ours.pk]),
        {"carrier": "", "tracking_number": ""},
    )
    ours.refresh_from_db()
    assert ours.status == ML.IN_PRODUCTION  # shipping needs carrier and tracking
    client.post(
        reverse("marketing_supplier:line-shipped", args=[ours.pk]),
        {"carrier": "Colissimo", "tracking_number": "6A0001"},
    )

    ours.refresh_from_db()
    assert (ours.status, ours.carrier, ours.tracking_number) == (ML.SHIPPED, "Colissimo", "6A0001")
    assert ours.order.status == MarketingOrder.Status.SHIPPED


def test_someone_who_is_no_supplier_gets_no_portal(client, lyon_owner, lines):
    client.force_login(lyon_owner)

    assert client.get(reverse("marketing_supplier:lines")).status_code == 404


def test_the_supplier_api_key_sees_and_moves_only_its_lines(client, printer, lines, hq_admin):
    ours, theirs = lines
    key = supplier_service.issue_supplier_api_key(supplier=printer, actor=hq_admin)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    listed = client.get(LINES, **auth).json()["results"]
    shipped = client.post(
        f"{LINES}{ours.pk}/shipped/",
        {"carrier": "DPD", "tracking_number": "09876"},
        content_type="application/json",
        **auth,
    )
    foreign = client.post(f"{LINES}{theirs.pk}/produced/", **auth)
    missing = client.post(f"{LINES}{ours.pk}/shipped/", {}, content_type="application/json", **auth)

    assert [line["id"] for line in listed] == [ours.pk]
    assert "/supplier/files/" in listed[0]["print_url"]
    assert shipped.status_code == 200
    assert shipped.json()["status"] == ML.SHIPPED
    assert foreign.status_code == 404
    assert missing.status_code in (400, 409)
    assert set(missing.json()) >= {"code", "detail", "fields"}


def test_a_wrong_supplier_key_is_refused(client, lines):
    response = client.get(LINES, HTTP_AUTHORIZATION="Bearer nmsup_abc_def")

    assert response.status_code in (401, 403)
    assert signing  # the links are signed with django.core.signing
