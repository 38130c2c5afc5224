"""The demo network: a French home & DIY chain with stores in real cities, at real coordinates.

The stores, logins and opening hours are data (demo/data/stores.csv, network.yaml); this module
reads them and derives what varies from store to store the way a real network's does (trader
identity, services, catchment radius, capacity), the same on every run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from .files import read_csv, read_yaml

FRANCHISE, BRANCH, WAREHOUSE = "franchise", "branch", "warehouse"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class DemoStore:
    slug: str
    name: str
    kind: str
    address_line: str
    postal_code: str
    city: str
    latitude: str
    longitude: str

    @property
    def owner_email(self) -> str:
        return f"{self.slug}@ardoise.example"


@dataclass(frozen=True)
class Login:
    email: str
    first_name: str
    last_name: str = ""


@dataclass(frozen=True)
class DemoNetwork:
    """Everything a demo login or a demo page names: the password every login shares (printed
    by `load_demo`), HQ's and the customer's logins, the store whose desk gets the orders."""

    password: str
    hq: Login
    customer: Login
    orders_store: str
    stores: tuple[DemoStore, ...]
    metropoles: frozenset[str]
    opening_hours: dict[str, dict[str, list[list[str]]]]
    franchise_hours: tuple[str, ...]


@functools.cache
def network() -> DemoNetwork:
    data = read_yaml("network.yaml")
    return DemoNetwork(
        password=data["password"],
        hq=Login(**data["hq"]),
        customer=Login(**data["customer"]),
        orders_store=data["orders_store"],
        stores=tuple(DemoStore(**row) for row in read_csv("stores.csv")),
        metropoles=frozenset(data["metropoles"]),
        opening_hours=data["opening_hours"],
        franchise_hours=tuple(data["franchise_hours"]),
    )


def luhn_complete(digits: str) -> str:
    """Append the Luhn check digit, as SIREN numbers carry one."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return digits + str((10 - total % 10) % 10)


def french_vat_number(siren: str) -> str:
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


# France's five geographic telephone zones (01 to 05), by the department of the postal code.
PHONE_ZONES = {
    1: "75 77 78 91 92 93 94 95",
    2: "14 18 22 27 28 29 35 36 37 41 44 45 49 50 53 56 61 72 76 85",
    3: "02 08 10 21 25 39 51 52 54 55 57 58 59 60 62 67 68 70 71 80 88 89 90",
    5: "09 12 16 17 19 23 24 31 32 33 40 46 47 64 65 79 81 82 86 87",
}


def regional_phone(postal_code: str, index: int) -> str:
    """A landline number with the prefix of the store's region (Paris 01, Lyon 04…)."""
    department = postal_code[:2]
    zone = next((zone for zone, codes in PHONE_ZONES.items() if department in codes.split()), 4)
    return (
        f"+33 {zone} {72 + index % 20:02d} {index:02d} {index * 37 % 100:02d} {index * 3 % 100:02d}"
    )


def trader_identity(store: DemoStore, index: int) -> dict:
    """The trader data the DSA asks of a seller: a valid-looking SIREN and VAT number."""
    siren = luhn_complete(f"{81234000 + index * 137:08d}")
    company = (
        "Ardoise Réseau SAS" if store.kind != FRANCHISE else f"SARL {store.city} Maison & Jardin"
    )
    return {
        "company_name": company,
        "registration_number": f"RCS {store.city} {siren[:3]} {siren[3:6]} {siren[6:]}",
        "vat_number": french_vat_number(siren),
        "legal_address": f"{store.address_line}, {store.postal_code} {store.city}",
        "latitude": Decimal(store.latitude),
        "longitude": Decimal(store.longitude),
    }


def _hours(name: str) -> dict[str, list[list[str]]]:
    """A fresh copy of named opening hours: each store's JSON is its own."""
    week = network().opening_hours[name]
    return {day: [list(span) for span in week[day]] for day in DAYS}


def store_profile(store: DemoStore, index: int) -> dict:
    """Hours, services, catchment radius and daily capacity: varied the way a network's are."""
    if store.kind == WAREHOUSE:
        return {
            "opening_hours": _hours("warehouse"),
            "offers_click_collect": False,
            "offers_ship_from_store": True,
            "offers_reserve_collect": False,
            "accepts_returns": True,  # the parcels of returns sent by post come here
            "catchment_radius_km": 0,
            "daily_capacity": 2000,
            "pickup_slot_minutes": None,
        }
    metropoles = network().metropoles
    if store.city == "Paris":
        hours, radius, capacity = "paris", 4, 120
    elif store.city in metropoles:
        hours = "city_centre" if store.kind == BRANCH else "sunday_morning"
        radius, capacity = 8, 80 + index % 3 * 10
    else:
        franchise_hours = network().franchise_hours
        hours = franchise_hours[index % len(franchise_hours)]
        radius, capacity = 20 + index % 3 * 5, 35 + index * 7 % 30
    return {
        "opening_hours": _hours(hours),
        "offers_click_collect": True,
        "offers_ship_from_store": index % 5 != 4,
        "offers_reserve_collect": index % 7 != 6,
        "accepts_returns": True,
        "catchment_radius_km": radius,
        "daily_capacity": capacity,
        # Busy city stores book pickups by half hour; the others take customers any time open.
        "pickup_slot_minutes": 30 if store.city == "Paris" or store.city in metropoles else None,
    }
