"""The catalogue API: items a store may order, proofs made, previewed and downloaded through the
API with a store key, bad values answered with the API's error shape, and the tenancy of proofs
(another store's proofs are a 404)."""

from __future__ import annotations

import base64

import pytest

from marketing_hub.models import Proof
from marketing_hub.services.proofs import make_proof

from ..api_clients import api_client
from .catalogue_helpers import add_sample_artwork, make_item, offer, with_hours


@pytest.fixture
def flyer_item(lyon_store, paris_store):
    with_hours(lyon_store)
    with_hours(paris_store)
    item = make_item(name="Flyer A5 Printemps")
    add_sample_artwork(item, "flyer-a5")
    return item


def proofs_url(slug: str) -> str:
    return f"/api/v1/marketing/stores/{slug}/proofs/"


def test_a_store_key_lists_the_items_its_store_may_order(lyon_key, hq_key, flyer_item):
    make_item(name="Succursales", for_franchises=False)

    mine = api_client(key=lyon_key).get("/api/v1/marketing/items/").json()
    everything = api_client(key=hq_key).get("/api/v1/marketing/items/").json()

    assert [item["name"] for item in mine["results"]] == ["Flyer A5 Printemps"]
    flyer = mine["results"][0]
    assert [tier["quantity"] for tier in flyer["tiers"]] == [250, 1000, 5000]
    assert flyer["price_from_cents"] == 3900
    editable = [field["key"] for field in flyer["artwork"]["fields"] if field["editable"]]
    assert editable == ["product", "message"]
    assert flyer["artwork"]["pages"][0]["media"] == [154.0, 216.0]
    assert {item["name"] for item in everything["results"]} == {"Flyer A5 Printemps", "Succursales"}
    assert {item["price_from_cents"] for item in everything["results"]} == {3900}


def test_a_store_key_makes_a_proof_and_downloads_its_files(lyon_key, lyon_store, flyer_item):
    level = offer(lyon_store)
    client = api_client(key=lyon_key)

    made = client.post(
        proofs_url("lyon-presquile"),
        {"item": flyer_item.pk, "values": {"product": {"sku": level.variant.sku}}},
        format="json",
    )

    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["number"] == 1
    assert body["rendered"]["store_name"]["text"] == "Ardoise Lyon Presqu'île"
    assert len(body["preview_urls"]) == 2
    pdf = client.get(body["pdf_url"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    page = client.get(body["preview_urls"][1])
    assert page["Content-Type"] == "image/png"
    listed = client.get(proofs_url("lyon-presquile")).json()
    assert [proof["id"] for proof in listed["results"]] == [body["id"]]


def test_a_field_that_cannot_be_printed_is_a_400_naming_it(lyon_key, lyon_store, flyer_item):
    level = offer(lyon_store)

    answer = api_client(key=lyon_key).post(
        proofs_url("lyon-presquile"),
        {"item": flyer_item.pk, "values": {"product": {"sku": level.variant.sku, "reduced": True},
                                           "message": "x" * 200}},
        format="json",
    )  # fmt: skip

    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "proof_refused"
    assert set(body["fields"]["values"]) == {"product", "message"}
    assert "Message libre" in body["fields"]["values"]["message"][0]
    assert not Proof.objects.exists()


def test_an_item_the_store_may_not_order_is_a_400(lyon_key, flyer_item):
    hidden = make_item(name="Succursales", for_franchises=False)

    answer = api_client(key=lyon_key).post(
        proofs_url("lyon-presquile"), {"item": hidden.pk, "values": {}}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["fields"] == {"item": ["Not an item this store may order."]}


def test_a_preview_answers_the_pages_and_writes_nothing(lyon_key, lyon_store, flyer_item):
    level = offer(lyon_store)

    answer = api_client(key=lyon_key).post(
        f"{proofs_url('lyon-presquile')}preview/",
        {"item": flyer_item.pk, "values": {"product": level.variant.sku}},
        format="json",
    )

    assert answer.status_code == 200
    images = answer.json()["previews_png_base64"]
    assert [base64.b64decode(image)[:4] for image in images] == [b"\x89PNG"] * 2
    assert not Proof.objects.exists()


def test_another_store_proofs_are_a_404(paris_key, lyon_store, flyer_item):
    proof = make_proof(
        store=lyon_store, artwork=flyer_item.artworks.get(), actor="t",
        values={"product": offer(lyon_store).variant.sku},
    )  # fmt: skip
    client = api_client(key=paris_key)

    assert client.get(proofs_url("lyon-presquile")).status_code == 404
    assert client.get(f"{proofs_url('lyon-presquile')}{proof.pk}/").status_code == 404
    assert client.get(f"{proofs_url('lyon-presquile')}{proof.pk}/pdf/").status_code == 404
    assert client.get(f"{proofs_url('paris-bastille')}{proof.pk}/").status_code == 404
    assert client.get(f"{proofs_url('paris-bastille')}{proof.pk}/pages/1/").status_code == 404
    assert client.get(proofs_url("paris-bastille")).json()["results"] == []
    made = client.post(
        proofs_url("lyon-presquile"), {"item": flyer_item.pk, "values": {}}, format="json"
    )
    assert made.status_code == 404


def test_hq_reads_any_store_proofs(hq_key, lyon_store, flyer_item):
    make_proof(
        store=lyon_store, artwork=flyer_item.artworks.get(), actor="t",
        values={"product": offer(lyon_store).variant.sku},
    )  # fmt: skip

    listed = api_client(key=hq_key).get(proofs_url("lyon-presquile")).json()

    assert len(listed["results"]) == 1


def test_the_proof_endpoints_are_documented(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    create = schema["paths"]["/api/v1/marketing/stores/{store_slug}/proofs/"]["post"]
    assert create["summary"] == "Make a proof"
    assert {"201", "400", "401", "404"} <= set(create["responses"])
    assert "/api/v1/marketing/items/" in schema["paths"]
    assert "/api/v1/marketing/stores/{store_slug}/proofs/{id}/pages/{page}/" in schema["paths"]


def test_hq_reads_one_store_catalogue_and_a_member_reads_their_own(
    hq_key, lyon_owner, paris_store, flyer_item
):
    make_item(name="Succursales", for_franchises=False)

    as_lyon = api_client(key=hq_key).get("/api/v1/marketing/items/", {"store": "lyon-presquile"})
    member = api_client(user=lyon_owner).get("/api/v1/marketing/items/")
    not_mine = api_client(user=lyon_owner).get(
        "/api/v1/marketing/items/", {"store": "paris-bastille"}
    )

    assert [item["name"] for item in as_lyon.json()["results"]] == ["Flyer A5 Printemps"]
    assert [item["name"] for item in member.json()["results"]] == ["Flyer A5 Printemps"]
    assert not_mine.status_code == 404
