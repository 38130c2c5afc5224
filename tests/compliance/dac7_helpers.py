"""DAC7 test data: franchise stores with a valid French identity (SIREN with its Luhn key, the
VAT number whose key matches it, a valid IBAN) and their sales booked in the ledger the way
the commission contract books them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from demo.network import french_vat_number, luhn_complete
from stores.models import Store
from tests.factories import StoreFactory

PARIS = ZoneInfo("Europe/Paris")
IBAN = "FR7630006000011234567890189"  # La Banque's example IBAN: a valid checksum
BAD_KEY_IBAN = "FR7630006000011234567890188"

_next = iter(range(100, 10**6))


def valid_siren() -> str:
    return luhn_complete(f"{81234000 + next(_next) * 137:08d}")


def wrong_key(siren: str) -> str:
    return siren[:-1] + str((int(siren[-1]) + 1) % 10)


def franchise_store(**fields) -> Store:
    siren = valid_siren()
    defaults = {
        "company_name": "SARL Maison & Jardin",
        "registration_number": f"RCS Lyon {siren[:3]} {siren[3:6]} {siren[6:]}",
        "vat_number": french_vat_number(siren),
        "legal_address": "1 place Bellecour, 69002 Lyon",
    }
    return StoreFactory(**(defaults | fields))


def siren_of(store: Store) -> str:
    return store.vat_number[-9:]


def dac7_values(store: Store, **overrides) -> dict:
    """What an owner types on the DAC7 page for `store` (valid unless overridden)."""
    return {
        "seller_kind": "entity",
        "company_name": store.company_name,
        "legal_address": store.legal_address,
        "tin": siren_of(store),
        "tin_country": "FR",
        "vat_number": store.vat_number,
        "registration_number": store.registration_number,
        "iban": IBAN,
        "bic": "",
        "account_holder": store.company_name,
        "first_name": "",
        "last_name": "",
        "birth_date": None,
        "birth_city": "",
        "birth_country": "",
    } | overrides


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=PARIS)
