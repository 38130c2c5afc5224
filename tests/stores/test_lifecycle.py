import pytest
from django.conf import settings

from compliance.services.traders import certify_trader, update_trader_evidence
from network_marketplace.errors import IllegalTransition
from network_marketplace.models import AuditEvent
from stores.models import Store
from stores.services import StoreIncomplete, change_store_status
from stores.states import STORE_LIFECYCLE
from tests.factories import MembershipFactory, StoreFactory


def with_trader_records(store):
    """The evidence and self-certification compliance holds for a trader (DSA art. 30)."""
    owner = MembershipFactory(store=store).user
    update_trader_evidence(
        store=store, actor=owner, legal_representative="Camille Martin",
        id_document_reference="CNI 1", bank_account_holder="SARL", bank_evidence_reference="FR76",
        enforce=False,
    )  # fmt: skip
    certify_trader(
        store=store, actor=owner, text_version=settings.TRADER_CERTIFICATION_VERSION, enforce=False
    )
    return store


@pytest.fixture
def new_store(db):
    return with_trader_records(StoreFactory(name="Ardoise Annecy", status=Store.Status.ONBOARDING))


def test_a_franchise_store_without_its_trader_records_is_not_activated(db, hq_admin):
    store = StoreFactory(status=Store.Status.ONBOARDING)

    with pytest.raises(StoreIncomplete) as refused:
        change_store_status(store=store, status=Store.Status.ACTIVE, actor=hq_admin)

    assert refused.value.facts["missing"] == []
    assert refused.value.facts["records"]  # the evidence and the self-certification
    store.refresh_from_db()
    assert store.status == Store.Status.ONBOARDING


def test_an_hq_branch_needs_no_trader_records(db, hq_admin):
    branch = StoreFactory(status=Store.Status.ONBOARDING, kind=Store.Kind.BRANCH)

    assert change_store_status(store=branch, status=Store.Status.ACTIVE, actor=hq_admin).status == (
        Store.Status.ACTIVE
    )


def test_complete_store_is_activated_and_the_change_is_audited(new_store, hq_admin):
    store = change_store_status(store=new_store, status=Store.Status.ACTIVE, actor=hq_admin)

    assert store.status == Store.Status.ACTIVE
    event = AuditEvent.objects.get(action="store.active")
    assert event.data == {"from": "onboarding", "to": "active", "reason": ""}
    assert event.actor_user == hq_admin


@pytest.mark.parametrize(
    "missing", ["company_name", "registration_number", "legal_address", "email", "phone"]
)
def test_store_with_incomplete_trader_identity_cannot_sell(db, hq_admin, missing):
    store = StoreFactory(status=Store.Status.ONBOARDING, **{missing: ""})

    with pytest.raises(StoreIncomplete) as refused:
        change_store_status(store=store, status=Store.Status.ACTIVE, actor=hq_admin)

    assert refused.value.facts["missing"] == [missing]
    store.refresh_from_db()
    assert store.status == Store.Status.ONBOARDING


def test_closed_store_cannot_reopen(new_store, hq_admin):
    change_store_status(store=new_store, status=Store.Status.CLOSED, actor=hq_admin)

    with pytest.raises(IllegalTransition):
        change_store_status(store=new_store, status=Store.Status.ACTIVE, actor=hq_admin)


def test_same_status_again_is_a_no_op(new_store, hq_admin):
    change_store_status(store=new_store, status=Store.Status.CLOSED, actor=hq_admin)
    change_store_status(store=new_store, status=Store.Status.CLOSED, actor=hq_admin)

    assert AuditEvent.objects.filter(action="store.closed").count() == 1


def test_a_store_incomplete_cannot_move_to_active_and_says_so_before_trying(db):
    store = StoreFactory(status=Store.Status.ONBOARDING, phone="")

    assert not STORE_LIFECYCLE.can_move(store, Store.Status.ACTIVE)
    assert STORE_LIFECYCLE.can_move(store, Store.Status.CLOSED)


def test_hq_activates_stores_from_the_admin_and_sees_why_one_is_refused(client, hq_admin):
    ready = with_trader_records(StoreFactory(name="Prête", status=Store.Status.ONBOARDING))
    incomplete = StoreFactory(name="Incomplète", status=Store.Status.ONBOARDING, phone="")
    client.force_login(hq_admin)

    response = client.post(
        "/admin/stores/store/",
        {"action": "make_active", "_selected_action": [ready.pk, incomplete.pk]},
        follow=True,
    )

    ready.refresh_from_db()
    incomplete.refresh_from_db()
    assert ready.status == Store.Status.ACTIVE
    assert incomplete.status == Store.Status.ONBOARDING
    assert "Incomplète" in response.content.decode()
