"""Templated e-mails go through the outbox: rendered in the recipient's language by the worker,
sent after commit, once per event however often the delivery runs."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.template import TemplateDoesNotExist

from network_marketplace.models import OutboxMessage
from network_marketplace.notifications import send_templated_email
from network_marketplace.outbox import deliver_due_messages
from network_marketplace.tasks import deliver_outbox


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Ardoise <no-reply@ardoise.example>"
    settings.SITE_URL = "https://shop.ardoise.example"


def test_email_is_rendered_in_french_by_default(customer, django_capture_on_commit_callbacks):
    # Given a service that sends the test notice to a customer, with no language given
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=customer.email,
            template="test_notice",
            context={"name": "Léa"},
            dedupe_key="test-notice:lea",
        )

    # Then one e-mail left after commit, in French, in text and HTML, from the network
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["lea.customer@example.com"]
    assert email.from_email == "Ardoise <no-reply@ardoise.example>"
    assert email.subject == "Ardoise\xa0: e-mail de test"
    assert "Bonjour Léa," in email.body
    assert "ses e-mails vous parviennent" in email.body
    assert "https://shop.ardoise.example/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html
    assert "Vos e-mails fonctionnent" in html
    assert "Ardoise Réseau SAS" in html
    assert email.extra_headers["Message-ID"].endswith("@ardoise.example>")


def test_email_is_rendered_in_english_when_asked(customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=[customer.email],
            template="test_notice",
            context={"name": "Lea"},
            language="en-GB",
            dedupe_key="test-notice:lea-en",
        )

    email = mail.outbox[0]
    assert email.subject == "Ardoise: test e-mail"
    assert "Hello Lea," in email.body
    assert "Your e-mails work" in email.alternatives[0][0]
    assert OutboxMessage.objects.get().payload["language"] == "en"


def test_email_is_sent_once_even_if_the_delivery_runs_twice(
    customer, django_capture_on_commit_callbacks
):
    # Given an e-mail sent after commit, and the same event sent again by a retried service
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=customer.email, template="test_notice", context={}, dedupe_key="order:1"
        )
        send_templated_email(
            to=customer.email, template="test_notice", context={}, dedupe_key="order:1"
        )

    # When the delivery runs twice more (the beat's sweep, a redelivered task)
    deliver_outbox.apply()
    deliver_due_messages()

    # Then the customer got one e-mail
    assert len(mail.outbox) == 1
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT
    assert message.dedupe_key == "email:order:1"


def test_email_of_a_transaction_that_rolls_back_is_never_sent(transactional_db, customer):
    def confirm_order():
        with transaction.atomic():
            send_templated_email(
                to=customer.email, template="test_notice", context={}, dedupe_key="order:2"
            )
            raise RuntimeError("stock ran out")

    with pytest.raises(RuntimeError):
        confirm_order()
    deliver_due_messages()

    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_a_missing_template_is_an_error_in_the_business_code_not_in_the_worker(db):
    with pytest.raises(TemplateDoesNotExist):
        send_templated_email(
            to="lea@example.com", template="no_such_mail", context={}, dedupe_key="x:1"
        )
    with pytest.raises(ValueError, match="Invalid e-mail recipients"):
        send_templated_email(
            to="not an address", template="test_notice", context={}, dedupe_key="x:2"
        )
    assert not OutboxMessage.objects.exists()


def test_smtp_failure_is_retried_later(customer, monkeypatch, settings):
    # Given an SMTP server that refuses the first connection
    send_templated_email(
        to=customer.email, template="test_notice", context={}, dedupe_key="order:3"
    )
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    calls = []

    def refuse_once(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise ConnectionRefusedError("SMTP server unavailable")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_once)

    # When the worker delivers, then retries once the backoff has passed
    deliver_due_messages()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED
    assert "SMTP server unavailable" in message.last_error
    assert mail.outbox == []
    deliver_due_messages(now=message.next_attempt_at)

    # Then the e-mail left once
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_send_test_email_command_sends_the_notice(transactional_db, capsys):
    call_command("send_test_email", "ops@ardoise.example", "--language", "en")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Ardoise: test e-mail"
    assert "sent" in capsys.readouterr().out
