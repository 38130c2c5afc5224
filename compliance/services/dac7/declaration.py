"""The annual DAC7 declaration in the OECD DPI schema as the DGFiP takes it, built with the
`dac7` package (PyPI): its models make the DPI document, its naming gives the file name
(`DPIDAC7_<year>_<SIREN>_<nnn>_<timestamp>.xml`), and the XML is validated against the XSD
it ships (DPIXML_v1.1-fr1.xsd, the DGFiP's version of the OECD schema) with `xmlschema`
before it is stored. Nothing invalid is ever stored.

`prepare_declaration(year=…)` reports every franchise store over the thresholds with its
figures per quarter (compliance.selectors.dac7, from the ledger), writes the declaration and
each store's copy (`Dac7SellerReport`, the stores left out too, with why) in one transaction.
Preparing a year again makes the next declaration of that year (`declaration_id` + 1), which
is how a correction is filed; the January job prepares a year only once.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import xmlschema
from dac7.constants import Env
from dac7.core import DAC7_SCHEMA, build_filename_from_xml_data, json_to_xml
from dac7.models.enums import (
    CurrencyCode,
    LegalAddressType,
    NamePersonType,
    Nexus,
    OtherIdentificationNumberType,
)
from dac7.models.flat import (
    Address,
    Declaration,
    FinancialIdentifier,
    MandatoryTaxIdentificationNumber,
    OtherActivities,
    OtherPlatformOperators,
    PlatformOperator,
    ReportableEntitySeller,
    ReportableIndividualSeller,
    TaxIdentificationNumber,
)
from dac7.models.flat import OtherIdentificationNumber as BusinessNumber
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from payments.facturx import split_address
from payments.pdf import euros as euros_text
from stores.models import Store

from ...models import Dac7Declaration, Dac7Notice, Dac7SellerData, Dac7SellerReport
from ...selectors.dac7 import SellerYear, candidate_sellers, seller_year
from .checks import check_seller_data
from .data import current_values
from .holds import notify

SYSTEM_ACTOR = "compliance: DAC7"


class Dac7NotReady(DomainError):
    """The declaration can't be built (a seller's data is missing, or the XML is invalid)."""

    code = "dac7_not_ready"
    http_status = 409


def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def validate_dac7_xml(xml: str) -> None:
    """Validate against the XSD the `dac7` package ships (raises xmlschema's error)."""
    xmlschema.XMLSchema10(DAC7_SCHEMA).validate(xml)


def platform_operator() -> PlatformOperator:
    """HQ, the platform operator, from settings.NETWORK_OPERATOR (resident in France)."""
    operator = settings.NETWORK_OPERATOR
    address = split_address(operator["address"])
    return PlatformOperator(
        residence_country_code="FR",
        tax_identification_numbers=[
            MandatoryTaxIdentificationNumber(issued_by="FR", value=operator["siren"])
        ],
        vat_number=operator["vat_number"],
        legal_names=[operator["company_name"]],
        business_names=[settings.NETWORK_NAME],
        addresses=[
            Address(
                legal_type=LegalAddressType.REGISTERED_OFFICE,
                country_code=address.country,
                street=address.line,
                post_code=address.postcode,
                city=address.city,
            )
        ],
        nexus=Nexus.RESIDENT,
    )  # type: ignore[call-arg]


def _sale_of_goods(figures: SellerYear) -> OtherActivities:
    amounts: dict[str, Any] = {"currency_code": CurrencyCode("EUR")}
    for quarter in figures.quarters:
        n = quarter.quarter
        amounts[f"consideration_amount_q{n}"] = euros(max(quarter.consideration_cents, 0))
        amounts[f"activities_number_q{n}"] = quarter.activities
        amounts[f"fees_amount_q{n}"] = euros(max(quarter.fees_cents, 0))
        amounts[f"taxes_amount_q{n}"] = Decimal(0)
    return OtherActivities(**amounts)


def _seller(store: Store, figures: SellerYear) -> tuple[Any, dict]:
    """The store as a DAC7 reportable seller, and the identity its copy shows."""
    checked = check_seller_data(current_values(store))
    if not checked.ok or not Dac7SellerData.objects.filter(store=store).exists():
        raise Dac7NotReady(
            _("The tax data of %(store)s is missing or invalid: it can't be reported.")
            % {"store": store.name},
            store=store.slug,
        )
    v = checked.values
    address = split_address(v["legal_address"], country=v["tin_country"])
    common: dict[str, Any] = {
        "seller_id": f"S{store.pk}",
        "tax_identification_numbers": [
            TaxIdentificationNumber(issued_by=v["tin_country"], value=v["tin"])
        ],
        "vat_number": v["vat_number"] or None,
        "addresses": [
            Address(
                country_code=address.country,
                street=address.line,
                post_code=address.postcode,
                city=address.city,
            )
        ],
        "financial_identifiers": [
            FinancialIdentifier(
                type="IBAN", account_number=v["iban"], account_holder_name=v["account_holder"]
            )
        ],
        "sale_of_goods": _sale_of_goods(figures),
    }
    identity = {
        "seller_kind": v["seller_kind"],
        "name": v["company_name"],
        "tin": v["tin"],
        "tin_country": v["tin_country"],
        "vat_number": v["vat_number"],
        "registration_number": v["registration_number"],
        "address": v["legal_address"],
        "iban": v["iban"],
        "account_holder": v["account_holder"],
    }
    if v["seller_kind"] == Dac7SellerData.SellerKind.INDIVIDUAL:
        identity.update(
            name=f"{v['first_name']} {v['last_name']}", birth_date=v["birth_date"].isoformat()
        )
        seller = ReportableIndividualSeller(
            **common,
            residence_country_code=v["tin_country"],
            name_type=NamePersonType.INDIVIDUAL,
            first_name=v["first_name"],
            last_name=v["last_name"],
            birth_date=v["birth_date"],
            birth_city=v["birth_city"],
            birth_country_code=v["birth_country"],
        )
        return seller, identity
    seller = ReportableEntitySeller(
        **common,
        residence_country_code=v["tin_country"],
        legal_names=[v["company_name"]],
        other_identification_numbers=[
            BusinessNumber(
                issued_by=v["tin_country"],
                value="".join(ch for ch in v["registration_number"] if ch.isdigit())
                or v["registration_number"],
                type=OtherIdentificationNumberType.BUSINESS_REGISTRATION_NUMBER,
            )
        ],
    )
    return seller, identity


def build_xml(
    *, year: int, declaration_id: int, sellers: list[Any], timestamp: datetime
) -> tuple[str, str, str]:
    """(XML, file name, message reference) of a declaration, validated against the XSD."""
    entities = [s for s in sellers if isinstance(s, ReportableEntitySeller)]
    individuals = [s for s in sellers if isinstance(s, ReportableIndividualSeller)]
    declaration = Declaration(
        fiscal_year=year,
        declaration_id=declaration_id,
        timestamp=timestamp,
        platform_operator=platform_operator(),
        other_platform_operators=OtherPlatformOperators(),
        reportable_entity_sellers=entities,
        reportable_individual_sellers=individuals,
        env=Env(settings.DAC7_ENVIRONMENT),
    )
    dpi = declaration.get_dpi().model_dump(by_alias=True, exclude_defaults=True, mode="json")
    xml = json_to_xml(json.dumps(dpi, ensure_ascii=True))
    validate_dac7_xml(xml)
    filename = build_filename_from_xml_data(xml_data=xml, declaration_id=declaration_id)
    return xml, filename, dpi["dpi:MessageSpec"]["dpi:MessageRefId"]


def prepare_declaration(*, year: int, actor: Any = SYSTEM_ACTOR) -> Dac7Declaration:
    """Build, validate and store `year`'s declaration and every franchise store's copy.
    Raises Dac7NotReady, writing nothing, when a store over the thresholds has no valid
    data (HQ sees which; the reminders and the payout hold are there to get it)."""
    figures = [seller_year(store, year) for store in candidate_sellers(year)]
    reported = [f for f in figures if not f.excluded and f.consideration_cents > 0]
    sellers, identities = [], {}
    for f in reported:
        seller, identity = _seller(f.store, f)
        sellers.append(seller)
        identities[f.store.pk] = identity
    with transaction.atomic():
        last = Dac7Declaration.objects.select_for_update().filter(year=year)
        declaration_id = (last.aggregate(last=Max("declaration_id"))["last"] or 0) + 1
        xml, filename, reference = build_xml(
            year=year, declaration_id=declaration_id, sellers=sellers, timestamp=timezone.now()
        )
        declaration = Dac7Declaration.objects.create(
            year=year,
            declaration_id=declaration_id,
            filename=filename,
            message_ref_id=reference,
            xml=xml,
            reported_count=len(reported),
            excluded_count=len(figures) - len(reported),
            created_by_label=actor_label(actor),
        )
        Dac7SellerReport.objects.bulk_create(
            Dac7SellerReport(
                declaration=declaration,
                store=f.store,
                reported=f.store.pk in identities,
                excluded_reason=""
                if f.store.pk in identities
                else (f.exclusion_reason() if f.excluded else _("No consideration in the year.")),
                quarters=[q.as_dict() for q in f.quarters],
                identity=identities.get(f.store.pk, {}),
            )
            for f in figures
            if f.store.pk in identities or f.activities or f.consideration_cents
        )
        for f in reported:
            notify(
                store=f.store,
                year=year,
                kind=Dac7Notice.Kind.COPY,
                text=ngettext(
                    "HQ declared to the tax administration (DGFiP) what the store earned on the "
                    "marketplace in %(year)d (DAC7): %(amount)s of consideration for %(count)d "
                    "sale, %(fees)s of fees withheld. The store's copy, quarter by quarter, is "
                    "in its back-office; keep it for its own tax return.",
                    "HQ declared to the tax administration (DGFiP) what the store earned on the "
                    "marketplace in %(year)d (DAC7): %(amount)s of consideration for %(count)d "
                    "sales, %(fees)s of fees withheld. The store's copy, quarter by quarter, is "
                    "in its back-office; keep it for its own tax return.",
                    f.activities,
                )
                % {
                    "year": year,
                    "amount": euros_text(f.consideration_cents),
                    "count": f.activities,
                    "fees": euros_text(f.fees_cents),
                },
                missing=[],
                page_path=f"/store/{f.store.slug}/compliance/tax-data/",
            )
        record_audit_event(
            actor=actor,
            action="dac7.declaration_prepared",
            target=declaration,
            data={"year": year, "file": filename, "reported": len(reported)},
        )
    return declaration


def prepare_year_once(*, year: int, actor: Any = SYSTEM_ACTOR) -> Dac7Declaration | None:
    """The January job: `year`'s first declaration, unless one exists (None then)."""
    if Dac7Declaration.objects.filter(year=year).exists():
        return None
    return prepare_declaration(year=year, actor=actor)
