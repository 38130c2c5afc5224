"""The demo network: a French home & DIY chain with stores in real cities, at real coordinates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DEMO_PASSWORD = "ardoise-demo"  # noqa: S105 - printed for the demo logins
HQ_EMAIL = "hq@ardoise.example"
CUSTOMER_EMAIL = "client@ardoise.example"
# The store whose order desk the demo fills with the customer's orders.
ORDERS_STORE_SLUG = "lyon-presquile"


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


def _s(slug, name, kind, address, postal_code, city, lat, lon) -> DemoStore:
    return DemoStore(slug, name, kind, address, postal_code, city, lat, lon)


F, B, W = "franchise", "branch", "warehouse"

DEMO_STORES = [
    _s(
        "entrepot-central",
        "Entrepôt central Saint-Quentin-Fallavier",
        W,
        "Rue du Morellon",
        "38070",
        "Saint-Quentin-Fallavier",
        "45.643600",
        "5.110600",
    ),
    _s(
        "paris-bastille",
        "Ardoise Paris Bastille",
        B,
        "14 rue du Faubourg Saint-Antoine",
        "75011",
        "Paris",
        "48.853200",
        "2.369100",
    ),
    _s(
        "paris-montparnasse",
        "Ardoise Paris Montparnasse",
        B,
        "22 rue de Rennes",
        "75006",
        "Paris",
        "48.845300",
        "2.327800",
    ),
    _s(
        "lyon-presquile",
        "Ardoise Lyon Presqu'île",
        B,
        "35 rue de la République",
        "69002",
        "Lyon",
        "45.764000",
        "4.835700",
    ),
    _s(
        "villeurbanne",
        "Ardoise Villeurbanne",
        F,
        "120 cours Émile Zola",
        "69100",
        "Villeurbanne",
        "45.771900",
        "4.890200",
    ),
    _s(
        "marseille",
        "Ardoise Marseille Vieux-Port",
        F,
        "40 La Canebière",
        "13001",
        "Marseille",
        "43.296500",
        "5.369800",
    ),
    _s(
        "toulouse",
        "Ardoise Toulouse Capitole",
        F,
        "18 rue d'Alsace-Lorraine",
        "31000",
        "Toulouse",
        "43.604700",
        "1.444200",
    ),
    _s(
        "nice",
        "Ardoise Nice",
        F,
        "25 avenue Jean Médecin",
        "06000",
        "Nice",
        "43.710200",
        "7.262000",
    ),
    _s(
        "nantes",
        "Ardoise Nantes",
        F,
        "8 rue Crébillon",
        "44000",
        "Nantes",
        "47.218400",
        "-1.553600",
    ),
    _s(
        "strasbourg",
        "Ardoise Strasbourg",
        F,
        "12 rue des Grandes Arcades",
        "67000",
        "Strasbourg",
        "48.573400",
        "7.752100",
    ),
    _s(
        "montpellier",
        "Ardoise Montpellier",
        F,
        "5 rue de la Loge",
        "34000",
        "Montpellier",
        "43.610800",
        "3.876700",
    ),
    _s(
        "bordeaux",
        "Ardoise Bordeaux",
        F,
        "60 rue Sainte-Catherine",
        "33000",
        "Bordeaux",
        "44.837800",
        "-0.579200",
    ),
    _s("lille", "Ardoise Lille", F, "30 rue Neuve", "59000", "Lille", "50.629200", "3.057300"),
    _s(
        "rennes",
        "Ardoise Rennes",
        F,
        "9 rue Le Bastard",
        "35000",
        "Rennes",
        "48.117300",
        "-1.677800",
    ),
    _s("reims", "Ardoise Reims", F, "15 rue de Vesle", "51100", "Reims", "49.258300", "4.031700"),
    _s(
        "le-havre",
        "Ardoise Le Havre",
        F,
        "70 rue de Paris",
        "76600",
        "Le Havre",
        "49.494400",
        "0.107900",
    ),
    _s(
        "saint-etienne",
        "Ardoise Saint-Étienne",
        F,
        "11 rue du Général Foy",
        "42000",
        "Saint-Étienne",
        "45.439700",
        "4.387200",
    ),
    _s("toulon", "Ardoise Toulon", F, "20 rue d'Alger", "83000", "Toulon", "43.124200", "5.928000"),
    _s(
        "grenoble",
        "Ardoise Grenoble",
        F,
        "4 rue Félix Poulat",
        "38000",
        "Grenoble",
        "45.188500",
        "5.724500",
    ),
    _s(
        "dijon",
        "Ardoise Dijon",
        F,
        "45 rue de la Liberté",
        "21000",
        "Dijon",
        "47.322000",
        "5.041500",
    ),
    _s(
        "angers",
        "Ardoise Angers",
        F,
        "16 rue Lenepveu",
        "49000",
        "Angers",
        "47.478400",
        "-0.563200",
    ),
    _s(
        "nimes",
        "Ardoise Nîmes",
        F,
        "3 boulevard Victor Hugo",
        "30000",
        "Nîmes",
        "43.836700",
        "4.360100",
    ),
    _s(
        "clermont-ferrand",
        "Ardoise Clermont-Ferrand",
        F,
        "6 place de Jaude",
        "63000",
        "Clermont-Ferrand",
        "45.777200",
        "3.087000",
    ),
    _s(
        "le-mans",
        "Ardoise Le Mans",
        F,
        "28 rue des Minimes",
        "72000",
        "Le Mans",
        "48.006100",
        "0.199600",
    ),
    _s(
        "aix-en-provence",
        "Ardoise Aix-en-Provence",
        F,
        "19 cours Mirabeau",
        "13100",
        "Aix-en-Provence",
        "43.529700",
        "5.447400",
    ),
    _s("brest", "Ardoise Brest", F, "50 rue de Siam", "29200", "Brest", "48.390400", "-4.486100"),
    _s("tours", "Ardoise Tours", F, "55 rue Nationale", "37000", "Tours", "47.394100", "0.684800"),
    _s(
        "amiens",
        "Ardoise Amiens",
        F,
        "10 rue des Trois Cailloux",
        "80000",
        "Amiens",
        "49.894100",
        "2.295800",
    ),
    _s(
        "limoges",
        "Ardoise Limoges",
        F,
        "7 rue du Clocher",
        "87000",
        "Limoges",
        "45.833600",
        "1.261100",
    ),
    _s("annecy", "Ardoise Annecy", F, "2 rue Royale", "74000", "Annecy", "45.899200", "6.129400"),
    _s(
        "perpignan",
        "Ardoise Perpignan",
        F,
        "13 rue Louis Blanc",
        "66000",
        "Perpignan",
        "42.688700",
        "2.894800",
    ),
    _s("metz", "Ardoise Metz", F, "24 rue Serpenoise", "57000", "Metz", "49.119300", "6.175700"),
]


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


def trader_identity(store: DemoStore, index: int) -> dict:
    siren = luhn_complete(f"{81234000 + index * 137:08d}")
    company = "Ardoise Réseau SAS" if store.kind != F else f"SARL {store.city} Maison & Jardin"
    return {
        "company_name": company,
        "registration_number": f"RCS {store.city} {siren[:3]} {siren[3:6]} {siren[6:]}",
        "vat_number": french_vat_number(siren),
        "legal_address": f"{store.address_line}, {store.postal_code} {store.city}",
        "latitude": Decimal(store.latitude),
        "longitude": Decimal(store.longitude),
    }


# Opening hours: {"mon": [["09:00", "19:00"]], ..., "sun": []}, several ranges a day allowed.
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _week(open_days: list, *, monday=None, sunday=()) -> dict:
    hours = {day: [list(span) for span in open_days] for day in DAYS[:6]}
    if monday is not None:
        hours["mon"] = [list(span) for span in monday]
    hours["sun"] = [list(span) for span in sunday]
    return hours


HOURS_CITY_CENTRE = _week([("09:30", "19:30")])
HOURS_PARIS = _week([("10:00", "20:00")], sunday=[("10:00", "13:00")])
HOURS_LUNCH_BREAK = _week([("09:00", "12:30"), ("14:00", "19:00")], monday=[("14:00", "19:00")])
HOURS_SUNDAY_MORNING = _week([("09:00", "19:00")], sunday=[("09:00", "12:30")])
HOURS_WAREHOUSE = {
    **{day: [["07:00", "16:00"]] for day in DAYS[:5]},
    "sat": [],
    "sun": [],
}
FRANCHISE_HOURS = (HOURS_CITY_CENTRE, HOURS_LUNCH_BREAK, HOURS_SUNDAY_MORNING, HOURS_LUNCH_BREAK)

METROPOLES = {
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nice",
    "Nantes",
    "Strasbourg",
    "Montpellier",
    "Bordeaux",
    "Lille",
    "Villeurbanne",
}


def store_profile(store: DemoStore, index: int) -> dict:
    """Hours, services, catchment radius and daily capacity: varied the way a network's are."""
    if store.kind == W:
        return {
            "opening_hours": HOURS_WAREHOUSE,
            "offers_click_collect": False,
            "offers_ship_from_store": True,
            "offers_reserve_collect": False,
            "accepts_returns": True,  # the parcels of returns sent by post come here
            "catchment_radius_km": 0,
            "daily_capacity": 2000,
            "pickup_slot_minutes": None,
        }
    if store.city == "Paris":
        hours, radius, capacity = HOURS_PARIS, 4, 120
    elif store.city in METROPOLES:
        hours = HOURS_CITY_CENTRE if store.kind == B else HOURS_SUNDAY_MORNING
        radius, capacity = 8, 80 + index % 3 * 10
    else:
        hours = FRANCHISE_HOURS[index % len(FRANCHISE_HOURS)]
        radius, capacity = 20 + index % 3 * 5, 35 + index * 7 % 30
    return {
        "opening_hours": hours,
        "offers_click_collect": True,
        "offers_ship_from_store": index % 5 != 4,
        "offers_reserve_collect": index % 7 != 6,
        "accepts_returns": True,
        "catchment_radius_km": radius,
        "daily_capacity": capacity,
        # Busy city stores book pickups by half hour; the others take customers any time open.
        "pickup_slot_minutes": 30 if store.city == "Paris" or store.city in METROPOLES else None,
    }
