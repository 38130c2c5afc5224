"""Closing a customer's account (GDPR art. 17, with the exceptions of art. 17(3)(b)).

`close_account` erases or anonymises at once, in one transaction under the user's row lock:
the user row (an unusable unique e-mail address, no name, no password, inactive), her e-mail
addresses, second factor, signed-in sessions, profile (phone, favourite store), address book,
cart, data exports, the e-mails sent to her, her name on the notices and complaints she sent,
her address in the activity records, and whatever other parts registered (the consents).

What a legal obligation keeps is kept apart: for each of her orders, her name and contact
details as they were go to a `RetainedPersonalData` row (purpose, legal basis, the day it is
deleted) and are cleared from the order, which stays for the store and HQ, shown with
"Deleted customer". The retention engine deletes the kept rows when their clock ends.

An account with an order or a return still open is not closed: the store still needs to reach
her (pickup code, refund); she is told which ones and closes it once they are done.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Address, CustomerProfile
from fulfillment.models import Return
from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import AuditEvent, OutboxMessage, User
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import lifecycles
from orders.models import Cart, Order
from orders.services import clear_customer_details

from ...models import PersonalDataExport, RetainedPersonalData
from .export import drop_exports_of
from .sections import (
    complaints_of,
    erasure_steps,
    messages_to,
    notices_of,
    orders_of,
)

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never a real mailbox
OPEN_ORDER = [Order.Status.PENDING_PAYMENT, Order.Status.PLACED, Order.Status.IN_PROGRESS]
OPEN_RETURN = [Return.Status.REQUESTED, Return.Status.RECEIVED, Return.Status.INSPECTED]
# Consumer contracts from this amount are kept 10 years (Code de la consommation L213-1, D213-1).
CONSUMER_CONTRACT_THRESHOLD_CENTS = 12_000
ACCOUNTING_BASIS = "Code de commerce, art. L123-22 (pièces comptables, 10 ans)"
CONSUMER_BASIS = "Code de la consommation, art. L213-1 et D213-1 (contrat ≥ 120 €, 10 ans)"


class AccountHasOpenOrders(DomainError):
    """An order or a return of the customer is still open: the account stays until it ends."""

    code = "account_has_open_orders"
    http_status = 409


@dataclass
class ClosureReport:
    user_id: int
    already_closed: bool = False
    erased: dict[str, int] = field(default_factory=dict)
    kept: int = 0  # orders whose personal data is kept apart by law


def is_erased(user: User) -> bool:
    return user.email.endswith(f"@{ERASED_DOMAIN}")


def open_order_numbers(user: User) -> list[str]:
    """The orders of `user` that are not done (or have a return not done), by number."""
    orders = orders_of(user)
    numbers = set(orders.filter(status__in=OPEN_ORDER).values_list("number", flat=True))
    numbers |= set(
        Return.objects.filter(order__in=orders, status__in=OPEN_RETURN).values_list(
            "order__number", flat=True
        )
    )
    return sorted(number for number in numbers if number)


def _retain_orders(user: User, *, email: str, now: datetime) -> int:
    days = settings.GDPR_RETENTION_DAYS["retained_legal_data"]
    orders = list(orders_of(user))
    RetainedPersonalData.objects.bulk_create(
        [
            RetainedPersonalData(
                order=order,
                purpose=(
                    RetainedPersonalData.Purpose.CONSUMER_CONTRACT
                    if order.total_cents >= CONSUMER_CONTRACT_THRESHOLD_CENTS
                    else RetainedPersonalData.Purpose.ACCOUNTING
                ),
                legal_basis=(
                    CONSUMER_BASIS
                    if order.total_cents >= CONSUMER_CONTRACT_THRESHOLD_CENTS
                    else ACCOUNTING_BASIS
                ),
                data={
                    "first_name": order.first_name,
                    "last_name": order.last_name,
                    "email": order.email,
                    "phone": order.phone,
                    "address": order.address_line,
                    "postal_code": order.postal_code,
                    "city": order.city,
                    "country": order.country,
                },
                delete_after=(order.placed_at or order.created_at) + timedelta(days=days),
            )
            for order in orders
        ],
        ignore_conflicts=True,
    )
    return clear_customer_details(
        orders=Order.objects.filter(pk__in=[order.pk for order in orders]), email=email, at=now
    )


def _end_sessions(user: User) -> int:
    """Every signed-in session of `user` ended (the password change alone would also refuse
    them at their next request: Django checks the session's password hash)."""
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


def close_account(*, user: User, actor: Any, now: datetime | None = None) -> ClosureReport:
    """Close `user`'s account now (see the module's docstring); AccountHasOpenOrders while an
    order or a return is open. Closing a closed account does nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        report = ClosureReport(user_id=user.pk)
        if is_erased(user):
            report.already_closed = True
            return report
        open_numbers = open_order_numbers(user)
        if open_numbers:
            raise AccountHasOpenOrders(
                _(
                    "Your account can't be closed while an order or a return is open: "
                    "%(orders)s. Close it once they are done."
                )
                % {"orders": ", ".join(open_numbers)},
                orders=open_numbers,
            )
        old_email, first_name = user.email, user.first_name
        language = getattr(user, "language", None) or settings.LANGUAGE_CODE
        addresses = {
            old_email,
            *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
        }
        erased_email = f"deleted-{user.pk}-{secrets.token_hex(6)}@{ERASED_DOMAIN}"
        erased = report.erased

        report.kept = _retain_orders(user, email=erased_email, now=now)
        erased["notices"] = notices_of(user).update(
            notifier_name="", notifier_email=erased_email, notifier_user=None
        )
        erased["complaints"] = complaints_of(user).update(
            contact_email=erased_email, complainant_user=None
        )
        # E-mails already sent (the outbox keeps their address and content).
        erased["emails"] = (
            messages_to(user).exclude(status=OutboxMessage.Status.PENDING).delete()[0]
        )
        # Her address as the name of who acted, in activity records and lifecycle events.
        erased["activity"] = AuditEvent.objects.filter(actor_user=user).update(
            actor_label=erased_email
        )
        for lifecycle in lifecycles():
            if lifecycle.event_model is not None:
                erased["activity"] += lifecycle.event_model._default_manager.filter(
                    actor_label__in=addresses
                ).update(actor_label=erased_email)
        Return.objects.filter(created_by=user).update(created_by_label=erased_email)
        erased["exports"] = drop_exports_of(user=user, actor=actor)
        PersonalDataExport.objects.filter(user=user).update(requested_by_label=erased_email)
        erased["addresses"] = Address.objects.filter(user=user).delete()[0]
        erased["profile"] = CustomerProfile.objects.filter(user=user).delete()[0]
        erased["cart"] = Cart.objects.filter(customer=user).delete()[0]
        erased["second_factor"] = Authenticator.objects.filter(user=user).delete()[0]
        erased["email_addresses"] = EmailAddress.objects.filter(user=user).delete()[0]
        erased["sessions"] = _end_sessions(user)
        for key, step in erasure_steps().items():
            erased[key] = step(user=user, actor=actor)

        user.email = erased_email
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
        record_audit_event(
            actor=user if actor == user else actor,
            action="account.closed",
            target=user,
            data={"kept_orders": report.kept, **erased},
        )
        # The confirmation, to the address she had (kept only as long as sent e-mails are).
        send_templated_email(
            to=old_email,
            template="account_closed",
            language=language,
            context={"first_name": first_name, "kept_orders": report.kept},
            dedupe_key=f"account-closed:{user.pk}",
        )
    return report
