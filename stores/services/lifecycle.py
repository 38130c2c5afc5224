"""Opening, suspending and closing stores. A store sells only once its trader identity is
complete: the data the DSA (art. 30) requires a marketplace to collect from its traders."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError

from ..models import Store
from ..states import check_store_transition

TRADER_FIELDS = ("company_name", "registration_number", "legal_address", "email", "phone")


class StoreIncomplete(DomainError):
    """The store's trader identity is incomplete: it can't sell yet."""

    code = "store_incomplete"
    http_status = 400


def missing_trader_fields(store: Store) -> list[str]:
    return [name for name in TRADER_FIELDS if not str(getattr(store, name) or "").strip()]


def change_store_status(*, store: Store, status: str, actor, reason: str = "") -> Store:
    """Move a store to `status` if its lifecycle allows it; idempotent for the current status."""
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=store.pk)
        if store.status == status:
            return store
        check_store_transition(store.status, status)
        if status == Store.Status.ACTIVE:
            missing = missing_trader_fields(store)
            if missing:
                labels = ", ".join(str(Store._meta.get_field(f).verbose_name) for f in missing)
                raise StoreIncomplete(
                    _("%(store)s can't sell until its trader identity is complete: %(fields)s.")
                    % {"store": store.name, "fields": labels},
                    missing=missing,
                )
        previous = store.status
        store.status = status
        store.save(update_fields=["status", "updated_at"])
        record_audit_event(
            actor=actor,
            action="store.status_changed",
            target=store,
            store_id=store.pk,
            data={"from": previous, "to": status, "reason": reason},
        )
    return store
