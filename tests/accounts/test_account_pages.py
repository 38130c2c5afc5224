"""A signed-in customer's account: her profile, her address book with the default the checkout
uses, her store (where "near me" starts and the pickup she is offered first), her sessions and
the place of her data export and account closure. Bad input is a form error and changes nothing.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.models import MAX_ADDRESSES, Address, CustomerProfile
from accounts.services import save_address
from network_marketplace.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.stores.factories import build_network


@pytest.fixture
def network(db):
    return build_network()


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def add_address(client, **fields):
    data = {"label": "", "address_line": "3 rue de la Charité", "postal_code": "69002"}
    data |= {"city": "Lyon", **fields}
    return client.post("/accounts/addresses/", data)


# Profile ----------------------------------------------------------------------------------


def test_the_account_menu_opens_the_account_page(signed_in):
    home = signed_in.get("/").content.decode()
    page = signed_in.get("/accounts/")

    assert 'href="/accounts/"' in home
    html = page.content.decode()
    for section in ("Profil", "Adresses", "Mon magasin", "Mot de passe", "Appareils connectés"):
        assert section in html


def test_customer_saves_her_name_and_phone(signed_in, customer):
    response = signed_in.post(
        "/accounts/", {"first_name": "Léa", "last_name": "Moreau", "phone": "06 12 34 56 78"}
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name) == ("Léa", "Moreau")
    assert customer.customer_profile.phone == "06 12 34 56 78"
    assert AuditEvent.objects.filter(action="account.profile_updated").count() == 1
    assert "Léa Moreau" in signed_in.get("/accounts/").content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"first_name": "Léa", "last_name": "Moreau", "phone": "12"}, "phone"),
        ({"first_name": "Léa", "last_name": "Moreau", "phone": "06 12 34"}, "phone"),
        ({"first_name": "", "last_name": "Moreau", "phone": ""}, "first_name"),
        ({"first_name": "L" * 101, "last_name": "Moreau", "phone": ""}, "first_name"),
    ],
    ids=["short-phone", "truncated-phone", "no-first-name", "name-too-long"],
)
def test_bad_profile_input_is_a_form_error_and_changes_nothing(signed_in, customer, data, field):
    response = signed_in.post("/accounts/", data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    customer.refresh_from_db()
    assert customer.last_name == ""
    assert not CustomerProfile.objects.exists()


def test_account_pages_ask_a_guest_to_sign_in(client, db):
    for path in ("/accounts/", "/accounts/addresses/", "/accounts/store/", "/accounts/data/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# Address book -----------------------------------------------------------------------------


def test_the_first_address_is_the_default_and_a_later_one_can_take_its_place(signed_in, network):
    add_address(signed_in, label="Maison")
    add_address(
        signed_in, label="Bureau", address_line="8 rue de la Roquette", postal_code="75011",
        city="Paris", make_default="on",
    )  # fmt: skip

    book = list(Address.objects.order_by("created_at"))
    assert [(a.label, a.is_default) for a in book] == [("Maison", False), ("Bureau", True)]
    html = signed_in.get("/accounts/addresses/").content.decode()
    assert html.index("Bureau") < html.index("Maison")


def test_the_checkout_is_filled_with_the_default_address_and_profile(signed_in, customer, network):
    profile = {"first_name": "Léa", "last_name": "Moreau", "phone": "0612345678"}
    signed_in.post("/accounts/", profile)
    add_address(signed_in, address_line="3 rue de la Charité")
    signed_in.post("/cart/add/", {"variant": "TUY-25", "quantity": 1, "method": "home_delivery"})

    form = signed_in.get("/checkout/").context["form"]

    assert form.initial["address_line"] == "3 rue de la Charité"
    assert form.initial["postal_code"] == "69002"
    assert form.initial["phone"] == "0612345678"
    assert form.initial["last_name"] == "Moreau"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"postal_code": "6900"}, "postal_code"),
        ({"postal_code": "99999"}, "postal_code"),
        ({"address_line": ""}, "address_line"),
        ({"city": ""}, "city"),
    ],
    ids=["four-digits", "unknown-code", "no-street", "no-town"],
)
def test_a_bad_address_is_a_form_error_and_adds_nothing(signed_in, network, fields, field):
    response = add_address(signed_in, **fields)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Address.objects.exists()


def test_removing_the_default_address_makes_the_next_one_the_default(signed_in, network):
    add_address(signed_in, label="Maison")
    add_address(signed_in, label="Bureau")
    home = Address.objects.get(label="Maison")

    signed_in.post(f"/accounts/addresses/{home.pk}/remove/")

    assert [(a.label, a.is_default) for a in Address.objects.all()] == [("Bureau", True)]


def test_customer_edits_an_address(signed_in, network):
    add_address(signed_in, label="Maison")
    address = Address.objects.get()

    response = signed_in.post(
        f"/accounts/addresses/{address.pk}/",
        {"label": "Chez moi", "address_line": "5 avenue Henri Barbusse", "postal_code": "69100",
         "city": "Villeurbanne"},
    )  # fmt: skip

    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.label, address.city, address.is_default) == ("Chez moi", "Villeurbanne", True)


def test_another_customers_address_is_a_404(signed_in, network):
    other = UserFactory(email="other@example.com")
    theirs = Address.objects.create(
        user=other, address_line="1 rue X", postal_code="69002", city="Lyon", is_default=True
    )

    assert signed_in.get(f"/accounts/addresses/{theirs.pk}/").status_code == 404
    assert signed_in.post(f"/accounts/addresses/{theirs.pk}/remove/").status_code == 404
    assert signed_in.post(f"/accounts/addresses/{theirs.pk}/default/").status_code == 404
    assert Address.objects.filter(pk=theirs.pk).exists()


def test_a_full_address_book_refuses_one_more_with_a_form_error(signed_in, customer, network):
    for index in range(MAX_ADDRESSES):
        Address.objects.create(
            user=customer, address_line=f"{index} rue X", postal_code="69002", city="Lyon",
            is_default=index == 0,
        )  # fmt: skip

    response = add_address(signed_in)

    assert response.status_code == 200
    assert "10 adresses" in response.content.decode()
    assert Address.objects.count() == MAX_ADDRESSES


@pytest.mark.django_db(transaction=True)
def test_two_tabs_adding_the_last_address_at_once_fill_the_book_only_to_its_limit():
    build_network()
    customer = UserFactory(email="lea@example.com")
    for index in range(MAX_ADDRESSES - 1):
        Address.objects.create(
            user=customer, address_line=f"{index} rue X", postal_code="69002", city="Lyon",
            is_default=index == 0,
        )  # fmt: skip
    barrier = threading.Barrier(2)
    outcomes = []

    def add(line):
        try:
            barrier.wait()
            save_address(
                user=customer, label="", address_line=line, postal_code="69002", city="Lyon",
                make_default=True, actor=customer,
            )  # fmt: skip
            outcomes.append("added")
        except Exception as error:  # the refusal is what is counted
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(f"{n} avenue Y",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["AddressBookFull", "added"]
    assert Address.objects.count() == MAX_ADDRESSES
    assert Address.objects.filter(is_default=True).count() == 1


# Favourite store --------------------------------------------------------------------------


def test_her_store_is_where_near_me_starts_and_the_first_pickup_offered(signed_in, network):
    response = signed_in.post("/accounts/store/", {"store": "paris-bastille"})
    assert response.status_code == 302

    page = signed_in.get("/p/secateur-pro-20/")

    offers = [offer.store.slug for offer in page.context["offers"]]
    assert offers[0] == "paris-bastille"
    assert page.context["location"].label == "votre magasin"
    assert "à moins de 50 km de votre magasin" in page.content.decode()
    assert 'data-testid="your-store"' in page.content.decode()


def test_her_store_comes_first_among_the_stores_near_the_place_she_gave(signed_in, network):
    signed_in.post("/accounts/store/", {"store": "villeurbanne-gratte-ciel"})

    page = signed_in.get("/p/secateur-pro-20/?postal_code=69002")

    offers = [offer.store.slug for offer in page.context["offers"]]
    assert offers[0] == "villeurbanne-gratte-ciel"
    assert set(offers) == {"villeurbanne-gratte-ciel", "lyon-presquile"}


def test_a_guest_sees_no_store_as_hers(client, network):
    page = client.get("/p/secateur-pro-20/")

    assert page.context["location"] is None
    assert 'data-testid="your-store"' not in page.content.decode()


@pytest.mark.parametrize("slug", ["lyon-confluence", "entrepot-saint-priest", "nowhere"], ids=str)
def test_a_store_that_does_not_sell_cannot_be_hers(signed_in, network, slug):
    response = signed_in.post("/accounts/store/", {"store": slug})

    assert response.status_code == 200
    assert response.context["form"].errors["store"]
    assert not CustomerProfile.objects.exists()


def test_she_can_have_no_favourite_store_again(signed_in, customer, network):
    signed_in.post("/accounts/store/", {"store": "paris-bastille"})
    signed_in.post("/accounts/store/", {"store": ""})

    assert CustomerProfile.objects.get(user=customer).favourite_store is None
    assert signed_in.get("/p/secateur-pro-20/").context["location"] is None


# Sessions and data ------------------------------------------------------------------------


def test_a_sign_in_is_listed_among_her_signed_in_devices(client, customer):
    client.post(
        "/accounts/login/", {"login": customer.email, "password": PASSWORD},
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari",
    )  # fmt: skip

    response = client.get("/accounts/sessions/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mozilla/5.0 (iPhone) Safari" in html
    assert "Cet appareil" in html


def test_the_data_page_offers_the_export_and_the_closure(signed_in):
    response = signed_in.get("/accounts/data/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Télécharger mes données" in html
    assert 'action="/accounts/data/export/"' in html
    assert 'href="/accounts/data/close/"' in html
    assert 'aria-current="page">Mes données' in html


# Password and e-mail (allauth's own pages, in the account layout) ---------------------------


def test_a_wrong_current_password_is_a_form_error_and_keeps_the_password(signed_in, customer):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": "Pivoine-2027-x", "password2": "Pivoine-2027-x"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"]
    assert 'class="account-nav"' in response.content.decode()
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_a_malformed_e_mail_address_is_a_form_error_and_adds_none(signed_in, customer):
    before = list(customer.emailaddress_set.values_list("email", flat=True))

    response = signed_in.post("/accounts/email/", {"action_add": "", "email": "lea@"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert list(customer.emailaddress_set.values_list("email", flat=True)) == before
