"""Templated e-mails to customers and stores, sent through the outbox after commit.

A service calls `send_templated_email()` inside its transaction; the worker renders
`templates/emails/<template>.subject.txt`, `.txt` and (when present) `.html` in the recipient's
language and sends with Django's mail API (the console in the embedded profile, SMTP in
production). One `dedupe_key` is one e-mail, however often the business code or the delivery runs.
"""

from __future__ import annotations

import base64
import io
import re
from email.mime.image import MIMEImage
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .models import OutboxMessage
from .outbox import PermanentFailure, enqueue, register_handler

EMAIL_KIND = "email"


def send_templated_email(
    *,
    to: str | list[str],
    template: str,
    context: dict,
    language: str | None = None,
    dedupe_key: str,
    inline_qr: dict[str, str] | None = None,
    redact_after_send: list[str] | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutboxMessage:
    """Enqueue the e-mail `emails/<template>` to `to`, rendered in `language` (default French).

    Call it inside the business transaction. `context` must be JSON (ids, strings, numbers,
    cents): it is stored, and rendered later by the worker. `dedupe_key` names the event
    ("order-confirmed:42"): the same key twice sends one e-mail. A missing template is an
    error here, not in the worker.

    `inline_qr` maps an image name to a context key: the worker draws that value as a QR code,
    attaches it inline (Content-ID) and gives the HTML template `<name>_src` ("cid:...") for
    `<img src>`. `redact_after_send` names context keys that must not outlive the delivery (a
    pickup code): once the e-mail is sent they are blanked in the stored payload.
    `attachments`: (file name, content, MIME type) of documents made at the time of the event
    (a withdrawal's acknowledgement PDF), stored with the message so the worker sends exactly
    what was made.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients or not all("@" in parseaddr(address)[1] for address in recipients):
        raise ValueError(f"Invalid e-mail recipients: {recipients!r}")
    for suffix in ("subject.txt", "txt"):
        get_template(f"emails/{template}.{suffix}")
    return enqueue(
        kind=EMAIL_KIND,
        payload={
            "to": recipients,
            "template": template,
            "context": context,
            "language": _supported_language(language),
            **({"inline_qr": dict(inline_qr)} if inline_qr else {}),
            **({"redact": list(redact_after_send)} if redact_after_send else {}),
            **(
                {
                    "attachments": [
                        {
                            "filename": name,
                            "mimetype": mimetype,
                            "content": base64.b64encode(content).decode("ascii"),
                        }
                        for name, content, mimetype in attachments
                    ]
                }
                if attachments
                else {}
            ),
        },
        dedupe_key=f"{EMAIL_KIND}:{dedupe_key}",
    )


def _supported_language(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if language in codes:
        return language
    if language and language.split("-")[0] in codes:
        return language.split("-")[0]
    return settings.LANGUAGE_CODE


def base_context() -> dict:
    return {
        "network_name": settings.NETWORK_NAME,
        "network_operator": settings.NETWORK_OPERATOR,
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def render_email(*, template: str, context: dict, language: str) -> tuple[str, str, str | None]:
    """(subject, text, html or None) of `emails/<template>` in `language`."""
    full_context = {**base_context(), **context, "language": language}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}.subject.txt", full_context)
        text = render_to_string(f"emails/{template}.txt", full_context)
        try:
            html = render_to_string(f"emails/{template}.html", full_context)
        except TemplateDoesNotExist:
            html = None
    # One line, keeping the no-break spaces of French typography ("Ardoise : …").
    return re.sub(r"[ \t\r\n]+", " ", subject).strip(), text.strip() + "\n", html


def _message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt: a relay that got the e-mail twice keeps one."""
    return f"<outbox-{message.pk}@{_domain()}>"


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def qr_png(text: str) -> bytes:
    """A QR code of `text` as a PNG, large enough to scan from a phone screen."""
    import segno

    buffer = io.BytesIO()
    # A full QR code (never a Micro QR, which many phone scanners do not read).
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def qr_svg(text: str, *, title: str = "") -> str:
    """A QR code of `text` as inline SVG markup (a page shows it without a request of its own),
    scalable, with `title` as its accessible name."""
    import segno

    return segno.make_qr(text, error="m").svg_inline(
        scale=6, border=4, dark="#1b1f24", light="#ffffff", title=title or None, svgclass="qr"
    )


def deliver_email(message: OutboxMessage) -> None:
    payload = message.payload
    if payload.get("redacted"):
        # Sent already (its secrets were blanked after the send): a worker that took over a
        # lease must not send it again, without its code.
        return
    context = dict(payload.get("context") or {})
    domain = _domain()
    images = []
    for name, key in (payload.get("inline_qr") or {}).items():
        if context.get(key):
            content_id = f"{name}.{message.pk}@{domain}"
            context[f"{name}_src"] = f"cid:{content_id}"
            images.append((name, content_id, qr_png(str(context[key]))))
    try:
        subject, text, html = render_email(
            template=payload["template"],
            context=context,
            language=payload.get("language") or settings.LANGUAGE_CODE,
        )
    except TemplateDoesNotExist as exc:
        raise PermanentFailure(f"E-mail template missing: {exc}") from exc
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=payload["to"],
        headers={"Message-ID": _message_id(message)},
    )
    if html:
        email.attach_alternative(html, "text/html")
    if images:
        # multipart/related: the images belong to the HTML part and are shown inline.
        email.mixed_subtype = "related"  # type: ignore[attr-defined]  # not in the stubs
        for name, content_id, png in images:
            image = MIMEImage(png, "png")
            image.add_header("Content-ID", f"<{content_id}>")
            image.add_header("Content-Disposition", "inline", filename=f"{name}.png")
            email.attach(image)
    for attachment in payload.get("attachments") or []:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    email.send(fail_silently=False)
    if payload.get("redact"):
        _redact(message, payload)


def _redact(message: OutboxMessage, payload: dict) -> None:
    """Blank the secrets of a sent e-mail in the stored payload: the mailbox has them now."""
    context = dict(payload.get("context") or {})
    for key in payload["redact"]:
        if key in context:
            context[key] = ""
    OutboxMessage.objects.filter(pk=message.pk).update(
        payload={**payload, "context": context, "redacted": True}
    )


register_handler(EMAIL_KIND, deliver_email)
