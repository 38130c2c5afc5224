"""A store's DAC7 due-diligence data: saved when every check passes (compliance.services.dac7
.checks), read back as what is still missing. The store's legal identity stays on the store
(stores.services.update_legal_identity); the rest is its `Dac7SellerData` row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from stores.models import Store
from stores.services import update_legal_identity

from ...models import Dac7SellerData
from ...selectors.dac7 import is_reportable_seller
from .checks import check_seller_data
from .holds import release_dac7_hold

STORE_FIELDS = ("company_name", "legal_address", "vat_number", "registration_number")
DATA_FIELDS = (
    "seller_kind",
    "tin",
    "tin_country",
    "iban",
    "bic",
    "account_holder",
    "first_name",
    "last_name",
    "birth_date",
    "birth_city",
    "birth_country",
)


class Dac7DataInvalid(DomainError):
    """A field of the DAC7 data failed its check: nothing was saved. `errors` by field."""

    code = "dac7_data_invalid"
    http_status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("The tax data has errors: nothing was saved."), errors=errors)
        self.errors = errors


def current_values(store: Store) -> dict[str, Any]:
    """What the DAC7 page shows: the store's identity and its DAC7 row (blank when none)."""
    data = Dac7SellerData.objects.filter(store=store).first()
    values: dict[str, Any] = {name: getattr(store, name) for name in STORE_FIELDS}
    for name in DATA_FIELDS:
        values[name] = getattr(data, name) if data is not None else None
    values["seller_kind"] = values["seller_kind"] or Dac7SellerData.SellerKind.ENTITY
    values["tin_country"] = values["tin_country"] or "FR"
    return {
        name: "" if value is None and name != "birth_date" else value
        for name, value in values.items()
    }


def missing_dac7_data(store: Store) -> list[str]:
    """What the store still has to give (labels a person reads); empty when complete, and for
    HQ's own locations. Data that no longer passes its check counts as missing."""
    if not is_reportable_seller(store):
        return []
    if not Dac7SellerData.objects.filter(store=store).exists():
        return [_("the tax data (DAC7) has not been given yet")]
    checked = check_seller_data(current_values(store))
    labels = _field_labels()
    return [f"{labels.get(name, name)}: {error}" for name, error in checked.errors.items()]


def has_complete_dac7_data(store: Store) -> bool:
    return not missing_dac7_data(store)


def _field_labels() -> dict[str, str]:
    labels = {name: str(Store._meta.get_field(name).verbose_name) for name in STORE_FIELDS}
    labels.update(
        {name: str(Dac7SellerData._meta.get_field(name).verbose_name) for name in DATA_FIELDS}
    )
    return labels


def save_dac7_data(*, store: Store, actor: Any, values: dict[str, Any]) -> Dac7SellerData:
    """Check `values` (the DAC7 page's fields) and save them: the legal identity on the store,
    the rest on its DAC7 row, in one transaction. Raises Dac7DataInvalid with the errors by
    field, having written nothing. Once the data is complete, a DAC7 hold on the store's
    payouts is released (compliance.services.dac7.holds)."""
    checked = check_seller_data(values)
    if not checked.ok:
        raise Dac7DataInvalid(checked.errors)
    clean = checked.values
    with transaction.atomic():
        changed = update_legal_identity(
            store=store, actor=actor, **{name: clean[name] or "" for name in STORE_FIELDS}
        )
        data, created = Dac7SellerData.objects.select_for_update().get_or_create(
            store=store,
            defaults={name: clean.get(name) for name in DATA_FIELDS}
            | {"updated_by_label": actor_label(actor)},
        )
        if not created:
            for name in DATA_FIELDS:
                if getattr(data, name) != clean.get(name):
                    changed.append(name)
                    setattr(data, name, clean.get(name))
            data.updated_by_label = actor_label(actor)
            data.save()
        else:
            changed += [name for name in DATA_FIELDS if clean.get(name)]
        if changed:
            record_audit_event(
                actor=actor,
                action="dac7.data_updated",
                target=data,
                store_id=store.pk,
                data={"fields": sorted(set(changed))},  # names only: no IBAN in the trail
            )
        release_dac7_hold(store=store, actor=actor)
    return data
