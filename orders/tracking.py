"""Following an order: the signed link a guest receives, who may follow an order in this browser,
and the order's status in the customer's words. (Each part's status, its fulfilment's, is in
fulfillment.tracking.)"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from network_marketplace.public_urls import public_url

from .models import Order

_SALT = "orders.tracking-link"
TRACKED_SESSION_KEY = "tracked_orders"
MAX_TRACKED = 20


def tracking_token(number: str) -> str:
    """The secret part of an order's tracking link: whoever has the link may follow the order
    (it is sent to the customer's e-mail address only). Derived from the order number and
    SECRET_KEY, so it needs no storage and the e-mail template can build it."""
    return salted_hmac(_SALT, number, algorithm="sha256").hexdigest()[:32]


def check_tracking_token(number: str, token: str) -> bool:
    return constant_time_compare(tracking_token(number), token or "")


def tracking_path(number: str) -> str:
    return reverse("orders:track-link", args=[number, tracking_token(number)])


def tracking_url(number: str) -> str:
    return public_url(tracking_path(number))


def order_status_text(order: Order) -> str:
    texts = {
        Order.Status.PENDING_PAYMENT: _("Awaiting payment"),
        Order.Status.PLACED: _("Placed"),
        Order.Status.IN_PROGRESS: _("In progress"),
        Order.Status.COMPLETED: _("Completed"),
        Order.Status.CANCELLED: _("Cancelled"),
    }
    return texts.get(order.status, order.get_status_display())


def grant_following(request: HttpRequest, number: str) -> None:
    """Let this browser follow `number` (after placing it, a signed link, or number + e-mail)."""
    tracked = [n for n in request.session.get(TRACKED_SESSION_KEY, []) if n != number]
    request.session[TRACKED_SESSION_KEY] = [number, *tracked][:MAX_TRACKED]


def may_follow(request: HttpRequest, order: Order) -> bool:
    """Whether this visitor may follow `order`: its signed-in customer, or a browser that
    placed it, opened its signed link or gave its number and e-mail address."""
    if request.user.is_authenticated and order.customer_id == request.user.pk:
        return True
    return order.number in request.session.get(TRACKED_SESSION_KEY, [])
