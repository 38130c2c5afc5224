"""HQ's support finds a customer's profile and address book in the admin by her e-mail and
reads them; it cannot change, add or delete them: that is the customer's own data."""

from __future__ import annotations

import pytest

from accounts.models import Address, CustomerProfile
from accounts.services import save_address, update_profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROFILES = "/admin/accounts/customerprofile/"
ADDRESSES = "/admin/accounts/address/"


@pytest.fixture
def support(client, hq_admin):
    client.force_login(hq_admin)
    return client


@pytest.fixture
def lea(customer):
    update_profile(
        user=customer, first_name="Léa", last_name="Martin", phone="06 12 34 56 78", actor=customer
    )
    for line, default in (("3 rue Mercière", True), ("12 quai Saint-Antoine", False)):
        save_address(
            user=customer, label="", address_line=line, postal_code="69002", city="Lyon",
            make_default=default, actor=customer,
        )  # fmt: skip
    return customer


@pytest.fixture
def paul(db):
    paul = UserFactory(email="paul.other@example.com")
    update_profile(user=paul, first_name="Paul", last_name="Roux", phone="", actor=paul)
    save_address(
        user=paul, label="", address_line="8 rue de Rivoli", postal_code="75004", city="Paris",
        make_default=True, actor=paul,
    )  # fmt: skip
    return paul


def test_support_finds_a_customers_addresses_by_her_e_mail(support, lea, paul):
    page = support.get(ADDRESSES, {"q": "lea.customer@example.com"}).content.decode()

    assert "3 rue Mercière" in page
    assert "12 quai Saint-Antoine" in page
    assert "8 rue de Rivoli" not in page


def test_support_finds_a_customers_profile_by_her_e_mail_and_links_to_her_addresses(
    support, lea, paul
):
    page = support.get(PROFILES, {"q": "lea.customer"}).content.decode()

    assert "06 12 34 56 78" in page
    assert "paul.other@example.com" not in page
    assert f"{ADDRESSES}?q=lea.customer%40example.com" in page


def test_a_profile_reads_as_text_with_no_field_to_change_and_a_post_changes_nothing(support, lea):
    profile = CustomerProfile.objects.get(user=lea)
    url = f"{PROFILES}{profile.pk}/change/"

    page = support.get(url)
    posted = support.post(url, {"phone": "07 00 00 00 00"})

    assert page.status_code == 200
    assert "06 12 34 56 78" in page.content.decode()
    assert 'name="phone"' not in page.content.decode()
    assert posted.status_code == 403
    profile.refresh_from_db()
    assert profile.phone == "06 12 34 56 78"


def test_support_can_neither_add_nor_delete_an_address(support, lea):
    address = Address.objects.filter(user=lea).first()

    add = support.get(f"{ADDRESSES}add/")
    delete = support.post(f"{ADDRESSES}{address.pk}/delete/", {"post": "yes"})
    bulk = support.post(
        ADDRESSES, {"action": "delete_selected", "_selected_action": [address.pk], "post": "yes"}
    )

    assert add.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code == 200  # the changelist again: no delete action is offered
    assert Address.objects.filter(user=lea).count() == 2


def test_the_address_list_reads_a_bounded_number_of_queries(
    support, lea, paul, django_assert_max_num_queries
):
    for number in range(5):
        other = UserFactory(email=f"customer{number}@example.com")
        save_address(
            user=other, label="", address_line=f"{number} rue Neuve", postal_code="69001",
            city="Lyon", make_default=True, actor=other,
        )  # fmt: skip
    support.get(ADDRESSES)

    with django_assert_max_num_queries(12):
        support.get(ADDRESSES)
