"""The consent ledger (GDPR art. 7): each consent and withdrawal is a row with its notice
version, time and channel; the last row is the current word; the checkout's soft opt-in covers
only the store that sold; the network's offers need the box ticked; "Mes consentements"
records each toggle; the cookie choice endpoint refuses bad input and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from compliance.consent_cookie import COOKIE_NAME
from compliance.models import ConsentBasis, ConsentChannel, ConsentPurpose, ConsentRecord
from compliance.selectors.consents import (
    accounts_that_may_be_emailed,
    consents_of,
    current_consent,
    may_email,
    may_email_for_store,
)
from compliance.services.consents import InvalidConsent, record_consent, withdraw_all
from orders.models import FulfilmentMethod, Order
from tests.checkout.storefront_setup import build_world
from tests.factories import UserFactory

CHECKOUT = reverse("checkout:checkout")
ADD = reverse("checkout:cart-add")
NETWORK = ConsentPurpose.NETWORK_MARKETING
STORE = ConsentPurpose.STORE_MARKETING
LEA = {
    "email": "lea@example.com",
    "first_name": "Léa",
    "last_name": "Martin",
    "phone": "06 12 34 56 78",
    "address_line": "3 rue Mercière",
    "postal_code": "69002",
    "city": "Lyon",
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/39",
    "card_cvc": "123",
    "accept_terms": "on",
}


@pytest.fixture
def world(db):
    return build_world()


def buy_at(client, world, store, **boxes):
    """Click & collect one sécateur at `store` through the checkout page, with the marketing
    boxes as given ({"refuse_store_offers": "on"} ...)."""
    client.post(
        ADD,
        {
            "variant": world.secateur.sku,
            "method": FulfilmentMethod.CLICK_COLLECT,
            "quantity": 1,
            "store": store.slug,
        },
    )
    form = client.get(CHECKOUT).context["form"]
    slot = next(value for value, _label in form.fields[f"slot_{store.pk}"].choices[1][1])
    response = client.post(CHECKOUT, {**LEA, f"slot_{store.pk}": slot, **boxes})
    assert response.status_code == 302, response.content.decode()[:500]
    return Order.objects.order_by("-id").first()


def test_a_consent_and_its_withdrawal_are_recorded_with_version_time_and_channel(
    customer, settings
):
    settings.PRIVACY_NOTICE_VERSION = "2026-03"
    with time_machine.travel(datetime(2026, 3, 2, 9, 30, tzinfo=UTC), tick=False):
        record_consent(
            purpose=NETWORK, granted=True, channel=ConsentChannel.ACCOUNT_PAGE, actor=customer,
            user=customer,
        )  # fmt: skip
    with time_machine.travel(datetime(2026, 4, 1, 18, 0, tzinfo=UTC), tick=False):
        record_consent(
            purpose=NETWORK, granted=False, channel=ConsentChannel.API, actor=customer,
            user=customer,
        )  # fmt: skip

    rows = list(ConsentRecord.objects.order_by("id"))
    assert [(r.granted, r.channel, r.notice_version) for r in rows] == [
        (True, "account_page", "2026-03"),
        (False, "api", "2026-03"),
    ]
    assert rows[0].recorded_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert rows[1].recorded_at == datetime(2026, 4, 1, 18, 0, tzinfo=UTC)
    assert rows[1].recorded_by == customer.email
    assert current_consent(purpose=NETWORK, user=customer) == rows[1]
    assert may_email(user=customer) is False


def test_the_ledger_is_append_only(customer):
    row = record_consent(
        purpose=NETWORK, granted=True, channel=ConsentChannel.WEB_FORM, actor=customer,
        user=customer,
    )  # fmt: skip
    row.granted = False
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    assert ConsentRecord.objects.get().granted is True


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"purpose": "newsletter_spam"}, "purpose", id="unknown-purpose"),
        pytest.param({"channel": "carrier_pigeon"}, "channel", id="unknown-channel"),
        pytest.param({"purpose": STORE}, "store", id="store-purpose-without-store"),
        pytest.param({"basis": ConsentBasis.SOFT_OPT_IN}, "basis", id="soft-opt-in-for-network"),
    ],
)
def test_a_consent_that_says_not_what_for_or_how_is_refused(customer, kwargs, field):
    arguments = {
        "purpose": NETWORK, "granted": True, "channel": ConsentChannel.WEB_FORM,
        "actor": customer, "user": customer, **kwargs,
    }  # fmt: skip
    with pytest.raises(InvalidConsent) as refused:
        record_consent(**arguments)
    assert refused.value.facts["field"] == field
    assert not ConsentRecord.objects.exists()


def test_the_soft_opt_in_at_checkout_covers_only_the_store_that_sold(client, world):
    order = buy_at(client, world, world.bellecour)

    row = ConsentRecord.objects.get()
    assert (row.email, row.purpose, row.store, row.granted) == (
        "lea@example.com", STORE, world.bellecour, True,
    )  # fmt: skip
    assert (row.basis, row.channel) == (ConsentBasis.SOFT_OPT_IN, ConsentChannel.CHECKOUT)
    assert order.email == "lea@example.com"
    assert may_email_for_store(store=world.bellecour, email="lea@example.com") is True
    assert may_email_for_store(store=world.part_dieu, email="lea@example.com") is False
    assert may_email(email="lea@example.com") is False  # the network needs a real opt-in


def test_an_objection_at_checkout_is_recorded_and_a_later_purchase_does_not_undo_it(client, world):
    buy_at(client, world, world.bellecour, refuse_store_offers="on")
    buy_at(client, world, world.bellecour)

    rows = list(ConsentRecord.objects.values_list("store", "granted"))
    assert rows == [(world.bellecour.pk, False)]
    assert may_email_for_store(store=world.bellecour, email="lea@example.com") is False


def test_the_networks_offers_are_recorded_only_when_the_box_is_ticked(client, world, customer):
    client.force_login(customer)
    buy_at(client, world, world.bellecour, network_offers="on")

    assert may_email(user=customer) is True
    network = ConsentRecord.objects.get(purpose=NETWORK)
    assert (network.user, network.basis, network.channel) == (
        customer, ConsentBasis.CONSENT, ConsentChannel.CHECKOUT,
    )  # fmt: skip
    assert list(accounts_that_may_be_emailed(purpose=NETWORK)) == [customer]
    assert list(accounts_that_may_be_emailed(purpose=STORE, store=world.bellecour)) == [customer]
    assert list(accounts_that_may_be_emailed(purpose=STORE, store=world.part_dieu)) == []


def test_her_account_page_lists_each_store_and_records_each_toggle(client, world, customer):
    client.force_login(customer)
    buy_at(client, world, world.bellecour)
    page = client.get(reverse("consents:mine"))
    keys = [line.key for line in page.context["lines"]]
    assert keys == [NETWORK, f"{STORE}:{world.bellecour.pk}"]

    # She takes the store's offers back and asks for the network's
    client.post(reverse("consents:mine"), {NETWORK: "on"})
    # Saving again without a change records nothing
    again = client.post(reverse("consents:mine"), {NETWORK: "on"}, follow=True)

    assert [str(message) for message in again.context["messages"]][-1] == "Rien n'a changé."
    rows = list(ConsentRecord.objects.order_by("id").values_list("purpose", "granted", "channel"))
    assert rows == [
        (STORE, True, "checkout"),
        (NETWORK, True, "account_page"),
        (STORE, False, "account_page"),
    ]
    assert may_email_for_store(store=world.bellecour, user=customer) is False
    assert may_email(user=customer) is True


def test_the_consents_page_is_for_a_signed_in_customer(client, db):
    response = client.get(reverse("consents:mine"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_withdraw_all_withdraws_every_current_consent_including_a_guest_soft_opt_in(client, world):
    buy_at(client, world, world.bellecour, network_offers="on")  # as a guest
    lea = UserFactory(email="lea@example.com")
    assert may_email_for_store(store=world.bellecour, user=lea) is True

    withdrawn = withdraw_all(user=lea, channel=ConsentChannel.ACCOUNT_CLOSURE)

    assert {(row.purpose, row.granted) for row in withdrawn} == {(STORE, False), (NETWORK, False)}
    assert may_email_for_store(store=world.bellecour, user=lea) is False
    assert may_email_for_store(store=world.bellecour, email="lea@example.com") is False
    assert may_email(user=lea) is False
    assert withdraw_all(user=lea, channel=ConsentChannel.ACCOUNT_CLOSURE) == []
    exported = consents_of(lea)
    assert [(row["purpose"], row["granted"], row["channel"]) for row in exported] == [
        (STORE, True, "checkout"),
        (NETWORK, True, "checkout"),
        (STORE, False, "account_closure"),
        (NETWORK, False, "account_closure"),
    ]
    assert exported[0]["store"] == world.bellecour.name


def test_another_customers_consents_are_not_hers(customer):
    other = UserFactory(email="paul@example.com")
    record_consent(
        purpose=NETWORK, granted=True, channel=ConsentChannel.WEB_FORM, actor=other, user=other
    )
    assert may_email(user=customer) is False
    assert consents_of(customer) == []


# The cookie choice endpoint ---------------------------------------------------------------------


def test_a_cookie_choice_is_recorded_and_remembered_in_a_first_party_cookie(client, db, settings):
    response = client.post(
        reverse("legal:cookie-choice"),
        {"choice": "accept_all", "source": "banner", "next": "/stores/"},
    )

    assert response.status_code == 302
    assert response.url == "/stores/"
    cookie = response.cookies[COOKIE_NAME]
    version, granted, visitor = cookie.value.split("|")
    assert (version, granted) == (settings.COOKIE_NOTICE_VERSION, "maps")
    row = ConsentRecord.objects.get()
    assert (row.visitor_id, row.purpose, row.granted, row.channel) == (
        visitor, ConsentPurpose.COOKIES_MAPS, True, ConsentChannel.COOKIE_BANNER,
    )  # fmt: skip

    # Withdrawn later under the same visitor id
    client.post(reverse("legal:cookie-choice"), {"choice": "refuse_all", "source": "page"})
    withdrawal = ConsentRecord.objects.order_by("-id").first()
    assert (withdrawal.visitor_id, withdrawal.granted, withdrawal.channel) == (
        visitor, False, ConsentChannel.WEB_FORM,
    )  # fmt: skip


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="no-choice"),
        pytest.param({"choice": "everything"}, id="unknown-choice"),
        pytest.param({"choice": "accept_all", "source": "popup"}, id="unknown-source"),
    ],
)
def test_a_bad_cookie_choice_is_a_400_and_records_nothing(client, db, data):
    response = client.post(reverse("legal:cookie-choice"), data)
    assert response.status_code == 400
    assert COOKIE_NAME not in response.cookies
    assert not ConsentRecord.objects.exists()
    answer = client.post(reverse("legal:cookie-choice"), data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert "choice" in answer.json()["fields"] or "source" in answer.json()["fields"]


def test_the_cookie_choice_needs_the_forms_csrf_token(db):
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    response = guarded.post(reverse("legal:cookie-choice"), {"choice": "accept_all"})
    assert response.status_code == 403
    assert not ConsentRecord.objects.exists()


def test_an_offsite_next_goes_home_and_a_tampered_cookie_is_no_choice(client, db):
    response = client.post(
        reverse("legal:cookie-choice"), {"choice": "refuse_all", "next": "https://evil.example/"}
    )
    assert response.url == "/"
    client.cookies[COOKIE_NAME] = "2026-01|maps+ads|not-an-id"
    page = client.get("/legal/cookies/")
    assert page.context["cookie_choice"] is None
