"""Reads on the stores' terms: the version in force, the one a store still has to decide on,
the stores that have not accepted a version, the mediators the terms name."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from stores.models import Store

from ..models import Mediator, TermsDecision, TermsVersion


def stores_bound_by_terms() -> QuerySet[Store]:
    """The stores the terms are a contract with: franchise stores not closed. HQ's own branches
    and warehouses are not business users of HQ's platform (no P2B relationship)."""
    return Store.objects.filter(kind=Store.Kind.FRANCHISE).exclude(status=Store.Status.CLOSED)


def current_terms(*, on: date | None = None) -> TermsVersion | None:
    """The version in force on `on` (today): the latest whose effective date has come."""
    on = on or timezone.localdate()
    return TermsVersion.objects.filter(effective_on__lte=on).order_by("-version").first()


def latest_terms() -> TermsVersion | None:
    return TermsVersion.objects.order_by("-version").first()


def terms_versions() -> QuerySet[TermsVersion]:
    """Every version, newest first, without their PDFs (read one by one for a download)."""
    return TermsVersion.objects.defer("pdf").order_by("-version")


def terms_awaiting_decision(store: Store) -> TermsVersion | None:
    """The latest version if the store is bound by the terms and has not decided on it yet:
    the back-office banner shows it on every page until the store accepts or terminates.
    One query."""
    if store.kind != Store.Kind.FRANCHISE or store.status == Store.Status.CLOSED:
        return None
    decided = TermsDecision.objects.filter(version=OuterRef("pk"), store=store)
    latest = (
        TermsVersion.objects.only("pk", "version", "title", "effective_on")
        .annotate(decided=Exists(decided))
        .order_by("-version")
        .first()
    )
    if latest is None or latest.decided:
        return None
    return latest


def decisions_of(store: Store) -> dict[int, TermsDecision]:
    """The store's decisions, by version id."""
    return {
        decision.version_id: decision
        for decision in TermsDecision.objects.filter(store=store).select_related("version")
    }


def stores_without_acceptance(version: TermsVersion) -> QuerySet[Store]:
    """The stores bound by the terms that have not accepted `version` (none yet, or terminated):
    HQ's list of who is not on board before the effective date."""
    accepted = TermsDecision.objects.filter(
        version=version, store=OuterRef("pk"), decision=TermsDecision.Decision.ACCEPTED
    )
    return stores_bound_by_terms().filter(~Exists(accepted)).order_by("name")


def named_mediators() -> list[Mediator]:
    return list(Mediator.objects.filter(is_active=True).order_by("position", "name"))
