"""The checks of a store's DAC7 data, done by kept libraries, never by hand: python-stdnum for
the SIREN, SIRET, the French VAT number (its key must match the SIREN), the other EU VAT
numbers and the TIN of each issuing state it knows; schwifty for the IBAN and the BIC.

`check_seller_data(values)` returns the values in their compact, normalised form and the
errors by field name, in the words the form shows next to the field: the page and the service
share it, so nothing is saved unless every field passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

from payments.facturx import split_address

# The EU's member states: DAC7 reports the sellers resident in one of them.
EU_COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]

# The TIN of a legal entity and of an individual, per issuing state, where python-stdnum has
# its check (module under stdnum.<country>). A state not listed: the TIN is kept as given.
TIN_MODULES: dict[str, tuple[str, str]] = {
    "FR": ("siren", "nif"),
    "BE": ("vat", "nn"),
    "DE": ("stnr", "idnr"),
    "ES": ("nif", "nif"),
    "IT": ("iva", "codicefiscale"),
    "NL": ("btw", "bsn"),
    "PT": ("nif", "nif"),
    "LU": ("tva", ""),
    "AT": ("tin", "tin"),
    "PL": ("nip", "pesel"),
}

ENTITY, INDIVIDUAL = "entity", "individual"


@dataclass
class Checked:
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _tin_module(country: str, seller_kind: str) -> Any | None:
    names = TIN_MODULES.get(country)
    if names is None:
        return None
    name = names[0 if seller_kind == ENTITY else 1]
    if not name:
        return None
    try:
        return import_module(f"stdnum.{country.lower()}.{name}")
    except ImportError:
        return None


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text or "")


def check_seller_data(values: dict[str, Any], *, today: date | None = None) -> Checked:
    """Check and normalise one store's DAC7 data. `values` has the fields of the DAC7 page:
    seller_kind, company_name, legal_address, tin, tin_country, vat_number,
    registration_number, iban, bic, account_holder, and for an individual first_name,
    last_name, birth_date, birth_city, birth_country."""
    today = today or timezone.localdate()
    out = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()
    }
    errors: dict[str, str] = {}
    kind = out.get("seller_kind") or ENTITY
    country = (out.get("tin_country") or "").upper()
    out["tin_country"] = country

    def required(name: str) -> bool:
        if not out.get(name):
            errors[name] = _("This field is required.")
            return False
        return True

    if country not in EU_COUNTRIES:
        errors["tin_country"] = _("Choose the EU member state that issued the number.")

    # Legal name and address (on the store)
    required("company_name")
    if required("legal_address") and not split_address(out["legal_address"]).postcode:
        errors["legal_address"] = _(
            "Write the address as “street, postal code city”, e.g. “12 rue de la Paix, 69002 Lyon”."
        )

    # TIN, per issuing state
    siren = ""
    if required("tin") and "tin_country" not in errors:
        module = _tin_module(country, kind)
        if module is not None:
            try:
                out["tin"] = module.validate(out["tin"])
            except ValidationError as exc:
                errors["tin"] = _tin_error(country, kind, exc)
        if country == "FR" and kind == ENTITY and "tin" not in errors:
            siren = out["tin"]

    # VAT number (optional; its key must match the SIREN)
    if out.get("vat_number"):
        vat = out["vat_number"].upper().replace(" ", "").replace(".", "")
        try:
            vat = fr_tva.validate(vat) if vat.startswith("FR") else eu_vat.validate(vat)
            out["vat_number"] = vat if vat[:2].isalpha() else f"FR{vat}"
        except ValidationError:
            errors["vat_number"] = _(
                "This VAT number is not valid: check its country prefix, its key and its digits."
            )
        else:
            if siren and out["vat_number"].startswith("FR") and out["vat_number"][-9:] != siren:
                errors["vat_number"] = _("This VAT number's SIREN is not the one given above.")

    # Registration number: the SIRET, or the RCS registration with the SIREN
    if required("registration_number") and country == "FR" and kind == ENTITY:
        digits = _digits(out["registration_number"])
        if len(digits) == 14:
            if not fr_siret.is_valid(digits):
                errors["registration_number"] = _(
                    "This SIRET is not valid: its last digit does not match (Luhn key)."
                )
            elif siren and digits[:9] != siren:
                errors["registration_number"] = _("This SIRET does not start with the SIREN.")
        elif len(digits) == 9:
            if not fr_siren.is_valid(digits):
                errors["registration_number"] = _(
                    "The SIREN in this registration is not valid: its key does not match."
                )
            elif siren and digits != siren:
                errors["registration_number"] = _(
                    "The SIREN in this registration is not the one given above."
                )
        else:
            errors["registration_number"] = _(
                "Give the SIRET (14 digits) or the RCS registration with the SIREN (9 digits)."
            )

    # Bank account
    if required("iban"):
        try:
            iban = IBAN(out["iban"])
        except SchwiftyException:
            errors["iban"] = _("This IBAN is not valid: check its country, length and key.")
        else:
            out["iban"] = iban.compact
            if out.get("bic"):
                try:
                    bic = BIC(out["bic"])
                except SchwiftyException:
                    errors["bic"] = _("This BIC is not valid.")
                else:
                    out["bic"] = str(bic.compact)
                    if bic.country_code != iban.country_code:
                        errors["bic"] = _("This BIC is not of the IBAN's country.")
    required("account_holder")

    # An individual: name and birth
    if kind == INDIVIDUAL:
        for name in ("first_name", "last_name", "birth_city"):
            required(name)
        if required("birth_date") and out["birth_date"] >= today:
            errors["birth_date"] = _("The date of birth must be in the past.")
        if required("birth_country"):
            out["birth_country"] = out["birth_country"].upper()
    else:
        for name in ("first_name", "last_name", "birth_city", "birth_country"):
            out[name] = ""
        out["birth_date"] = None
    return Checked(values=out, errors=errors)


def _tin_error(country: str, kind: str, exc: ValidationError) -> str:
    if country == "FR" and kind == ENTITY:
        return _("This SIREN is not valid: its key (last digit) does not match the others.")
    if country == "FR":
        return _("This tax number (numéro fiscal) is not valid: it has 13 digits and a key.")
    return _("This tax identification number is not valid for %(country)s.") % {"country": country}
