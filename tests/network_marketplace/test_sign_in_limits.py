"""Sign-in and password-reset rate limits (issue 17), as an attacker would meet them: after five
wrong passwords an account can't be tried again for a while, even with the right password, and
password-reset mails for one address stop after five a minute."""

import uuid

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# allauth counts in the shared cache, per IP and per account: each test uses an address and an
# account of its own, so no other test's attempts count against it.
def unique_email(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.com"


def client_from_its_own_address() -> Client:
    return Client(REMOTE_ADDR=f"203.0.113.{uuid.uuid4().int % 250 + 1}")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one():
    user = UserFactory(email=unique_email("gerant"))
    attacker = client_from_its_own_address()

    wrong = [
        attacker.post("/accounts/login/", {"login": user.email, "password": "guess"}).status_code
        for _ in range(5)
    ]
    right = client_from_its_own_address().post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )

    assert wrong == [200] * 5  # the form again, with its error
    assert right.status_code == 200
    assert "Trop de tentatives" in right.content.decode()
    assert "_auth_user_id" not in right.wsgi_request.session


def test_password_reset_mails_for_one_address_stop_after_five_a_minute():
    user = UserFactory(email=unique_email("cliente"))
    client = client_from_its_own_address()

    answers = [
        client.post("/accounts/password/reset/", {"email": user.email}).status_code
        for _ in range(7)
    ]

    assert answers[:5] == [302] * 5
    assert answers[5:] == [429, 429]
    assert len([m for m in mail.outbox if user.email in m.to]) <= 5
