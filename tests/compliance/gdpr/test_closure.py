"""Closing her account (GDPR art. 17 with art. 17(3)): her data erased at once, what the law
keeps moved apart from the orders, which stay for the stores and HQ with "Client supprimé";
refused with a clear message while an order is open, or without her password."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from accounts.models import Address, CustomerProfile
from compliance.models import PersonalDataExport, RetainedPersonalData
from compliance.services.gdpr import AccountHasOpenOrders, close_account
from network_marketplace.models import AuditEvent, OutboxMessage, User
from network_marketplace.outbox import deliver_due_messages
from orders.models import Order
from tests.factories import PASSWORD

from .conftest import client_for

CLIENT_SUPPRIME = "Client supprimé"


def test_closing_erases_her_account_and_keeps_her_orders_apart(orders, lea, lyon_store):
    lea_lyon, lea_paris, bob_paris = orders
    EmailAddress.objects.get_or_create(user=lea, email=lea.email)
    Authenticator.objects.create(user=lea, type=Authenticator.Type.RECOVERY_CODES, data={})

    report = close_account(user=lea, actor=lea)

    lea.refresh_from_db()
    assert lea.email.endswith("@erased.invalid")
    assert (lea.first_name, lea.last_name, lea.is_active) == ("", "", False)
    assert not lea.has_usable_password()
    assert not Address.objects.filter(user=lea).exists()
    assert not CustomerProfile.objects.filter(user=lea).exists()
    assert not EmailAddress.objects.filter(user=lea).exists()
    assert not Authenticator.objects.filter(user=lea).exists()
    assert report.kept == 2
    for order in (lea_lyon, lea_paris):
        order.refresh_from_db()
        assert order.customer is None
        assert (order.first_name, order.last_name, order.phone, order.address_line) == ("",) * 4
        assert order.email == lea.email  # the unusable address, not hers
        assert order.customer_name == CLIENT_SUPPRIME
        assert order.total_cents > 0  # the sale itself stays
    kept = RetainedPersonalData.objects.get(order=lea_lyon)
    assert kept.data["email"] == "lea.martin@example.com"
    assert kept.data["last_name"] == "Martin"
    assert kept.purpose == RetainedPersonalData.Purpose.CONSUMER_CONTRACT  # 149 €
    assert RetainedPersonalData.objects.get(order=lea_paris).purpose == "accounting"  # 12,90 €
    assert kept.delete_after.year == lea_lyon.placed_at.year + 10
    bob_paris.refresh_from_db()
    assert bob_paris.first_name == "Bob"
    assert bob_paris.customer_erased_at is None


def test_her_e_mails_and_activity_records_lose_her_address(orders, lea):
    deliver_due_messages()  # the order e-mails went out

    close_account(user=lea, actor=lea)

    # The only e-mail left to her address: the confirmation of the closure, to send
    [left] = OutboxMessage.objects.filter(payload__to__contains=["lea.martin@example.com"])
    assert left.dedupe_key.startswith("email:account-closed:")
    assert not AuditEvent.objects.filter(actor_label="lea.martin@example.com").exists()
    assert AuditEvent.objects.filter(action="account.closed").count() == 1


def test_the_closure_is_confirmed_by_e_mail(orders, lea, settings):
    close_account(user=lea, actor=lea)
    deliver_due_messages()

    [email] = [
        m for m in mail.outbox if m.to == ["lea.martin@example.com"] and "fermé" in m.subject
    ]
    assert "2 commandes" in email.body


def test_closing_twice_does_nothing_the_second_time(orders, lea):
    close_account(user=lea, actor=lea)

    again = close_account(user=lea, actor=lea)

    assert again.already_closed
    assert RetainedPersonalData.objects.count() == 2


def test_an_open_order_refuses_the_closure_and_changes_nothing(orders, lea, lyon_store):
    open_order = orders[0]
    Order.objects.filter(pk=open_order.pk).update(status=Order.Status.IN_PROGRESS)

    with pytest.raises(AccountHasOpenOrders) as refused:
        close_account(user=lea, actor=lea)

    assert open_order.number in refused.value.message
    lea.refresh_from_db()
    assert lea.email == "lea.martin@example.com"
    assert lea.is_active
    assert Address.objects.filter(user=lea).exists()
    assert not RetainedPersonalData.objects.exists()


def test_the_page_asks_for_her_password_and_signs_her_out_everywhere(orders, lea, client):
    other_device = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    other_device.post("/accounts/login/", {"login": lea.email, "password": PASSWORD})
    other_session = other_device.session.session_key
    assert Session.objects.filter(session_key=other_session).exists()
    page = client_for(lea)

    wrong = page.post("/accounts/data/close/", {"password": "nope", "confirm": "on"})
    no_box = page.post("/accounts/data/close/", {"password": PASSWORD})

    assert wrong.status_code == 400
    assert "Ce n\u2019est pas votre mot de passe" in wrong.content.decode()
    assert no_box.status_code == 400
    assert "Cochez la case" in no_box.content.decode()
    assert User.objects.get(pk=lea.pk).is_active

    done = page.post("/accounts/data/close/", {"password": PASSWORD, "confirm": "on"}, follow=True)

    assert done.redirect_chain[-1][0] == "/"
    assert "Votre compte est fermé" in done.content.decode()
    assert page.get("/accounts/").status_code == 302  # signed out
    assert other_device.get("/accounts/").status_code == 302  # and on her other device
    assert not client.login(email="lea.martin@example.com", password=PASSWORD)
    assert not Session.objects.filter(session_key=other_session).exists()


def test_the_page_names_the_open_order_and_keeps_the_account(orders, lea):
    Order.objects.filter(pk=orders[0].pk).update(status=Order.Status.PLACED)
    page = client_for(lea)

    data_page = page.get("/accounts/data/").content.decode()
    refused = page.post("/accounts/data/close/", {"password": PASSWORD, "confirm": "on"})

    assert orders[0].number in data_page
    assert "encore en cours" in data_page
    assert refused.status_code == 400
    assert orders[0].number in refused.content.decode()
    assert User.objects.get(pk=lea.pk).is_active


def test_a_pending_export_fails_and_her_files_go_when_she_closes(orders, lea):
    export = PersonalDataExport.objects.create(
        user=lea, requested_by_label=lea.email, due_at=lea.date_joined
    )

    close_account(user=lea, actor=lea)

    export.refresh_from_db()
    assert export.status == PersonalDataExport.Status.FAILED
    assert export.requested_by_label.endswith("@erased.invalid")
