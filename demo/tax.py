"""The demo's tax data: every franchise store but one has given its DAC7 data (through the
compliance service, with the same checks as the back-office page), so that the stores' "Tax
data (DAC7)" pages show both a complete record and one still to give."""

from __future__ import annotations

from schwifty import IBAN

from compliance.models import Dac7SellerData
from compliance.services.dac7 import save_dac7_data
from stores.models import Store

from .network import FRANCHISE, network

# The franchise store whose owner has not given its data yet (the page lists what is missing).
WITHOUT_DATA = "annecy-centre"


def load_tax_data() -> int:
    """Give each franchise store its DAC7 data (once: a re-run keeps what a visitor changed)."""
    made = 0
    slugs = [spec.slug for spec in network().stores if spec.kind == FRANCHISE]
    without = WITHOUT_DATA if WITHOUT_DATA in slugs else (slugs[-1] if slugs else "")
    for store in Store.objects.filter(slug__in=slugs).order_by("pk"):
        if store.slug == without or Dac7SellerData.objects.filter(store=store).exists():
            continue
        siren = store.vat_number[-9:]
        iban = IBAN.generate(
            "FR", bank_code="30004", branch_code="00031", account_code=f"{store.pk:011d}"
        )
        save_dac7_data(
            store=store,
            actor="demo",
            values={
                "seller_kind": Dac7SellerData.SellerKind.ENTITY,
                "company_name": store.company_name,
                "legal_address": store.legal_address,
                "tin": siren,
                "tin_country": "FR",
                "vat_number": store.vat_number,
                "registration_number": store.registration_number,
                "iban": iban.compact,
                "bic": str(iban.bic or ""),
                "account_holder": store.company_name,
                "first_name": "",
                "last_name": "",
                "birth_date": None,
                "birth_city": "",
                "birth_country": "",
            },
        )
        made += 1
    return made
