"""Trader traceability (DSA art. 30): a franchise store's self-certification, its identity and
bank evidence, HQ's check, and the suspension of a store whose trader data is incomplete.

A franchise store is a trader on HQ's marketplace; HQ's own locations (branches, warehouses)
are not. Its trader data is complete when:
- its legal identity on the store is filled (stores.states.TRADER_FIELDS: company, registration
  number, legal address, e-mail, phone);
- its evidence references are filled (legal representative, identity document, bank account
  holder and evidence) and HQ has not rejected them (a pending check does not stop a store);
- it certified the current wording (settings.TRADER_CERTIFICATION_VERSION).

`enforce_trader_data` suspends a selling franchise store whose data is incomplete with
`apply_measure(kind="store_selling_suspended", source="trader_data")` (the statement of reasons
names what is missing), and lifts that measure once the data is complete again. Every write
here calls it; the daily beat job (`enforce_all_trader_data`) catches changes made elsewhere
(the store admin). `erase_departed_traders` anonymises the data TRADER_DATA_RETENTION_DAYS
after a store left the network (its `store.closed` audit row).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Field, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import cache as storefront_cache
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import AuditEvent
from stores.models import Store
from stores.services import erase_trader_identity, missing_trader_fields

from ..models import Measure, MeasureKind, MeasureSource, TraderCertification, TraderEvidence
from .measures import apply_measure, lift_measure

SYSTEM_ACTOR = "compliance: trader data"

# The self-certification's wording by version (art. 30(1)(e)). A new version is added here and
# named in settings.TRADER_CERTIFICATION_VERSION: every store is asked to certify it again.
CERTIFICATION_TEXTS = {
    "2026-01": gettext_lazy(
        "I certify, on behalf of the trader named above, that it commits to offer on the "
        "marketplace only products and services that comply with the applicable rules of "
        "European Union and French law, including product safety, consumer protection and "
        "intellectual property rules, and that the identity, contact, registration and bank "
        "details given to HQ are accurate and complete. I will update them without delay "
        "whenever they change."
    ),
}

EVIDENCE_FIELDS = (
    "legal_representative",
    "id_document_reference",
    "bank_account_holder",
    "bank_evidence_reference",
)


class StaleCertificationText(DomainError):
    """The wording changed since the page was shown: read the new one and certify again."""

    code = "stale_certification_text"
    http_status = 409


def current_certification_text() -> tuple[str, str]:
    """(version, wording) the stores must certify now, in the active language."""
    version = settings.TRADER_CERTIFICATION_VERSION
    return version, str(CERTIFICATION_TEXTS[version])


def is_trader(store: Store) -> bool:
    """A franchise store is a trader on HQ's marketplace; HQ's own locations are not."""
    return store.kind == Store.Kind.FRANCHISE


def _label(model: type[Model], name: str) -> str:
    return str(cast(Field, model._meta.get_field(name)).verbose_name)


def missing_trader_records(store: Store) -> list[str]:
    """What compliance still lacks for a trader (the evidence, the self-certification), as
    labels; nothing for HQ's own locations. The store lifecycle asks it (stores.hooks) before a
    store's first activation, besides the identity on the store it checks itself."""
    if not is_trader(store):
        return []
    on_store = {_label(Store, name) for name in missing_trader_fields(store)}
    return [label for label in missing_trader_data(store) if label not in on_store]


def missing_trader_data(store: Store) -> list[str]:
    """What is missing for `store` to sell as a trader, as labels a person reads (empty when
    complete). Reads the store, its evidence and its latest certification."""
    missing = [_label(Store, name) for name in missing_trader_fields(store)]
    evidence = TraderEvidence.objects.filter(store=store).first()
    for name in EVIDENCE_FIELDS:
        if evidence is None or not getattr(evidence, name).strip():
            missing.append(_label(TraderEvidence, name))
    if evidence is not None and evidence.hq_check == TraderEvidence.Check.REJECTED:
        missing.append(
            _("evidence rejected by HQ: %(note)s") % {"note": evidence.hq_check_note or "—"}
        )
    version = settings.TRADER_CERTIFICATION_VERSION
    if not TraderCertification.objects.filter(store=store, text_version=version).exists():
        missing.append(_("self-certification (version %(version)s)") % {"version": version})
    return missing


def certify_trader(
    *, store: Store, actor: Any, text_version: str, enforce: bool = True
) -> TraderCertification:
    """Record that `actor` certified, for `store`, the wording `text_version` (the version the
    page showed; another than the current one is StaleCertificationText). Each certification is
    a new version of the store's record, numbered under the store's row lock. `enforce=False`:
    the caller calls `enforce_trader_data` itself once it wrote everything."""
    version, text = current_certification_text()
    if text_version != version:
        raise StaleCertificationText()
    with transaction.atomic():
        Store.objects.select_for_update().get(pk=store.pk)
        last = store.trader_certifications.aggregate(last=Max("version"))["last"] or 0
        certification = TraderCertification.objects.create(
            store=store,
            version=last + 1,
            text_version=version,
            text=text,
            certified_by=actor if getattr(actor, "is_authenticated", False) else None,
            certified_by_label=actor_label(actor),
            certified_at=timezone.now(),
        )
        record_audit_event(
            actor=actor,
            action="trader.certified",
            target=certification,
            store_id=store.pk,
            data={"version": certification.version, "text_version": version},
        )
        # The sellers' identity under the product page's offers says "certified".
        storefront_cache.bump(storefront_cache.STORES)
        if enforce:
            enforce_trader_data(store=store, actor=actor)
    return certification


def update_trader_evidence(
    *,
    store: Store,
    actor: Any,
    legal_representative: str,
    id_document_reference: str,
    bank_account_holder: str,
    bank_evidence_reference: str,
    enforce: bool = True,
) -> TraderEvidence:
    """Save the store's evidence references. A changed reference goes back to HQ's check
    (pending); a blank one makes the data incomplete (the store is suspended until fixed).
    `enforce=False`: as for `certify_trader`."""
    values = {
        "legal_representative": legal_representative.strip(),
        "id_document_reference": id_document_reference.strip(),
        "bank_account_holder": bank_account_holder.strip(),
        "bank_evidence_reference": bank_evidence_reference.strip(),
    }
    with transaction.atomic():
        evidence, _created = TraderEvidence.objects.select_for_update().get_or_create(store=store)
        changed = [name for name, value in values.items() if getattr(evidence, name) != value]
        if changed:
            for name, value in values.items():
                setattr(evidence, name, value)
            evidence.hq_check = TraderEvidence.Check.PENDING
            evidence.hq_check_note = ""
            evidence.checked_by, evidence.checked_at = None, None
            evidence.save()
            record_audit_event(
                actor=actor,
                action="trader.evidence_updated",
                target=evidence,
                store_id=store.pk,
                data={"fields": changed},
            )
        if enforce:
            enforce_trader_data(store=store, actor=actor)
    return evidence


def save_trader_data(
    *,
    store: Store,
    actor: Any,
    legal_representative: str,
    id_document_reference: str,
    bank_account_holder: str,
    bank_evidence_reference: str,
    certify_with_text_version: str | None = None,
) -> Measure | None:
    """What the store's trader page saves, as one change: its evidence references, its
    certification when it certifies (`certify_with_text_version`, the wording it read), then the
    suspension for incomplete data applied or lifted once on the result. Returns that measure
    (None: the data is complete)."""
    with transaction.atomic():
        update_trader_evidence(
            store=store,
            actor=actor,
            legal_representative=legal_representative,
            id_document_reference=id_document_reference,
            bank_account_holder=bank_account_holder,
            bank_evidence_reference=bank_evidence_reference,
            enforce=False,
        )
        if certify_with_text_version is not None:
            certify_trader(
                store=store, actor=actor, text_version=certify_with_text_version, enforce=False
            )
        return enforce_trader_data(store=store, actor=actor)


def review_trader_evidence(
    *, evidence: TraderEvidence, accepted: bool, note: str, actor: Any
) -> TraderEvidence:
    """HQ's check of a store's evidence: accepted, or rejected with a note the store reads (a
    rejection suspends the store until new evidence is given)."""
    if not accepted and not note.strip():
        raise DomainError(_("Say why the evidence is rejected: the store reads it."))
    with transaction.atomic():
        evidence = TraderEvidence.objects.select_for_update().get(pk=evidence.pk)
        evidence.hq_check = (
            TraderEvidence.Check.ACCEPTED if accepted else TraderEvidence.Check.REJECTED
        )
        evidence.hq_check_note = note.strip()[:300]
        evidence.checked_by = actor if getattr(actor, "is_authenticated", False) else None
        evidence.checked_at = timezone.now()
        evidence.save()
        record_audit_event(
            actor=actor,
            action=f"trader.evidence_{evidence.hq_check}",
            target=evidence,
            store_id=evidence.store_id,
            data={"note": evidence.hq_check_note},
        )
        enforce_trader_data(store=evidence.store, actor=actor)
    return evidence


def _trader_data_measure(store: Store) -> Measure | None:
    return (
        Measure.objects.filter(
            store=store,
            kind=MeasureKind.STORE_SELLING_SUSPENDED,
            source=MeasureSource.TRADER_DATA,
            status=Measure.Status.ACTIVE,
        )
        .order_by("-started_at")
        .first()
    )


def enforce_trader_data(*, store: Store, actor: Any = SYSTEM_ACTOR) -> Measure | None:
    """Suspend a selling franchise store whose trader data is incomplete (one measure with its
    statement of reasons), or lift that measure once the data is complete. Returns the measure
    applied or lifted, None when nothing changed. Idempotent; serialised on the store's row."""
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=store.pk)
        if not is_trader(store):
            return None
        missing = missing_trader_data(store)
        active = _trader_data_measure(store)
        if missing and active is None and store.status == Store.Status.ACTIVE:
            return apply_measure(
                kind=MeasureKind.STORE_SELLING_SUSPENDED,
                target=store,
                source=MeasureSource.TRADER_DATA,
                facts=_(
                    "The trader information the marketplace must hold about the store is "
                    "incomplete or was rejected: %(missing)s. The store may sell again as soon "
                    "as it is completed in its back-office (Compliance > Trader information)."
                )
                % {"missing": "; ".join(missing)},
                legal_ground=_(
                    "Regulation (EU) 2022/2065 (Digital Services Act), article 30(1) and (3): "
                    "traceability of traders."
                ),
                actor=actor,
            )
        if not missing and active is not None:
            return lift_measure(
                measure=active,
                reason=_("The trader information is complete again."),
                actor=actor,
            )
    return None


def enforce_all_trader_data(*, actor: Any = SYSTEM_ACTOR) -> int:
    """The beat job: `enforce_trader_data` for every franchise store that sells or is
    suspended; returns how many measures were applied or lifted. Safe to run twice."""
    changed = 0
    stores = Store.objects.filter(
        kind=Store.Kind.FRANCHISE, status__in=[Store.Status.ACTIVE, Store.Status.SUSPENDED]
    ).order_by("pk")
    for store in stores.iterator():
        if enforce_trader_data(store=store, actor=actor) is not None:
            changed += 1
    return changed


def departed_on(store: Store) -> datetime | None:
    """When the store left the network: its last `store.closed` audit row."""
    event = (
        AuditEvent.objects.filter(action="store.closed", store_id=store.pk, target_id=str(store.pk))
        .order_by("-created_at")
        .first()
    )
    return event.created_at if event else None


def erase_departed_traders(
    *, now: datetime | None = None, actor: Any = "compliance: trader data retention"
) -> int:
    """Anonymise the trader data of every store closed more than TRADER_DATA_RETENTION_DAYS
    ago (art. 30(3)): its identity on the store, its evidence references and the names of
    who certified (the certified texts stay: they say nothing about a person). Returns how many
    stores were anonymised now; a second run finds nothing left to do."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TRADER_DATA_RETENTION_DAYS)
    erased = 0
    for store in Store.objects.filter(status=Store.Status.CLOSED).order_by("pk"):
        left = departed_on(store)
        if left is None or left > cutoff or _already_erased(store):
            continue
        with transaction.atomic():
            erase_trader_identity(store=store, actor=actor)
            evidence = TraderEvidence.objects.filter(store=store).first()
            if evidence is not None:
                for name in EVIDENCE_FIELDS:
                    setattr(evidence, name, "")
                evidence.hq_check_note = ""
                evidence.anonymised_at = now
                evidence.save()
            else:
                TraderEvidence.objects.create(store=store, anonymised_at=now)
            TraderCertification.objects.filter(store=store).update(
                certified_by=None, certified_by_label="—"
            )
            record_audit_event(
                actor=actor,
                action="trader.data_erased",
                target=store,
                store_id=store.pk,
                data={"left_on": left.isoformat()},
            )
        erased += 1
    return erased


def _already_erased(store: Store) -> bool:
    return TraderEvidence.objects.filter(store=store, anonymised_at__isnull=False).exists()
