"""The stores' terms (P2B art. 3): each published version, kept with its PDF as the durable
medium, each store's decision on it, and HQ's termination of a store with its notice (art. 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_marketplace.models import StatusEvent
from stores.models import Store


class TermsException(models.TextChoices):
    """Art. 3(4): the two cases where a change may take effect within the notice period."""

    NONE = "", _("None: the notice period applies")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal or regulatory obligation (art. 3(4)(a))")
    DANGER = (
        "danger",
        _("Unforeseen, imminent danger: fraud, malware, spam, security breach (art. 3(4)(b))"),
    )


class TermsVersion(models.Model):
    """One published version of the stores' terms. Never edited once published: a change is a
    new version. `pdf` is the document every store was sent (the durable medium); its SHA-256
    lets anyone check the copy they kept."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    changes_summary = models.TextField(_("what changes"), blank=True)
    effective_on = models.DateField(_("effective on"))
    exception = models.CharField(
        _("exception to the notice period"),
        max_length=20,
        choices=TermsException.choices,
        default=TermsException.NONE,
        blank=True,
    )
    exception_reason = models.TextField(_("why the exception applies"), blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_by_label = models.CharField(_("published by"), max_length=200)
    pdf = models.BinaryField(_("PDF"), editable=False)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("version of the stores' terms")
        verbose_name_plural = _("versions of the stores' terms")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exception="") | ~Q(exception_reason=""),
                name="terms_exception_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Terms v%(version)s: %(title)s") % {"version": self.version, "title": self.title}


class TermsDecision(models.Model):
    """A store's answer to a version: it accepts, or it terminates (art. 3(2)). One per store
    and version, with who and when."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("terms decision", "Accepted")
        TERMINATED = "terminated", _("Terminated the contract")

    version = models.ForeignKey(
        TermsVersion, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("version")
    )
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="terms_decisions",
        verbose_name=_("store"),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    decided_by_label = models.CharField(_("by"), max_length=200)
    decided_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("store's decision on the terms")
        verbose_name_plural = _("stores' decisions on the terms")
        constraints = [
            models.UniqueConstraint(fields=["version", "store"], name="one_terms_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.store} · v{self.version.version} · {self.get_decision_display()}"


class Art44Ground(models.TextChoices):
    """Art. 4(4): when HQ may end a store's contract without the notice period."""

    NONE = "", _("None: the notice period applies")
    LEGAL_OBLIGATION = (
        "legal_obligation",
        _("Legal or regulatory obligation to terminate at once (art. 4(4)(a))"),
    )
    IMPERATIVE_REASON = (
        "imperative_reason",
        _("Right of termination for an imperative reason under national law (art. 4(4)(b))"),
    )
    REPEATED_BREACH = "repeated_breach", _("Repeated breach of the terms (art. 4(4)(c))")


class StoreTermination(models.Model):
    """HQ ends a store's contract (P2B art. 4): notice given now, effect on `effective_on`
    (at least the notice period later unless an art. 4(4) ground is recorded). The statement
    of reasons is written when notice is given; a beat job closes the store on the day."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Notice given")
        EFFECTIVE = "effective", _("Terminated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="terminations",
        verbose_name=_("store"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    reasons = models.TextField(_("reasons"))
    terms_clause = models.CharField(_("clause of the terms"), max_length=200, blank=True)
    ground = models.CharField(
        _("art. 4(4) ground"), max_length=20, choices=Art44Ground.choices, blank=True, default=""
    )
    notice_given_at = models.DateTimeField(_("notice given at"), auto_now_add=True)
    effective_on = models.DateField(_("takes effect on"))
    decided_by_label = models.CharField(_("decided by"), max_length=200)
    # The measure whose statement of reasons gave the notice (a warning: nothing restricted
    # yet), none when an art. 4(4) ground ends the contract at once; and the measure that
    # closed the store when it took effect (store_terminated), each with its statement.
    measure = models.ForeignKey(
        "compliance.Measure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("notice's statement of reasons"),
    )
    closing_measure = models.ForeignKey(
        "compliance.Measure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("termination's statement of reasons"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("termination of a store")
        verbose_name_plural = _("terminations of stores")
        ordering = ["-notice_given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["store"],
                condition=Q(status="scheduled"),
                name="one_scheduled_termination_per_store",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.effective_on}"


class StoreTerminationEvent(StatusEvent):
    termination = models.ForeignKey(
        StoreTermination,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("termination"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")


class TermsStanding(Store):
    """A store as HQ's terms desk sees it: where it stands with each version of the terms
    (admin list with a filter "has not accepted version N")."""

    class Meta:
        proxy = True
        verbose_name = _("store's standing on the terms")
        verbose_name_plural = _("stores' standing on the terms")
