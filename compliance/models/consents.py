"""The consent ledger (GDPR art. 7(1): the controller must be able to show the consent).

Append-only: each consent given and each withdrawal is a new row, never an edit, and the
current state of a subject for a purpose (and a store) is its last row
(compliance.selectors.consents). A subject is a customer's account, or the e-mail address a
guest gave at checkout, or, for cookies, the visitor id of a first-party cookie set when the
visitor chose.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    """What a consent is for. Essential cookies are no choice and have no purpose here."""

    NETWORK_MARKETING = "network_marketing", _("E-mail offers from the network")
    STORE_MARKETING = "store_marketing", _("E-mail offers from a store")
    COOKIES_MAPS = "cookies_maps", _("Cookies and third-party content: maps")


# The purposes that concern one selling store (the row names it); the others are network-wide.
PER_STORE_PURPOSES = frozenset({ConsentPurpose.STORE_MARKETING})
COOKIE_PURPOSES = frozenset({ConsentPurpose.COOKIES_MAPS})


class ConsentChannel(models.TextChoices):
    COOKIE_BANNER = "cookie_banner", _("Cookie banner")
    MAP_PLACEHOLDER = "map_placeholder", _("Map placeholder")
    WEB_FORM = "web_form", _("Web form")
    CHECKOUT = "checkout", _("Checkout")
    ACCOUNT_PAGE = "account_page", _("Account page")
    API = "api", _("API")
    STORE_DESK = "store_desk", _("Store desk")
    ACCOUNT_CLOSURE = "account_closure", _("Account closure")


class ConsentBasis(models.TextChoices):
    """Why sending is allowed: a consent asked for (opt-in), or the soft opt-in of art. L34-5
    of the French Post and Electronic Communications Code (a customer of the store, told at the
    sale she could object, for similar products of that store only)."""

    CONSENT = "consent", _("Consent (opt-in)")
    SOFT_OPT_IN = "soft_opt_in", _("Soft opt-in (customer of the store, art. L34-5 CPCE)")


class ConsentRecord(models.Model):
    """One consent or withdrawal, as it was given. Never updated, never deleted by the app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consent_records",
        verbose_name=_("customer account"),
    )
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("A guest's address, when no account chose.")
    )
    visitor_id = models.CharField(
        _("visitor id"),
        max_length=32,
        blank=True,
        help_text=_("The id of the visitor's consent cookie (cookie choices)."),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("store"),
    )
    granted = models.BooleanField(_("granted"))
    basis = models.CharField(
        _("legal basis"), max_length=20, choices=ConsentBasis.choices, default=ConsentBasis.CONSENT
    )
    notice_version = models.CharField(_("notice version"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=ConsentChannel.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.CharField(_("recorded by"), max_length=200)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent ledger")
        indexes = [
            # The current consent of an account / an address / a visitor: its last row.
            models.Index(
                fields=["user", "purpose", "store", "-recorded_at"], name="consent_user_idx"
            ),
            models.Index(
                fields=["email", "purpose", "store", "-recorded_at"], name="consent_email_idx"
            ),
            models.Index(
                fields=["visitor_id", "purpose", "-recorded_at"], name="consent_visitor_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="store_marketing", store__isnull=False)
                | (~Q(purpose="store_marketing") & Q(store__isnull=True)),
                name="consent_store_iff_per_store_purpose",
            ),
            models.CheckConstraint(
                condition=Q(basis="consent") | Q(purpose="store_marketing"),
                name="consent_soft_opt_in_only_for_a_store",
            ),
        ]

    def __str__(self) -> str:
        state = _("granted") if self.granted else _("withdrawn")
        return f"{self.get_purpose_display()} · {state} · {self.recorded_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("The consent ledger is append-only: record a new row instead.")
        super().save(*args, **kwargs)
