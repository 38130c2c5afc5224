"""Publishing the stores' terms and recording each store's decision (P2B art. 3).

`publish_terms` refuses an effective date under P2B_TERMS_NOTICE_DAYS ahead unless an art. 3(4)
exception is recorded with its reason; it renders the PDF once (the durable medium), and, in
the same transaction, enqueues one e-mail per store bound by the terms with that PDF attached
(outbox: sent after commit, never lost, never doubled). `decide_terms` records a store's
acceptance or termination once, with who and when.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import OutboxMessage, User
from network_marketplace.notifications import render_email
from network_marketplace.outbox import PermanentFailure, enqueue, register_handler
from stores.models import Store, StoreMembership

from ..models import Mediator, TermsDecision, TermsException, TermsVersion
from ..pdf import terms_pdf
from ..selectors.terms import named_mediators, stores_bound_by_terms

TERMS_EMAIL_KIND = "compliance.terms_published"


class TermsNoticeTooShort(DomainError):
    """The effective date is within the notice period and no art. 3(4) exception applies."""

    code = "terms_notice_too_short"


class TermsExceptionWithoutReason(DomainError):
    """An exception to the notice period is recorded only with why it applies."""

    code = "terms_exception_without_reason"


class TermsInvalid(DomainError):
    code = "terms_invalid"


class TermsAlreadyDecided(DomainError):
    """The store has already decided on this version."""

    code = "terms_already_decided"
    http_status = 409


def earliest_effective_date(*, today: date | None = None) -> date:
    """The first effective date a version published today may have without an exception."""
    return (today or timezone.localdate()) + timedelta(days=settings.P2B_TERMS_NOTICE_DAYS)


def check_new_terms(
    *, title: str, body: str, effective_on: date, exception: str, exception_reason: str
) -> None:
    """The rules a new version must meet, without writing anything: a title and a text, an
    effective date not in the past and at least P2B_TERMS_NOTICE_DAYS ahead unless an art. 3(4)
    exception is recorded with its reason."""
    if not title.strip() or not body.strip():
        raise TermsInvalid(_("A version of the terms needs a title and a text."))
    if exception not in TermsException.values:
        raise TermsInvalid(_("Unknown exception to the notice period."))
    if exception and not exception_reason.strip():
        raise TermsExceptionWithoutReason(
            _("Say why the exception to the notice period applies."),
            exception=exception,
            field="exception_reason",
        )
    today = timezone.localdate()
    if effective_on < today:
        raise TermsInvalid(_("A version can't take effect in the past."), field="effective_on")
    earliest = earliest_effective_date(today=today)
    if not exception and effective_on < earliest:
        raise TermsNoticeTooShort(
            _(
                "The terms can take effect on %(earliest)s at the earliest: stores get "
                "%(days)s days' notice (P2B regulation, art. 3), unless an exception of "
                "art. 3(4) applies."
            )
            % {"earliest": earliest.strftime("%d/%m/%Y"), "days": settings.P2B_TERMS_NOTICE_DAYS},
            effective_on=effective_on.isoformat(),
            earliest=earliest.isoformat(),
            field="effective_on",
        )


def publish_terms(
    *,
    title: str,
    body: str,
    effective_on: date,
    actor: Any,
    changes_summary: str = "",
    exception: str = TermsException.NONE,
    exception_reason: str = "",
) -> TermsVersion:
    """Publish the next version; raise TermsNoticeTooShort / TermsExceptionWithoutReason /
    TermsInvalid and change nothing when the rules are not met (see check_new_terms)."""
    check_new_terms(
        title=title,
        body=body,
        effective_on=effective_on,
        exception=exception,
        exception_reason=exception_reason,
    )
    title, body = title.strip(), body.strip()
    exception_reason = exception_reason.strip()
    today = timezone.localdate()
    now = timezone.now()
    try:
        with transaction.atomic():
            number = (TermsVersion.objects.aggregate(last=Max("version"))["last"] or 0) + 1
            pdf = terms_pdf(
                network=settings.NETWORK_NAME,
                operator=settings.NETWORK_OPERATOR.get("company_name", settings.NETWORK_NAME),
                version=number,
                title=title,
                body=body,
                changes_summary=changes_summary,
                effective_on=effective_on,
                published_at=now,
                exception_label=str(TermsException(exception).label) if exception else "",
                exception_reason=exception_reason,
                mediators=[_mediator_line(mediator) for mediator in named_mediators()],
            )
            version = TermsVersion.objects.create(
                version=number,
                title=title,
                body=body,
                changes_summary=changes_summary.strip(),
                effective_on=effective_on,
                exception=exception,
                exception_reason=exception_reason,
                published_at=now,
                published_by=actor if isinstance(actor, User) else None,
                published_by_label=actor_label(actor),
                pdf=pdf,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            )
            record_audit_event(
                actor=actor,
                action="terms.published",
                target=version,
                data={
                    "version": number,
                    "effective_on": effective_on.isoformat(),
                    "exception": exception,
                    "notice_days": (effective_on - today).days,
                    "pdf_sha256": version.pdf_sha256,
                },
            )
            for store in stores_bound_by_terms().order_by("pk"):
                recipients = store_contacts(store)
                if recipients:
                    enqueue(
                        kind=TERMS_EMAIL_KIND,
                        payload={"version": version.pk, "store": store.pk, "to": recipients},
                        dedupe_key=f"{TERMS_EMAIL_KIND}:{version.pk}:{store.pk}",
                    )
    except IntegrityError as exc:
        raise TermsInvalid(
            _("Another version was published at the same moment: reload and try again.")
        ) from exc
    return version


def _mediator_line(mediator: Mediator) -> str:
    return " · ".join(
        filter(None, [mediator.name, mediator.address, mediator.website, mediator.email])
    )


def store_contacts(store: Store) -> list[str]:
    """Who hears from HQ about the contract: the store's contact e-mail and its owners and
    managers, each once."""
    emails = [store.email] if store.email else []
    emails += StoreMembership.objects.filter(
        store=store, role__in=[StoreMembership.Role.OWNER, StoreMembership.Role.MANAGER]
    ).values_list("user__email", flat=True)
    seen: dict[str, None] = {}
    for email in emails:
        if email and "@" in parseaddr(email)[1]:
            seen.setdefault(email.lower(), None)
    return list(seen)


def decide_terms(
    *, store: Store, version: TermsVersion, decision: str, actor: Any
) -> TermsDecision:
    """Record the store's acceptance or termination of `version`, once (TermsAlreadyDecided
    after). A termination ends the contract: HQ sees it in admin and closes the store."""
    if decision not in TermsDecision.Decision.values:
        raise TermsInvalid(_("Choose to accept the terms or to terminate the contract."))
    try:
        with transaction.atomic():
            row = TermsDecision.objects.create(
                store=store,
                version=version,
                decision=decision,
                decided_by=actor if isinstance(actor, User) else None,
                decided_by_label=actor_label(actor),
            )
            record_audit_event(
                actor=actor,
                action=f"terms.{decision}",
                target=row,
                store_id=store.pk,
                data={"version": version.version},
            )
    except IntegrityError as exc:
        raise TermsAlreadyDecided(
            _("The store has already decided on version %(version)s.")
            % {"version": version.version}
        ) from exc
    return row


def deliver_terms_email(message: OutboxMessage) -> None:
    """The outbox handler: the e-mail announcing a version, with its PDF attached."""
    payload = message.payload
    version = TermsVersion.objects.filter(pk=payload["version"]).first()
    store = Store.objects.filter(pk=payload["store"]).first()
    if version is None or store is None:
        raise PermanentFailure("The version or the store is gone.")
    subject, text, html = render_email(
        template="p2b_terms_published",
        context={
            "store_name": store.name,
            "version": version.version,
            "title": version.title,
            "effective_on": version.effective_on.isoformat(),
            "changes_summary": version.changes_summary,
            "exception": version.get_exception_display() if version.exception else "",
            "exception_reason": version.exception_reason,
            "terms_path": f"/store/{store.slug}/terms/",
        },
        language=settings.LANGUAGE_CODE,
    )
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=payload["to"],
        headers={"Message-ID": f"<outbox-{message.pk}@{_domain()}>"},
    )
    if html:
        email.attach_alternative(html, "text/html")
    email.attach(terms_filename(version), bytes(version.pdf), "application/pdf")
    email.send(fail_silently=False)


def terms_filename(version: TermsVersion) -> str:
    return f"conditions-magasins-v{version.version}.pdf"


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


register_handler(TERMS_EMAIL_KIND, deliver_terms_email)
