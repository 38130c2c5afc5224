"""The store's legal identity (company, registration number, VAT number, legal address): the
one write of those fields outside HQ's admin, for the pages where a store's owner gives them
(the DAC7 tax data page of compliance). The checks are the caller's (compliance.services.dac7
checks them with python-stdnum); this only writes what changed and records it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from network_marketplace.audit import record_audit_event

from ..models import Store

LEGAL_IDENTITY_FIELDS = ("company_name", "registration_number", "vat_number", "legal_address")


def update_legal_identity(*, store: Store, actor: Any, **values: str) -> list[str]:
    """Set the given fields of LEGAL_IDENTITY_FIELDS (stripped) on `store`; returns the names
    that changed (none: nothing is written). Audited as `store.legal_identity_updated`."""
    unknown = set(values) - set(LEGAL_IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Not a legal identity field: {sorted(unknown)}")
    with transaction.atomic():
        locked = Store.objects.select_for_update().get(pk=store.pk)
        changed = [name for name, value in values.items() if getattr(locked, name) != value.strip()]
        if not changed:
            return []
        for name in changed:
            setattr(locked, name, values[name].strip())
            setattr(store, name, values[name].strip())
        locked.save(update_fields=[*changed, "updated_at"])
        record_audit_event(
            actor=actor,
            action="store.legal_identity_updated",
            target=locked,
            store_id=locked.pk,
            data={"fields": changed},
        )
    return changed
