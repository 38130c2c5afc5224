"""Notices of illegal content (DSA art. 16): receive one (checked, snapshotted, acknowledged at
once), put it in review, decide it (a measure through apply_measure, or no action) and tell the
notifier the decision and their redress, with a signed link to contest it (art. 20)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import transition
from stores.models import StockLevel, Store

from ..models import (
    KIND_TARGET,
    IllegalityCategory,
    MeasureSource,
    Notice,
    TargetKind,
    TrustedFlagger,
)
from ..states import NOTICE_LIFECYCLE
from .measures import InvalidMeasure, apply_measure, case_key, complaint_token, redress_text
from .misuse import notices_suspended_for

MAX_URLS = 10


class InvalidNotice(DomainError):
    """The notice is not complete or not about this site: `fields` maps each field to its
    message (the form shows them; nothing is written)."""

    code = "invalid_notice"
    http_status = 400

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(" ".join(fields.values()), fields=fields)
        self.fields = fields


class NoticeAlreadyDecided(DomainError):
    code = "notice_already_decided"
    http_status = 409


def site_hosts() -> set[str]:
    """The host names this site answers to: a notice's URLs must be on one of them."""
    hosts = {urlsplit(settings.SITE_URL).hostname or ""}
    hosts |= {host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in {"*", ""}}
    return {host.strip("[]").lower() for host in hosts if host}


def _target_from_url(url: str) -> tuple[str, int] | None:
    """The product or store a URL of this site shows, if any."""
    try:
        match = resolve(urlsplit(url).path or "/")
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    if match.view_name == "catalogue:product" and slug:
        product = Product.objects.filter(slug=slug).only("pk").first()
        return (TargetKind.PRODUCT, product.pk) if product else None
    if match.view_name == "stores:detail" and slug:
        store = Store.objects.filter(slug=slug).only("pk").first()
        return (TargetKind.STORE, store.pk) if store else None
    return None


def resolve_target(kind: str, target_id: int | None) -> Any:
    """The row a notice or a measure is about (None when it no longer exists)."""
    if target_id is None:
        return None
    if kind == TargetKind.OFFER:
        return (
            StockLevel.objects.select_related("store", "variant__product")
            .filter(pk=target_id)
            .first()
        )
    if kind == TargetKind.PRODUCT:
        return Product.objects.filter(pk=target_id).first()
    if kind == TargetKind.STORE:
        return Store.objects.filter(pk=target_id).first()
    if kind == TargetKind.ACCOUNT:
        return User.objects.filter(pk=target_id).first()
    return None


def snapshot_of(target: Any) -> dict:
    """The reported content as it is now: what HQ decides on, whatever changes later."""
    if isinstance(target, StockLevel):
        product = target.variant.product
        return {
            "kind": TargetKind.OFFER,
            "store": {"id": target.store_id, "name": target.store.name, "slug": target.store.slug},
            "product": {"id": product.pk, "name": product.name, "slug": product.slug},
            "variant": {"sku": target.variant.sku, "options": target.variant.options},
            "description": product.description,
            "price_cents": target.effective_price_cents,
            "available": target.available,
        }
    if isinstance(target, Product):
        return {
            "kind": TargetKind.PRODUCT,
            "product": {"id": target.pk, "name": target.name, "slug": target.slug},
            "brand": target.brand,
            "description": target.description,
            "attributes": target.attributes,
            "status": target.status,
        }
    if isinstance(target, Store):
        return {
            "kind": TargetKind.STORE,
            "store": {"id": target.pk, "name": target.name, "slug": target.slug},
            "company_name": target.company_name,
            "address": f"{target.address_line}, {target.postal_code} {target.city}",
            "status": target.status,
        }
    return {}


def _store_of(target: Any) -> Store | None:
    if isinstance(target, StockLevel):
        return target.store
    if isinstance(target, Store):
        return target
    return None


def _check(
    *,
    category: str,
    explanation: str,
    urls: list[str],
    notifier_email: str,
    good_faith: bool,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if category not in IllegalityCategory.values:
        errors["category"] = _("Choose what kind of illegal content this is.")
    if not explanation.strip():
        errors["explanation"] = _("Explain why you believe this content is illegal.")
    hosts = site_hosts()
    if not urls:
        errors["urls"] = _("Give the exact address (URL) of the content.")
    elif len(urls) > MAX_URLS:
        errors["urls"] = _("At most %(count)s addresses in one notice.") % {"count": MAX_URLS}
    else:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in {"http", "https"} or (parts.hostname or "").lower() not in hosts:
                errors["urls"] = _(
                    "“%(url)s” is not a page of this site: give the address of the content here."
                ) % {"url": url[:200]}
                break
    if notifier_email.strip():
        try:
            validate_email(notifier_email.strip())
        except ValidationError:
            errors["notifier_email"] = _("Enter a valid e-mail address.")
    elif category != IllegalityCategory.CHILD_SEXUAL_ABUSE:
        errors["notifier_email"] = _(
            "Give your e-mail address so we can acknowledge your notice and tell you our decision."
        )
    if not good_faith:
        errors["good_faith"] = _("Confirm that your notice is accurate and complete.")
    suspended = notices_suspended_for(notifier_email) if notifier_email.strip() else None
    if suspended is not None:  # art. 23(2), compliance.services.misuse (part C2)
        errors["notifier_email"] = _(
            "Notices from this address are not handled until %(date)s (misuse of the service)."
        ) % {"date": f"{suspended.ends_at:%d/%m/%Y}"}
    return errors


def submit_notice(
    *,
    category: str,
    explanation: str,
    urls: list[str],
    notifier_name: str = "",
    notifier_email: str = "",
    good_faith: bool,
    target_kind: str = "",
    target_id: int | None = None,
    user: User | None = None,
    now: datetime | None = None,
) -> Notice:
    """Record a notice: checked (InvalidNotice, nothing written), its target's snapshot taken,
    a trusted flagger recognised by e-mail, the receipt e-mailed at once (outbox)."""
    now = now or timezone.now()
    urls = [url.strip() for url in urls if url.strip()]
    errors = _check(
        category=category,
        explanation=explanation,
        urls=urls,
        notifier_email=notifier_email,
        good_faith=good_faith,
    )
    if errors:
        raise InvalidNotice(errors)
    target = resolve_target(target_kind, target_id) if target_kind else None
    if target is None:
        found = next(filter(None, (_target_from_url(url) for url in urls)), None)
        if found is not None:
            target_kind, target_id = found
            target = resolve_target(target_kind, target_id)
    if target is None:
        target_kind, target_id = TargetKind.PRODUCT, None
    flagger = (
        TrustedFlagger.objects.filter(email__iexact=notifier_email.strip(), is_active=True).first()
        if notifier_email.strip()
        else None
    )
    with transaction.atomic():
        notice = Notice.objects.create(
            reference=f"N-{secrets.token_hex(4).upper()}",
            received_at=now,
            deadline_at=now + timedelta(days=settings.DSA_NOTICE_DECISION_DAYS),
            notifier_name=notifier_name.strip()[:200],
            notifier_email=notifier_email.strip(),
            notifier_user=user if user is not None and user.is_authenticated else None,
            trusted_flagger=flagger,
            category=category,
            explanation=explanation.strip(),
            urls=urls,
            target_kind=target_kind,
            target_id=target.pk if target is not None else None,
            store=_store_of(target),
            good_faith=good_faith,
            snapshot=snapshot_of(target) if target is not None else {},
        )
        record_audit_event(
            actor=user if user is not None and user.is_authenticated else "notifier",
            action="notice.received",
            target=notice,
            store_id=notice.store_id,
            data={
                "case": case_key(notice_id=notice.pk),
                "reference": notice.reference,
                "category": category,
                "trusted_flagger": flagger is not None,
            },
        )
        if notice.notifier_email:
            send_templated_email(
                to=notice.notifier_email,
                template="compliance/notice_received",
                context={
                    "reference": notice.reference,
                    "name": notice.notifier_name,
                    "received_at": notice.received_at.isoformat(),
                    "category": str(IllegalityCategory(category).label),
                    "urls": urls,
                },
                dedupe_key=f"notice-received:{notice.pk}",
            )
    return notice


def start_review(*, notice: Notice, actor: Any) -> Notice:
    """HQ takes the notice up (received -> in review). Idempotent."""
    return transition(
        NOTICE_LIFECYCLE,
        notice,
        Notice.Status.IN_REVIEW,
        actor=actor,
        audit_data={"case": case_key(notice_id=notice.pk)},
    ).row


def measure_target(notice: Notice, kind: str) -> Any:
    """What a measure of `kind` taken on this notice applies to: the reported offer, its
    product or its store (InvalidMeasure when the notice's content can't take that measure)."""
    target = resolve_target(notice.target_kind, notice.target_id)
    wanted = KIND_TARGET.get(kind, TargetKind.STORE)
    if isinstance(target, StockLevel) and wanted == TargetKind.PRODUCT:
        return target.variant.product
    if isinstance(target, StockLevel) and wanted == TargetKind.STORE:
        return target.store
    if target is None or notice.target_kind != wanted:
        raise InvalidMeasure(
            _("This notice's content can't take the measure “%(kind)s”.") % {"kind": kind},
            field="kind",
        )
    return target


def decide_notice(
    *,
    notice: Notice,
    actor: User,
    decision_text: str,
    measure_kind: str = "",
    facts: str = "",
    legal_ground: str = "",
    terms_clause: str = "",
    ends_at: datetime | None = None,
    territorial_scope: list[str] | None = None,
    now: datetime | None = None,
) -> Notice:
    """Decide an open notice: with `measure_kind`, apply that measure (its statement written,
    the store told) and close the notice as "action taken"; without, close it as "no action".
    Either way the notifier is told the decision and the redress. One transaction; a measure
    that can't be applied (InvalidMeasure) leaves the notice open and changes nothing."""
    now = now or timezone.now()
    if not decision_text.strip():
        raise InvalidMeasure(_("Write the decision the notifier will read."), field="decision_text")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not notice.is_open:
            # Two people deciding at once: the second one finds it decided, and adds nothing.
            raise NoticeAlreadyDecided(
                _("Notice %(reference)s was already decided (%(status)s).")
                % {"reference": notice.reference, "status": notice.get_status_display()}
            )
        measure = None
        if measure_kind:
            source = (
                MeasureSource.TRUSTED_FLAGGER if notice.trusted_flagger_id else MeasureSource.NOTICE
            )
            measure = apply_measure(
                kind=measure_kind,
                target=measure_target(notice, measure_kind),
                source=source,
                facts=facts or notice.explanation,
                legal_ground=legal_ground,
                terms_clause=terms_clause,
                category=notice.category,
                territorial_scope=territorial_scope,
                ends_at=ends_at,
                notice=notice,
                actor=actor,
                now=now,
            )
        status = Notice.Status.ACTION_TAKEN if measure else Notice.Status.NO_ACTION
        notice = transition(
            NOTICE_LIFECYCLE,
            notice,
            status,
            actor=actor,
            reason=decision_text[:300],
            changes={"decided_at": now, "decided_by": actor, "decision_text": decision_text},
            audit_data={"case": case_key(notice_id=notice.pk)},
            locked=True,
        ).row
        if notice.notifier_email:
            token = complaint_token(notice=notice, measure=measure, who="notifier")
            send_templated_email(
                to=notice.notifier_email,
                template="compliance/notice_decided",
                context={
                    "reference": notice.reference,
                    "name": notice.notifier_name,
                    "action_taken": measure is not None,
                    "decision": decision_text,
                    "redress": redress_text(),
                    "complaint_path": reverse("legal:complaint", args=[token]),
                },
                dedupe_key=f"notice-decided:{notice.pk}:{now.isoformat()}",
            )
    return notice
