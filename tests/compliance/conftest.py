"""Fixtures of the compliance tests: an offer of the Lyon store, the listed out-of-court body."""

from __future__ import annotations

import pytest

from compliance.models import OutOfCourtBody
from tests.factories import StockLevelFactory


@pytest.fixture
def lyon_offer(lyon_store):
    return StockLevelFactory(store=lyon_store, on_hand=5, variant__product__name="Tondeuse X")


@pytest.fixture
def mediation_body(db):
    return OutOfCourtBody.objects.create(
        name="Médiateur du e-commerce", website="https://mediateur.example.org"
    )
