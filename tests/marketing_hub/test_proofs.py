"""Proofs are versions: numbered per store and artwork, never edited, kept under private/ with
their sha256 so that the approved one goes to print byte for byte; a preview writes nothing."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from marketing_hub.artwork.samples import sample_pdf
from marketing_hub.models import Proof
from marketing_hub.services.artwork import upload_artwork
from marketing_hub.services.proofs import (
    ArtworkReplaced,
    ProofTampered,
    make_proof,
    preview_proof,
    proof_pdf_bytes,
    proof_preview_bytes,
)
from network_marketplace.storage import marketing_storage

from .catalogue_helpers import add_sample_artwork, make_item, offer, with_hours


@pytest.fixture(autouse=True)
def published_hours(lyon_store, paris_store):
    with_hours(lyon_store)
    with_hours(paris_store)


@pytest.fixture
def flyer(db):
    return add_sample_artwork(make_item(), "flyer-a5")


def values(level, message="Bienvenue !"):
    return {"product": level.variant.sku, "message": message}


def test_each_proof_is_the_next_version_for_the_store_and_artwork(
    lyon_store, paris_store, flyer, lyon_owner
):
    lyon_offer, paris_offer = offer(lyon_store), offer(paris_store)

    first = make_proof(store=lyon_store, artwork=flyer, values=values(lyon_offer), actor=lyon_owner)
    second = make_proof(
        store=lyon_store, artwork=flyer, values=values(lyon_offer, "Autre texte"), actor=lyon_owner
    )
    paris = make_proof(store=paris_store, artwork=flyer, values=values(paris_offer), actor="api")

    assert (first.number, second.number, paris.number) == (1, 2, 1)
    first.refresh_from_db()
    assert first.values["message"] == "Bienvenue !"  # the old version is kept as it was
    assert first.created_by == lyon_owner
    assert second.uses_free_text


def test_the_proof_files_are_private_and_match_their_sha256(lyon_store, flyer):
    level = offer(lyon_store)

    proof = make_proof(store=lyon_store, artwork=flyer, values=values(level), actor="test")

    assert proof.pdf.name.startswith("proofs/")
    assert len(proof.previews) == 2
    assert all(name.startswith("proofs/") for name in proof.previews)
    data = proof_pdf_bytes(proof)
    assert hashlib.sha256(data).hexdigest() == proof.pdf_sha256
    assert proof_preview_bytes(proof, 2).startswith(b"\x89PNG")
    assert proof_preview_bytes(proof, 3) is None


def test_a_proof_whose_file_changed_is_not_sent_to_print(lyon_store, flyer):
    proof = make_proof(store=lyon_store, artwork=flyer, values=values(offer(lyon_store)), actor="t")
    marketing_storage().delete(proof.pdf.name)
    marketing_storage().save(proof.pdf.name, ContentFile(b"%PDF-1.4 something else"))

    with pytest.raises(ProofTampered):
        proof_pdf_bytes(proof)


def test_a_second_preview_click_with_the_same_values_reuses_the_latest_proof(lyon_store, flyer):
    level = offer(lyon_store)

    first = make_proof(
        store=lyon_store, artwork=flyer, values=values(level), actor="t", reuse_identical=True
    )
    again = make_proof(
        store=lyon_store, artwork=flyer, values=values(level), actor="t", reuse_identical=True
    )
    changed = make_proof(
        store=lyon_store, artwork=flyer, values=values(level, "Autre"), actor="t",
        reuse_identical=True,
    )  # fmt: skip

    assert again.pk == first.pk
    assert changed.number == 2


def test_a_preview_writes_nothing(lyon_store, flyer):
    level = offer(lyon_store)

    preview = preview_proof(store=lyon_store, artwork=flyer, values=values(level))

    assert [image[:4] for image in preview.previews] == [b"\x89PNG", b"\x89PNG"]
    assert preview.pdf.startswith(b"%PDF")
    assert not Proof.objects.exists()


def test_a_replaced_artwork_takes_no_new_proof(lyon_store, flyer):
    level = offer(lyon_store)
    upload_artwork(item=flyer.item, data=sample_pdf("flyer-a5"), filename="v2.pdf", actor="hq")
    flyer.refresh_from_db()

    with pytest.raises(ArtworkReplaced):
        make_proof(store=lyon_store, artwork=flyer, values=values(level), actor="t")


@pytest.mark.django_db(transaction=True)
def test_concurrent_proofs_of_one_store_get_distinct_versions(lyon_store):
    with_hours(lyon_store)
    artwork = add_sample_artwork(make_item(), "flyer-a5")
    level = offer(lyon_store)
    numbers, errors, barrier = [], [], threading.Barrier(4)

    def make(index: int) -> None:
        barrier.wait()
        try:
            proof = make_proof(
                store=lyon_store, artwork=artwork, actor="t",
                values={"product": level.variant.sku, "message": f"Message {index}"},
            )  # fmt: skip
            numbers.append(proof.number)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=make, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
