"""The demo's legal set-up, read from demo/data/compliance.yaml: the out-of-court body, a trusted
flagger and the stores' mediator upserted by name or e-mail, and, on a first load only, the first
version of the stores' terms published through the real service (with its legal notice ahead of
its date), accepted by every store but a few, so that the back-office shows the banner; the demo
customer's data export and a first retention run (GDPR)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from compliance.models import (
    Breach,
    Mediator,
    OutOfCourtBody,
    PersonalDataExport,
    RetentionRun,
    TermsDecision,
    TermsVersion,
    TrustedFlagger,
)
from compliance.services.breaches import save_breach
from compliance.services.gdpr import (
    apply_retention,
    build_personal_data_export,
    request_personal_data_export,
)
from compliance.services.terms import decide_terms, publish_terms
from stores.models import Store, StoreMembership

from .files import read_yaml


def load_compliance(*, hq: Any) -> int:
    """Load the legal set-up; returns the number of stores that accepted the terms now."""
    data = read_yaml("compliance.yaml")
    for body in data["out_of_court_bodies"]:
        OutOfCourtBody.objects.update_or_create(name=body["name"], defaults=body)
    for flagger in data["trusted_flaggers"]:
        TrustedFlagger.objects.update_or_create(email=flagger["email"], defaults=flagger)
    for mediator in data["mediators"]:
        Mediator.objects.update_or_create(name=mediator["name"], defaults=mediator)
    _load_breaches(data.get("breaches", []), hq=hq)
    if TermsVersion.objects.exists():
        return 0
    terms = data["terms"]
    version = publish_terms(
        title=terms["title"],
        body=terms["body"],
        effective_on=timezone.localdate() + timedelta(days=terms["effective_in_days"]),
        changes_summary=terms["changes_summary"],
        actor=hq,
    )
    accepted = 0
    stores = Store.objects.exclude(slug__in=terms["undecided"]).exclude(kind=Store.Kind.WAREHOUSE)
    for store in stores.order_by("slug"):
        owner = (
            StoreMembership.objects.filter(store=store, role=StoreMembership.Role.OWNER)
            .select_related("user")
            .first()
        )
        decide_terms(
            store=store,
            version=version,
            decision=TermsDecision.Decision.ACCEPTED,
            actor=owner.user if owner else hq,
        )
        accepted += 1
    return accepted


def load_customer_data(*, customer: Any) -> None:
    """On a first load: the demo customer's data export, asked and built through the real
    services (her "Mes données" offers the file, its link is in the demo mailbox, HQ sees the
    request with its deadline), and a first retention run for HQ's admin."""
    if customer is not None and not PersonalDataExport.objects.filter(user=customer).exists():
        export = request_personal_data_export(user=customer, actor=customer)
        build_personal_data_export(export_id=export.pk)
    if not RetentionRun.objects.exists():
        apply_retention(actor="demo")


def _load_breaches(breaches: list[dict], *, hq: Any) -> None:
    """The breach register's examples (GDPR art. 33), recorded through the register's service on
    a first load: dates are counted back from now, so the 72-hour deadline reads as in life."""
    if Breach.objects.exists():
        return
    now = timezone.now()
    for entry in breaches:
        fields = dict(entry)
        detected = now - timedelta(hours=fields.pop("detected_hours_ago"))
        notified_after = fields.pop("notified_after_hours", None)
        save_breach(
            breach=Breach(
                detected_at=detected,
                notified_to_cnil_at=(
                    detected + timedelta(hours=notified_after) if notified_after else None
                ),
                **fields,
            ),
            actor=hq,
        )
