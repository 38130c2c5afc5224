"""The demo mailbox: the embedded demo keeps every e-mail it sends (its EMAIL_BACKEND when
settings.DEMO, see config/settings.py) and shows them at /demo/mailbox/, so that a pickup code,
a tracking link or a password reset can be followed without a real inbox."""

from __future__ import annotations

import base64
import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from typing import cast

from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import QuerySet

from .models import MailboxMessage

MAILBOX_BACKEND = "demo.mailbox.MailboxBackend"


class MailboxBackend(BaseEmailBackend):
    """Django's e-mail backend of the demo: every message is kept, none leaves the machine."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            keep_email(message=message)
        return len(email_messages)


def keep_email(*, message) -> MailboxMessage:
    """Keep `message` (a Django EmailMessage) in the mailbox as it would have been sent."""
    return MailboxMessage.objects.create(
        from_email=message.from_email,
        to=", ".join(message.recipients()),
        subject=message.subject,
        # As sent: 8-bit UTF-8 text parts and base64 images (what Django's messages hold).
        source=message.message().as_bytes().decode("utf-8", errors="replace"),
    )


def mailbox_messages(*, to: str = "") -> QuerySet[MailboxMessage]:
    """The kept e-mails, newest first; `to` keeps those sent to that address."""
    messages = MailboxMessage.objects.defer("source")
    return messages.filter(to__icontains=to) if to else messages


def mailbox_recipients() -> list[str]:
    """Every address the demo wrote to, for the mailbox's filter."""
    addresses = set()
    for recipients in MailboxMessage.objects.values_list("to", flat=True).distinct():
        addresses.update(address.strip() for address in recipients.split(",") if address.strip())
    return sorted(addresses)


@dataclass(frozen=True)
class ShownEmail:
    """What the mailbox shows of a kept e-mail: the text part, and the HTML part with its inline
    images (cid:) turned into data: URLs that a browser can show without the message."""

    message: MailboxMessage
    text: str
    html: str | None


def show_email(message: MailboxMessage) -> ShownEmail:
    parsed = cast(
        MimeMessage, email.message_from_bytes(message.source.encode(), policy=email.policy.default)
    )
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    html = html_part.get_content() if html_part is not None else None
    if html:
        for content_id, data_url in _inline_images(parsed).items():
            html = html.replace(f"cid:{content_id}", data_url)
    text = text_part.get_content() if text_part is not None else ""
    return ShownEmail(message=message, text=text, html=html)


def _inline_images(parsed: MimeMessage) -> dict[str, str]:
    images = {}
    for part in parsed.walk():
        content_id = part.get("Content-ID")
        if content_id and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_payload(decode=True)).decode()
            images[content_id.strip("<>")] = f"data:{part.get_content_type()};base64,{data}"
    return images
