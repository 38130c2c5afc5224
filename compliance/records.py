"""The records of processing activities (GDPR art. 30(1)), as data, in this one module.

Each activity says its purpose, legal basis, categories of people and data, recipients,
transfers outside the EU, retention and security; the retention periods are read from the
settings the retention engine applies (GDPR_RETENTION_DAYS and the other *_DAYS settings), and
the processors from the services this installation is configured with, so the page HQ prints
is the system as it runs. Change an activity here; docs/consents.md says when.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Retention:
    """A retention period: the setting that holds it (a key of GDPR_RETENTION_DAYS, or a
    setting's name), the legal default in days, and what the clock counts from."""

    what: Promise | str
    key: str
    default_days: int
    start: Promise | str

    def days(self) -> int:
        table = getattr(settings, "GDPR_RETENTION_DAYS", None) or {}
        if self.key in table:
            return int(table[self.key])
        return int(getattr(settings, self.key, self.default_days))

    def text(self) -> str:
        days = self.days()
        if days % 365 in (0, 1, 2, 3) and days >= 365:
            years = days // 365
            period = ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
        else:
            period = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        return _("%(what)s: %(period)s %(start)s") % {
            "what": self.what,
            "period": period,
            "start": self.start,
        }


NO_TRANSFER = _("None outside the European Union.")
SECURITY = _(
    "Access by role (HQ, store members, customers), second factor for HQ and stores, "
    "HTTPS, passwords hashed, audit trail of changes, daily backups."
)


@dataclass(frozen=True)
class Activity:
    name: Promise | str
    purpose: Promise | str
    legal_basis: Promise | str
    people: Promise | str
    data: Promise | str
    recipients: Promise | str
    retention: tuple[Retention, ...]
    transfers: Promise | str = NO_TRANSFER
    security: Promise | str = SECURITY


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        name=_("Customer accounts"),
        purpose=_("Let customers sign in, keep their addresses, favourite store and orders."),
        legal_basis=_("Contract (art. 6(1)(b))"),
        people=_("Customers with an account"),
        data=_("Identity, e-mail, phone, postal addresses, favourite store, sign-in sessions."),
        recipients=_("HQ's customer service; the store serving an order sees its customer."),
        retention=(
            Retention(
                _("Inactive accounts"),
                "inactive_accounts",
                3 * 365,
                _("after the last sign-in, with a warning e-mail before"),
            ),
            Retention(
                _("Audit trail of changes to personal data"),
                "personal_data_audit",
                365,
                _("after the change"),
            ),
        ),
    ),
    Activity(
        name=_("Orders, payments, invoices and returns"),
        purpose=_(
            "Sell and serve orders through the stores, take payments, invoice, handle returns "
            "and withdrawals."
        ),
        legal_basis=_("Contract (art. 6(1)(b)); legal obligation for invoices (art. 6(1)(c))"),
        people=_("Customers, including guests"),
        data=_(
            "Identity, contact details, delivery address, items bought, amounts, payment "
            "status (no card number), pickup codes, returns."
        ),
        recipients=_(
            "The selling store and the store that collects or ships; HQ (commission, "
            "accounting); the payment provider."
        ),
        retention=(
            Retention(
                _("Orders and invoices"),
                "retained_legal_data",
                10 * 365 + 3,
                _("after the sale (Code de commerce L123-22, Code de la consommation L213-1)"),
            ),
            Retention(_("Abandoned carts"), "abandoned_carts", 30, _("after their last change")),
            Retention(
                _("Pickup code digests"),
                "pickup_code_digests",
                30,
                _("after the order part is closed"),
            ),
        ),
    ),
    Activity(
        name=_("Marketing e-mails"),
        purpose=_("Send the network's and the stores' offers to those who agreed."),
        legal_basis=_(
            "Consent (art. 6(1)(a)); the store's soft opt-in for its own customers (art. L34-5 "
            "CPCE)"
        ),
        people=_("Customers and guests who agreed"),
        data=_("E-mail, the consent ledger (purpose, store, notice version, time, channel)."),
        recipients=_("HQ's marketing; each store for its own customers who agreed."),
        retention=(
            Retention(
                _("Consent records"),
                "retained_legal_data",
                10 * 365 + 3,
                _("after they were recorded (proof of consent)"),
            ),
        ),
    ),
    Activity(
        name=_("Cookies and maps"),
        purpose=_("Remember the visitor's cookie choice; show the store maps when allowed."),
        legal_basis=_("Consent for the maps (art. 82 Loi Informatique et Libertés)"),
        people=_("Visitors of the storefront"),
        data=_("Random visitor id, choice and its date; the IP address seen by the map tiles."),
        recipients=_("The map tile server, only after the visitor allows maps."),
        retention=(
            Retention(
                _("The choice's cookie"),
                "COOKIE_CONSENT_MAX_AGE_DAYS",
                182,
                _("after the choice, then the banner asks again"),
            ),
        ),
    ),
    Activity(
        name=_("E-mails and notifications"),
        purpose=_("Tell customers and stores about their orders, returns and cases."),
        legal_basis=_("Contract (art. 6(1)(b))"),
        people=_("Customers, store staff"),
        data=_("E-mail address, message content."),
        recipients=_("The e-mail service provider."),
        retention=(
            Retention(_("Sent e-mails"), "notifications", 365, _("after sending")),
            Retention(
                _("Webhook payloads"), "webhook_payloads", 90, _("after delivery or giving up")
            ),
        ),
    ),
    Activity(
        name=_("Store staff and traders"),
        purpose=_(
            "Run the stores' back-office; check the traders' identity (DSA art. 30); "
            "P2B terms and complaints."
        ),
        legal_basis=_("Contract (art. 6(1)(b)); legal obligation (art. 6(1)(c))"),
        people=_("Store owners, managers and staff; franchisees' legal representatives"),
        data=_("Identity, e-mail, role, trader identity documents, audit trail."),
        recipients=_("HQ; the store's own members."),
        retention=(
            Retention(
                _("Trader data"),
                "TRADER_DATA_RETENTION_DAYS",
                183,
                _("after the store leaves the network"),
            ),
        ),
    ),
    Activity(
        name=_("Illegal content notices and complaints (DSA)"),
        purpose=_("Receive notices, decide, explain, handle complaints and report."),
        legal_basis=_("Legal obligation (art. 6(1)(c), Regulation 2022/2065)"),
        people=_("Notifiers, customers and stores concerned"),
        data=_("Identity and e-mail of the notifier, the notice, decisions and reasons."),
        recipients=_(
            "HQ's compliance team; the store concerned; the Commission's transparency "
            "database (no personal data)."
        ),
        retention=(
            Retention(
                _("Notices, decisions and complaints"),
                "DSA_CASE_RETENTION_DAYS",
                5 * 365 + 1,
                _("after the decision"),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class Processor:
    name: str
    role: Promise | str
    location: Promise | str


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def processors() -> list[Processor]:
    """The processors and third parties this installation sends personal data to, from its
    settings: the payment provider, the e-mail service, file storage, the database host and
    the map tiles' server."""
    found = []
    if getattr(settings, "PAYMENT_PROVIDER", "") == "stripe" or settings.STRIPE_SECRET_KEY:
        found.append(
            Processor(
                "Stripe Payments Europe Ltd",
                _("Card payments, the stores' connected accounts and payouts"),
                _("Ireland; transfers to Stripe, Inc. (United States) under the EU-US DPF"),
            )
        )
    else:
        found.append(
            Processor(
                str(_("Test payment provider (built in)")),
                _("No real payment: nothing leaves the platform"),
                _("This server"),
            )
        )
    backend = settings.EMAIL_BACKEND.rsplit(".", 1)[0]
    if "smtp" in backend:
        found.append(Processor(settings.EMAIL_HOST, _("Sending e-mails"), _("As contracted")))
    else:
        found.append(
            Processor(
                str(_("No e-mail service")),
                _("E-mails are kept on this server (demo mailbox or console)"),
                _("This server"),
            )
        )
    storage = settings.STORAGES["default"]["BACKEND"]
    if storage.endswith("FileSystemStorage"):
        found.append(
            Processor(
                str(_("This server's disk")), _("Uploaded files and generated PDFs"), _("Host")
            )
        )
    else:
        options: dict[str, Any] = settings.STORAGES["default"].get("OPTIONS", {})
        found.append(
            Processor(
                options.get("endpoint_url") or options.get("bucket_name") or storage,
                _("Object storage of uploaded files and generated PDFs"),
                _("As contracted"),
            )
        )
    database = settings.DATABASES["default"]
    if database.get("HOST"):
        found.append(Processor(database["HOST"], _("Database hosting"), _("As contracted")))
    found.append(
        Processor(
            _host(settings.MAP_TILE_URL),
            _("Map tiles: receives the visitor's IP address, only once she allows maps"),
            _("See the tile provider's policy"),
        )
    )
    return found


def records_context() -> dict[str, Any]:
    """What the art. 30 page shows: the controller, the activities, the processors."""
    operator = settings.NETWORK_OPERATOR
    return {
        "controller": {
            "name": operator.get("company_name", settings.NETWORK_NAME),
            "address": operator.get("address", ""),
            "email": operator.get("email", ""),
            "dpo": settings.DPO_CONTACT,
        },
        "activities": ACTIVITIES,
        "processors": processors(),
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "cookie_notice_version": settings.COOKIE_NOTICE_VERSION,
    }
