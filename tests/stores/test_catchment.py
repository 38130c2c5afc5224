from decimal import Decimal

import pytest

from stores.models import PostalCode, Store
from stores.selectors import attributed_store_for
from tests.factories import StoreFactory


@pytest.fixture
def lyon_area(db):
    PostalCode.objects.create(code="69002", city="Lyon", latitude=45.7550, longitude=4.8290)
    PostalCode.objects.create(code="69100", city="Villeurbanne", latitude=45.7700, longitude=4.8800)
    PostalCode.objects.create(code="38200", city="Vienne", latitude=45.5250, longitude=4.8740)
    PostalCode.objects.create(code="13001", city="Marseille", latitude=43.2990, longitude=5.3840)
    presquile = StoreFactory(
        name="Presqu'île", latitude=Decimal("45.7640"), longitude=Decimal("4.8357"),
        catchment_postal_codes=["69001", "69002"], catchment_radius_km=10,
    )  # fmt: skip
    villeurbanne = StoreFactory(
        name="Villeurbanne", latitude=Decimal("45.7719"), longitude=Decimal("4.8902"),
        catchment_postal_codes=["69100"], catchment_radius_km=10,
    )  # fmt: skip
    return presquile, villeurbanne


def test_the_store_whose_catchment_lists_the_postal_code_is_the_local_store(lyon_area):
    presquile, villeurbanne = lyon_area

    assert attributed_store_for(postal_code="69100") == villeurbanne
    assert attributed_store_for(postal_code="69002") == presquile


def test_else_the_nearest_store_whose_radius_reaches_the_customer(lyon_area):
    presquile, _villeurbanne = lyon_area
    presquile.catchment_radius_km = 40
    presquile.save()

    # Vienne is ~27 km from the Presqu'île store, out of Villeurbanne's 10 km radius.
    assert attributed_store_for(postal_code="38200") == presquile


def test_no_local_store_far_from_every_store(lyon_area):
    assert attributed_store_for(postal_code="13001") is None
    assert attributed_store_for(postal_code="") is None


def test_a_closed_store_is_nobodys_local_store(lyon_area):
    _presquile, villeurbanne = lyon_area
    villeurbanne.status = Store.Status.CLOSED
    villeurbanne.save()

    assert attributed_store_for(postal_code="69100").name == "Presqu'île"
