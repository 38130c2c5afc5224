"""What a customer's data export holds, one section by kind of data (art. 15 and 20).

Each section is a function of the user giving rows (flat dicts of JSON values): the ZIP holds
every section as `<key>.csv` and all of them in `donnees.json`. Another part of compliance adds
its own section with `register_export_section`, and what closing an account must also erase
with `register_erasure_step` (erasure.py calls them); the consent ledger's are registered here.

Only the orders placed through the account are hers here: a guest order that merely carries her
e-mail address may be someone else's (an address is not proof of identity); HQ answers such a
request by hand, after checking who asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.selectors import address_book, profile_of
from fulfillment.models import Fulfilment, FulfilmentLine, Return
from network_marketplace.models import OutboxMessage, User
from network_marketplace.notifications import EMAIL_KIND, render_email
from orders.models import Order

from ...models import Complaint, ConsentChannel, Notice
from ...selectors.consents import consents_of
from ..consents import withdraw_all

Row = dict[str, Any]
SectionBuilder = Callable[[User], Iterable[Row]]
ErasureStep = Callable[..., int]


@dataclass(frozen=True)
class ExportSection:
    key: str  # the file's name in the ZIP, without extension (French: the customer reads it)
    title: Promise  # what the cover page calls it
    build: SectionBuilder


_sections: dict[str, ExportSection] = {}
_erasure_steps: dict[str, ErasureStep] = {}


def register_export_section(key: str, title: Promise, build: SectionBuilder) -> None:
    """Add (or replace) the section `key` of every export from now on."""
    _sections[key] = ExportSection(key=key, title=title, build=build)


def export_sections() -> list[ExportSection]:
    return list(_sections.values())


def register_erasure_step(key: str, step: ErasureStep) -> None:
    """`step(user=..., actor=...)` erases what another part keeps of a closing account (the
    consents withdrawn, ...) inside the closure's transaction; it returns how many rows."""
    _erasure_steps[key] = step


def erasure_steps() -> dict[str, ErasureStep]:
    return dict(_erasure_steps)


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def orders_of(user: User) -> QuerySet[Order]:
    """The orders placed through `user`'s account, oldest first."""
    return Order.objects.filter(customer=user).exclude(number=None).order_by("created_at", "pk")


def _store(store: Any) -> str:
    if store is None:
        return ""
    return f"{store.name}, {store.address_line}, {store.postal_code} {store.city}"


def account_rows(user: User) -> Iterable[Row]:
    profile = profile_of(user)
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    yield {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": profile.phone if profile else "",
        "favourite_store": _store(profile.favourite_store) if profile else "",
        "joined_at": _when(user.date_joined),
        "last_sign_in_at": _when(user.last_login),
        "email_addresses": " ".join(
            f"{address.email}{' (verified)' if address.verified else ''}" for address in emails
        ),
    }


def address_rows(user: User) -> Iterable[Row]:
    for address in address_book(user):
        yield {
            "label": address.label,
            "address": address.address_line,
            "postal_code": address.postal_code,
            "city": address.city,
            "default": address.is_default,
            "added_at": _when(address.created_at),
        }


def order_rows(user: User) -> Iterable[Row]:
    orders = orders_of(user).prefetch_related("fulfilments__store")
    for order in orders:
        sellers = sorted({f.store.name for f in order.fulfilments.all()})
        yield {
            "order": order.number,
            "placed_at": _when(order.placed_at),
            "status": order.get_status_display(),
            "channel": order.get_channel_display(),
            "sold_by": ", ".join(sellers),
            "first_name": order.first_name,
            "last_name": order.last_name,
            "email": order.email,
            "phone": order.phone,
            "address": order.address_line,
            "postal_code": order.postal_code,
            "city": order.city,
            "country": order.country,
            "items_cents": order.subtotal_cents,
            "delivery_cents": order.shipping_cents,
            "total_cents": order.total_cents,
            "vat_cents": order.vat_cents,
            "currency": order.currency,
        }


def order_line_rows(user: User) -> Iterable[Row]:
    lines = (
        FulfilmentLine.objects.filter(fulfilment__order__in=orders_of(user))
        .select_related("fulfilment__order", "fulfilment__store", "order_line")
        .order_by("fulfilment__order__created_at", "pk")
    )
    for line in lines:
        item = line.order_line
        yield {
            "order": line.fulfilment.order.number,
            "sold_by": line.fulfilment.store.name,
            "sku": item.sku,
            "product": item.product_name,
            "options": item.options_label,
            "quantity": line.quantity,
            "unit_price_cents": item.unit_price_cents,
            "vat_percent": str(item.vat_percent),
            "currency": line.fulfilment.order.currency,
        }


def fulfilment_rows(user: User) -> Iterable[Row]:
    fulfilments = (
        Fulfilment.objects.filter(order__in=orders_of(user))
        .select_related("order", "store", "pickup_store")
        .order_by("order__created_at", "pk")
    )
    for fulfilment in fulfilments:
        yield {
            "order": fulfilment.order.number,
            "store": _store(fulfilment.store),
            "pickup_store": _store(fulfilment.pickup_store),
            "method": fulfilment.get_method_display(),
            "status": fulfilment.get_status_display(),
            "ready_at": _when(fulfilment.ready_at),
            "closed_at": _when(fulfilment.closed_at),
            "delivered_at": _when(fulfilment.delivered_at),
            "carrier": fulfilment.carrier,
            "tracking_number": fulfilment.tracking_number,
        }


def return_rows(user: User) -> Iterable[Row]:
    returns = (
        Return.objects.filter(order__in=orders_of(user))
        .select_related("order", "store")
        .order_by("created_at", "pk")
    )
    for item in returns:
        yield {
            "return": item.number,
            "order": item.order.number,
            "status": item.get_status_display(),
            "method": item.get_method_display(),
            "store": _store(item.store),
            "reason": item.get_reason_display(),
            "comment": item.comment,
            "refunded_cents": item.refunded_cents,
            "currency": item.currency,
            "started_at": _when(item.created_at),
        }


def all_addresses_of(user: User) -> list[str]:
    """The e-mail addresses of `user`'s account (allauth's), the sign-in one among them."""
    return list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))


def messages_to(user: User) -> QuerySet[OutboxMessage]:
    """The e-mails sent (or to send) to `user`'s addresses, as the outbox keeps them."""
    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    emails = OutboxMessage.objects.filter(kind=EMAIL_KIND).order_by("created_at", "pk")
    if connection.features.supports_json_field_contains:
        query = Q()
        for address in addresses:
            query |= Q(payload__to__contains=[address])
        return emails.filter(query)
    # The embedded default (SQLite) has no JSON containment: the small demo outbox is read.
    return emails.filter(
        pk__in=[
            message.pk
            for message in emails.only("pk", "payload")
            if set(message.payload.get("to") or []) & addresses
        ]
    )


def _subject(message: OutboxMessage) -> str:
    """The e-mail's subject as it was sent (rendered again from its stored context)."""
    payload = message.payload
    try:
        subject, _text, _html = render_email(
            template=payload["template"],
            context=dict(payload.get("context") or {}),
            language=payload.get("language") or "fr",
        )
    except Exception:  # a template since removed, a context it no longer reads: no subject
        return ""
    return subject


def message_rows(user: User) -> Iterable[Row]:
    for message in messages_to(user):
        context = message.payload.get("context") or {}
        yield {
            "subject": _subject(message),
            "written_at": _when(message.created_at),
            "sent_at": _when(message.sent_at),
            "to": ", ".join(message.payload.get("to") or []),
            "email": message.payload.get("template", ""),
            "order": context.get("order_number") or context.get("number") or "",
        }


def notices_of(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(Q(notifier_user=user) | Q(notifier_email__iexact=user.email))


def notice_rows(user: User) -> Iterable[Row]:
    for notice in notices_of(user).order_by("received_at", "pk"):
        yield {
            "notice": notice.reference,
            "received_at": _when(notice.received_at),
            "name": notice.notifier_name,
            "email": notice.notifier_email,
            "category": notice.get_category_display(),
            "explanation": notice.explanation,
            "urls": " ".join(notice.urls or []),
            "status": notice.get_status_display(),
            "decision": notice.decision_text,
        }


def complaints_of(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(Q(complainant_user=user) | Q(contact_email__iexact=user.email))


def complaint_rows(user: User) -> Iterable[Row]:
    for complaint in complaints_of(user).order_by("submitted_at", "pk"):
        yield {
            "complaint": complaint.reference,
            "submitted_at": _when(complaint.submitted_at),
            "email": complaint.contact_email,
            "text": complaint.text,
            "status": complaint.get_status_display(),
        }


def _withdraw_consents(*, user: User, actor: Any) -> int:
    """Closing her account withdraws every marketing consent she still gives (the ledger keeps
    the record of each, as art. 7(1) requires proof of what was given)."""
    return len(withdraw_all(user=user, channel=ConsentChannel.ACCOUNT_CLOSURE, actor=actor))


register_export_section("compte", _("Your account"), account_rows)
register_export_section("adresses", _("Your addresses"), address_rows)
register_export_section("commandes", _("Your orders and the stores that sold them"), order_rows)
register_export_section("articles", _("The items of your orders"), order_line_rows)
register_export_section("preparations", _("Each store's part of your orders"), fulfilment_rows)
register_export_section("retours", _("Your returns"), return_rows)
register_export_section("consentements", _("Your consents"), consents_of)
register_erasure_step("consents", _withdraw_consents)
register_export_section("messages", _("The e-mails we sent you"), message_rows)
register_export_section("signalements", _("The notices of illegal content you sent"), notice_rows)
register_export_section("reclamations", _("Your complaints about our decisions"), complaint_rows)
