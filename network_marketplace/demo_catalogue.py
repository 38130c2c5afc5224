"""The demo catalogue of Ardoise, a French home, garden and DIY chain: categories, products,
variants and their illustrations, built from the product families below.

Everything here is plain data computed the same way on every run (no randomness), so the
demo loader can upsert it by slug and SKU. Prices are integer cents, VAT included.
VAT follows French law: 20 % by default, 10 % for horticultural products (plants, seeds,
bulbs, organic fertilisers) and livestock feed, 5.5 % for food and for books.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product as cartesian
from xml.sax.saxutils import escape

from django.utils.text import slugify

from catalog.models import VatRate
from catalog.validators import gs1_check_digit

GTIN_PREFIX = "376099"  # a made-up GS1 France company prefix: 376099 + 6-digit item + check
BIG_TICKET_CENTS = 25_000  # from this RRP on, HQ frames store prices per variant
BIG_TICKET_BOUNDS = (Decimal("92"), Decimal("102"))  # percent of RRP
DRAFT_EVERY = 45  # every 45th product is still a draft in the PIM

STANDARD, INTERMEDIATE, REDUCED = VatRate.STANDARD, VatRate.INTERMEDIATE, VatRate.REDUCED


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str
    parent: str | None
    position: int
    description: str = ""
    min_percent: Decimal | None = None
    max_percent: Decimal | None = None
    code: str = ""  # three letters, the SKU's family part (top categories)
    colour: str = ""  # the illustrations' tint (top categories)


@dataclass(frozen=True)
class DemoVariant:
    sku: str
    gtin: str
    options: dict
    rrp_cents: int
    min_price_cents: int | None
    max_price_cents: int | None
    position: int


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    name: str
    category: str
    brand: str
    description: str
    attributes: dict
    vat_rate: str
    status: str
    variants: tuple[DemoVariant, ...] = field(default_factory=tuple)


def _c(slug, name, parent, position, description="", bounds=None, code="", colour=""):
    low, high = (Decimal(bounds[0]), Decimal(bounds[1])) if bounds else (None, None)
    return DemoCategory(slug, name, parent, position, description, low, high, code, colour)


DEMO_CATEGORIES = [
    _c(
        "jardin",
        "Jardin",
        None,
        1,
        "Outils, plantes, arrosage et mobilier pour profiter du dehors.",
        ("85", "110"),
        "JAR",
        "#3f7d3a",
    ),
    _c("outils-de-jardin", "Outils de jardin", "jardin", 1),
    _c(
        "plantes",
        "Plantes",
        "jardin",
        2,
        "Plantes d'intérieur et d'extérieur, graines et bulbes.",
        ("80", "120"),
    ),
    _c("terreaux-engrais", "Terreaux & engrais", "jardin", 3),
    _c("arrosage", "Arrosage", "jardin", 4),
    _c("mobilier-de-jardin", "Mobilier de jardin", "jardin", 5),
    _c("barbecue-plancha", "Barbecue & plancha", "jardin", 6),
    _c(
        "bricolage",
        "Bricolage",
        None,
        2,
        "L'outillage et la quincaillerie des bricoleurs.",
        ("85", "110"),
        "BRI",
        "#c8641e",
    ),
    _c("outillage-electroportatif", "Outillage électroportatif", "bricolage", 1, "", ("90", "108")),
    _c("outillage-a-main", "Outillage à main", "bricolage", 2),
    _c("quincaillerie", "Quincaillerie", "bricolage", 3),
    _c("electricite", "Électricité", "bricolage", 4),
    _c(
        "maison",
        "Maison",
        None,
        3,
        "Luminaires, rangement et linge pour toute la maison.",
        ("80", "115"),
        "MAI",
        "#5b6e9c",
    ),
    _c("luminaires", "Luminaires", "maison", 1),
    _c("rangement", "Rangement", "maison", 2),
    _c("linge-de-maison", "Linge de maison", "maison", 3),
    _c(
        "livres-pratiques",
        "Livres pratiques",
        "maison",
        4,
        "Prix unique du livre : 5 % de remise au plus sur le prix de l'éditeur.",
        ("95", "100"),
    ),
    _c(
        "cuisine",
        "Cuisine",
        None,
        4,
        "Ustensiles, cuisson, petit électroménager et épicerie fine.",
        ("85", "110"),
        "CUI",
        "#b3403a",
    ),
    _c("ustensiles", "Ustensiles de cuisine", "cuisine", 1),
    _c("cuisson", "Cuisson", "cuisine", 2),
    _c("petit-electromenager", "Petit électroménager", "cuisine", 3, "", ("90", "105")),
    _c("art-de-la-table", "Art de la table", "cuisine", 4),
    _c("epicerie-fine", "Épicerie fine", "cuisine", 5, "Produits de nos régions.", ("95", "105")),
    _c(
        "decoration",
        "Décoration",
        None,
        5,
        "Miroirs, bougies, textiles et vases.",
        ("75", "120"),
        "DEC",
        "#9a5b8c",
    ),
    _c("miroirs-cadres", "Miroirs & cadres", "decoration", 1),
    _c("bougies-senteurs", "Bougies & senteurs", "decoration", 2),
    _c("textiles-deco", "Textiles déco", "decoration", 3),
    _c("vases-cache-pots", "Vases & cache-pots", "decoration", 4),
    _c(
        "peinture",
        "Peinture",
        None,
        6,
        "Peintures, lasures et outils du peintre.",
        ("90", "110"),
        "PEI",
        "#2f8c8c",
    ),
    _c("peintures-interieures", "Peintures intérieures", "peinture", 1),
    _c("peintures-exterieures", "Peintures extérieures & lasures", "peinture", 2),
    _c("outils-du-peintre", "Outils du peintre", "peinture", 3),
    _c(
        "salle-de-bain",
        "Salle de bain",
        None,
        7,
        "Robinetterie, meubles et accessoires.",
        ("85", "110"),
        "SDB",
        "#2d72b8",
    ),
    _c("robinetterie", "Robinetterie", "salle-de-bain", 1),
    _c("accessoires-salle-de-bain", "Accessoires de salle de bain", "salle-de-bain", 2),
    _c("meubles-salle-de-bain", "Meubles de salle de bain", "salle-de-bain", 3),
    _c(
        "animalerie",
        "Animalerie",
        None,
        8,
        "Tout pour les chiens, les chats et la basse-cour.",
        ("90", "105"),
        "ANI",
        "#8c6b2f",
    ),
    _c("chiens", "Chiens", "animalerie", 1),
    _c("chats", "Chats", "animalerie", 2),
    _c("basse-cour-oiseaux", "Basse-cour & oiseaux", "animalerie", 3),
]


@dataclass(frozen=True)
class _Family:
    """Products sharing a name, a description and attributes: one per model, each with the
    cartesian product of the axes as variants (at most 6)."""

    category: str
    name: str
    brands: tuple[str, ...]
    rrp_euros: float
    models: tuple[str, ...]
    axes: tuple[tuple[str, tuple[str, ...]], ...]
    description: str
    attributes: dict
    vat_rate: str


def _f(category, name, brands, rrp, models, description, attributes, axes=(), vat=STANDARD):
    """`models` and axis values are "label" or "label*price factor"."""
    brands = tuple(brands.split(", "))
    return _Family(
        category, name, brands, rrp, tuple(models), tuple(axes), description, attributes, vat
    )


def _factor(spec: str) -> tuple[str, float]:
    label, _, factor = spec.partition("*")
    return label, float(factor) if factor else 1.0


FAMILIES = [
    # Jardin
    _f(
        "outils-de-jardin",
        "Sécateur",
        "Forgeval, Verdane",
        19.9,
        [
            "à lame franche",
            "à enclume*1.05",
            "à poignée rotative*1.4",
            "de précision pour fleurs*0.8",
        ],
        "{name} pour une coupe nette des tiges vertes jusqu'à 20 mm. Lame traitée antiadhérente, "
        "ressort inox et verrouillage d'une main.",
        {
            "Matière de la lame": "Acier au carbone",
            "Longueur": "21 cm",
            "Poids": "230 g",
            "Garantie": "10 ans",
        },
    ),
    _f(
        "outils-de-jardin",
        "Bêche",
        "Forgeval",
        29.9,
        ["de jardinier", "à dents*1.1", "de pépiniériste*1.2"],
        "{name} forgée d'une seule pièce, à la douille renforcée, pour retourner une terre lourde "
        "sans fatiguer.",
        {"Matière": "Acier forgé", "Longueur": "110 cm", "Poids": "2,1 kg"},
        [("Manche", ("Frêne", "Fibre de verre*1.3"))],
    ),
    _f(
        "outils-de-jardin",
        "Râteau",
        "Verdane, Forgeval",
        14.9,
        ["à gazon", "à feuilles réglable*1.2", "de jardin 14 dents*0.9"],
        "{name} léger et équilibré, manche en bois certifié FSC.",
        {"Matière": "Acier et frêne", "Longueur": "150 cm", "Poids": "1,1 kg"},
    ),
    _f(
        "outils-de-jardin",
        "Taille-haie",
        "Voltis, Verdane",
        24.9,
        ["manuel à lames ondulées", "électrique 600 W*3", "sans fil 18 V*4.5"],
        "{name} pour tailler haies et arbustes ; lames affûtées au laser pour une coupe franche.",
        {"Longueur de coupe": "55 cm", "Écartement des dents": "20 mm", "Poids": "2,8 kg"},
    ),
    _f(
        "outils-de-jardin",
        "Gants de jardinage",
        "Verdane",
        9.9,
        ["en cuir*1.3", "enduits nitrile*0.6", "anti-épines*1.5"],
        "{name} : bonne préhension, dos aéré, poignet élastique. Lavables à 30 °C.",
        {"Norme": "EN 388", "Matière": "Cuir et coton"},
        [("Taille", ("7 - S", "8 - M", "9 - L", "10 - XL"))],
    ),
    _f(
        "outils-de-jardin",
        "Brouette",
        "Jardin d'Oc",
        69.9,
        ["cuve acier 100 L", "bi-roue 120 L*1.5", "pliable 90 L*0.9"],
        "{name} montée sur roue gonflable, châssis tubulaire galvanisé, charge utile 150 kg.",
        {"Charge maximale": "150 kg", "Roue": "Gonflable 400 mm", "Poids": "14 kg"},
    ),
    _f(
        "outils-de-jardin",
        "Tondeuse",
        "Voltis, Ardoise Pro",
        99.9,
        [
            "hélicoïdale manuelle",
            "électrique 1 400 W*1.6",
            "sans fil 36 V*3.5",
            "thermique tractée*4.5",
        ],
        "{name} avec réglage centralisé de la hauteur de coupe et bac de ramassage.",
        {
            "Largeur de coupe": "38 cm",
            "Hauteur de coupe": "20 à 70 mm",
            "Surface conseillée": "400 m²",
        },
    ),
    _f(
        "outils-de-jardin",
        "Binette",
        "Forgeval",
        12.9,
        ["à lame forgée", "serfouette 2 dents*0.9", "à manche long*1.3"],
        "{name} pour désherber et aérer le sol entre les rangs du potager.",
        {"Matière": "Acier forgé et frêne", "Longueur": "140 cm"},
    ),
    _f(
        "outils-de-jardin",
        "Coupe-branches",
        "Forgeval, Verdane",
        34.9,
        ["à crémaillère", "télescopique*1.6", "à enclume 70 cm*1.2"],
        "{name} : coupe jusqu'à 45 mm de diamètre avec un effort réduit.",
        {"Capacité de coupe": "45 mm", "Poids": "1,3 kg", "Garantie": "5 ans"},
    ),
    _f(
        "plantes",
        "Olivier",
        "Pépinières du Val",
        29.9,
        ["en pot", "tige*2.2"],
        "{name} rustique jusqu'à -12 °C, cultivé en France. Plein soleil, arrosage modéré.",
        {"Exposition": "Plein soleil", "Rusticité": "-12 °C", "Origine": "Provence"},
        [("Hauteur", ("60 cm", "1 m*1.8", "1,5 m*3.2"))],
        INTERMEDIATE,
    ),
    _f(
        "plantes",
        "Lavande",
        "Pépinières du Val",
        3.99,
        ["vraie", "papillon*1.1", "Hidcote"],
        "{name}, mellifère et parfumée, idéale en bordure ou en pot au soleil.",
        {"Exposition": "Plein soleil", "Floraison": "Juin à août", "Rusticité": "-15 °C"},
        [("Conditionnement", ("Godet 9 cm", "Pot 2 L*2.5"))],
        INTERMEDIATE,
    ),
    _f(
        "plantes",
        "Rosier",
        "Roseraie Delval",
        11.9,
        ["buisson rouge", "grimpant blanc*1.2", "liane parfumé*1.3", "miniature rose*0.7"],
        "{name}, remontant et résistant aux maladies. Floraison de mai aux gelées.",
        {"Exposition": "Soleil", "Floraison": "Mai à octobre", "Parfum": "Léger"},
        [("Conditionnement", ("Racines nues", "Pot 4 L*1.8"))],
        INTERMEDIATE,
    ),
    _f(
        "plantes",
        "",
        "Pépinières du Val",
        9.9,
        [
            "Monstera deliciosa*1.3",
            "Ficus lyrata*1.4",
            "Pothos doré*0.8",
            "Calathea orbifolia*1.1",
            "Sansevieria trifasciata",
            "Kentia*1.5",
        ],
        "{name}, plante d'intérieur facile à vivre, livrée dans son pot de culture.",
        {"Exposition": "Lumière indirecte", "Arrosage": "Hebdomadaire", "Toxicité": "Animaux"},
        [("Pot", ("Ø 12 cm", "Ø 17 cm*1.9", "Ø 24 cm*3.5"))],
        INTERMEDIATE,
    ),
    _f(
        "plantes",
        "Graines de",
        "Semences de Loire",
        2.49,
        [
            "tomate cœur de bœuf",
            "courgette verte",
            "carotte nantaise",
            "radis de 18 jours*0.9",
            "basilic grand vert",
            "haricot nain*1.2",
        ],
        "{name} issues de l'agriculture biologique, à semer au printemps.",
        {"Agriculture": "Biologique", "Contenance": "1 sachet", "Semis": "Mars à mai"},
        vat=INTERMEDIATE,
    ),
    _f(
        "plantes",
        "Bulbes de",
        "Semences de Loire",
        4.95,
        ["tulipes mélange", "narcisses", "dahlias*1.6", "crocus*0.8"],
        "{name}, calibre 12/+, pour un jardin fleuri dès la fin de l'hiver.",
        {"Calibre": "12/+", "Plantation": "Septembre à novembre"},
        [("Quantité", ("Sachet de 10", "Sachet de 25*2.1", "Sachet de 50*3.8"))],
        INTERMEDIATE,
    ),
    _f(
        "terreaux-engrais",
        "Terreau",
        "Terre & Sens",
        8.9,
        [
            "universel",
            "pour agrumes et plantes méditerranéennes*1.2",
            "pour semis*1.1",
            "pour plantes d'intérieur*1.15",
        ],
        "{name} enrichi en matière organique, sans tourbe.",
        {"Composition": "Compost végétal, fibre de bois", "Tourbe": "0 %"},
        [("Sac", ("20 L", "40 L*1.7"))],
    ),
    _f(
        "terreaux-engrais",
        "Engrais",
        "Terre & Sens",
        9.9,
        ["organique potager", "corne broyée", "sang séché*1.1", "rosiers et fleurs*1.05"],
        "{name} utilisable en agriculture biologique, action lente et progressive.",
        {"Utilisable en agriculture biologique": "Oui", "Dose": "100 g/m²"},
        [("Poids", ("1,5 kg", "5 kg*2.6"))],
        INTERMEDIATE,
    ),
    _f(
        "terreaux-engrais",
        "Paillage",
        "Terre & Sens",
        12.9,
        ["d'écorces de pin", "de chanvre*1.3", "de lin*1.2"],
        "{name} qui garde l'humidité du sol et limite les herbes indésirables.",
        {"Volume": "50 L", "Durée": "1 à 2 ans"},
    ),
    _f(
        "arrosage",
        "Tuyau d'arrosage",
        "Hydrolis",
        19.9,
        ["anti-torsion Ø 15 mm", "renforcé 4 couches Ø 19 mm*1.4", "extensible*1.1"],
        "{name}, souple et résistant aux UV, garanti sans phtalates.",
        {"Matière": "PVC tricoté", "Pression d'éclatement": "24 bars"},
        [("Longueur", ("15 m", "25 m*1.5", "50 m*2.6"))],
    ),
    _f(
        "arrosage",
        "Arrosoir",
        "Hydrolis, Jardin d'Oc",
        24.9,
        ["en zinc", "en plastique recyclé*0.4", "d'intérieur à long bec*0.6"],
        "{name} avec pomme amovible, pour le jardin, le balcon ou les plantes vertes.",
        {"Pomme": "Amovible"},
        [("Contenance", ("5 L", "10 L*1.4"))],
    ),
    _f(
        "arrosage",
        "Pistolet d'arrosage",
        "Hydrolis",
        9.9,
        ["7 jets", "ergonomique réglable*1.2", "métal à gâchette*1.4"],
        "{name}, raccord rapide universel, gâchette verrouillable.",
        {"Raccord": "Universel", "Matière": "ABS et aluminium"},
    ),
    _f(
        "arrosage",
        "Enrouleur de tuyau",
        "Hydrolis",
        34.9,
        ["mural", "sur chariot*1.6", "automatique 30 m*3.5"],
        "{name} livré avec raccords, pour ranger proprement jusqu'à 50 m de tuyau.",
        {"Capacité": "50 m de Ø 15 mm", "Matière": "Polypropylène"},
    ),
    _f(
        "arrosage",
        "Programmateur d'arrosage",
        "Hydrolis",
        39.9,
        ["à piles 1 voie", "2 voies*1.6", "connecté Wi-Fi*2.7"],
        "{name} : jusqu'à 4 arrosages par jour, mode pluie et arrêt manuel.",
        {"Alimentation": "2 piles AA", "Étanchéité": "IPX5"},
    ),
    _f(
        "arrosage",
        "Récupérateur d'eau de pluie",
        "Jardin d'Oc",
        79.9,
        ["mural", "aspect bois*1.3", "cylindrique*0.8"],
        "{name} avec robinet en laiton et kit de raccordement à la gouttière.",
        {"Matière": "Polyéthylène traité anti-UV", "Robinet": "Laiton"},
        [("Capacité", ("300 L", "500 L*1.5", "1 000 L*2.6"))],
    ),
    _f(
        "arrosage",
        "Arroseur",
        "Hydrolis",
        14.9,
        ["oscillant", "rotatif 3 bras*0.8", "canon*1.5"],
        "{name} réglable pour arroser pelouses et massifs jusqu'à 200 m².",
        {"Surface arrosée": "Jusqu'à 200 m²"},
    ),
    _f(
        "mobilier-de-jardin",
        "Salon de jardin",
        "Riviera Outdoor",
        399,
        ["Porto 4 places", "Capri 6 places*1.5", "bas Riviera*1.8"],
        "{name} en aluminium et résine tressée, coussins déhoussables inclus.",
        {"Matière": "Aluminium, résine tressée", "Coussins": "Déhoussables"},
        [("Couleur", ("Anthracite", "Sable"))],
    ),
    _f(
        "mobilier-de-jardin",
        "Chaise de jardin",
        "Riviera Outdoor, Atelier Solène",
        34.9,
        ["empilable", "pliante en teck*1.8", "bistrot en métal*1.2"],
        "{name}, stable et résistante aux intempéries.",
        {"Charge maximale": "110 kg"},
        [("Couleur", ("Vert olive", "Gris", "Terracotta"))],
    ),
    _f(
        "mobilier-de-jardin",
        "Table de jardin",
        "Riviera Outdoor",
        249,
        ["rectangulaire 6 personnes", "ronde 4 personnes*0.7", "extensible 8 à 10 personnes*1.9"],
        "{name}, plateau en lames d'aluminium, pieds réglables.",
        {"Matière": "Aluminium traité époxy", "Entretien": "Eau savonneuse"},
    ),
    _f(
        "mobilier-de-jardin",
        "Parasol",
        "Riviera Outdoor",
        59.9,
        ["droit 3 m", "déporté 3 x 3 m*2.1", "de balcon*0.5"],
        "{name}, toile en polyester 180 g/m² traitée anti-UV, mât en aluminium.",
        {"Toile": "Polyester 180 g/m²", "Indice UV": "UPF 50+"},
        [("Couleur", ("Écru", "Taupe", "Bleu canard"))],
    ),
    _f(
        "mobilier-de-jardin",
        "",
        "Riviera Outdoor, Atelier Solène",
        79.9,
        [
            "Bain de soleil réglable",
            "Transat pliant en bois*0.5",
            "Hamac avec support*1.6",
            "Balancelle 3 places*3.2",
        ],
        "{name}, pour se prélasser au jardin tout l'été.",
        {"Charge maximale": "120 kg", "Matière": "Aluminium et textilène"},
    ),
    _f(
        "mobilier-de-jardin",
        "Coussin d'extérieur",
        "Atelier Solène",
        19.9,
        ["de chaise", "de bain de soleil*2.5", "de palette*2"],
        "{name} déperlant, housse déhoussable lavable à 30 °C.",
        {"Garnissage": "Mousse", "Housse": "Polyester déperlant"},
        [("Couleur", ("Écru", "Terracotta", "Anthracite"))],
    ),
    _f(
        "barbecue-plancha",
        "Barbecue charbon",
        "Braise & Co",
        149,
        ["kettle Ø 57 cm", "sur chariot*1.3", "de table*0.3"],
        "{name} avec grille en acier chromé et cendrier amovible.",
        {"Surface de cuisson": "57 cm", "Combustible": "Charbon de bois"},
    ),
    _f(
        "barbecue-plancha",
        "Barbecue gaz",
        "Braise & Co",
        399,
        ["3 brûleurs", "4 brûleurs avec feu latéral*1.5", "compact 2 brûleurs*0.7"],
        "{name}, allumage piézo, thermomètre dans le couvercle, grilles en fonte émaillée.",
        {"Puissance": "9,6 kW", "Gaz": "Butane et propane"},
    ),
    _f(
        "barbecue-plancha",
        "Plancha",
        "Braise & Co",
        299,
        ["gaz 2 brûleurs", "électrique 2 500 W*0.7", "gaz inox 3 brûleurs*1.6"],
        "{name} à plaque en acier émaillé, bac récupérateur de graisses.",
        {"Plaque": "Acier émaillé", "Surface de cuisson": "60 x 40 cm"},
    ),
    _f(
        "barbecue-plancha",
        "",
        "Braise & Co",
        14.9,
        [
            "Housse de barbecue",
            "Set d'ustensiles barbecue 3 pièces*1.6",
            "Brosse de nettoyage pour grill*0.7",
            "Allume-feu naturel 64 cubes*0.35",
            "Charbon de bois 10 kg*0.9",
        ],
        "{name}, l'accessoire indispensable des grillades.",
        {"Usage": "Barbecue et plancha"},
    ),
    # Bricolage
    _f(
        "outillage-electroportatif",
        "Perceuse-visseuse sans fil",
        "Voltis, Ardoise Pro",
        79.9,
        ["12 V", "18 V avec 2 batteries*1.8", "18 V brushless*2.4"],
        "{name} : 2 vitesses, mandrin automatique et éclairage LED ; livrée en coffret.",
        {"Couple maximal": "45 Nm", "Mandrin": "10 mm", "Poids": "1,3 kg", "Garantie": "3 ans"},
    ),
    _f(
        "outillage-electroportatif",
        "Perforateur",
        "Voltis, Ardoise Pro",
        99.9,
        ["SDS+ 800 W", "SDS+ sans fil 18 V*1.7", "burineur 1 050 W*1.5"],
        "{name} pour percer béton et maçonnerie, fonction burinage et butée de profondeur.",
        {"Énergie de frappe": "2,7 J", "Emmanchement": "SDS+", "Poids": "2,9 kg"},
    ),
    _f(
        "outillage-electroportatif",
        "Scie sauteuse",
        "Voltis",
        69.9,
        ["pendulaire 650 W", "sans fil 18 V*1.4", "750 W avec guide laser*1.2"],
        "{name} : mouvement pendulaire à 4 positions, changement de lame sans outil.",
        {"Profondeur de coupe bois": "85 mm", "Inclinaison": "0 à 45°"},
    ),
    _f(
        "outillage-electroportatif",
        "Scie circulaire",
        "Voltis, Ardoise Pro",
        99.9,
        ["1 400 W Ø 190 mm", "plongeante 1 200 W*2", "sans fil 18 V*1.4"],
        "{name} avec lame carbure 24 dents et guide parallèle.",
        {"Profondeur de coupe": "65 mm", "Lame": "Ø 190 mm"},
    ),
    _f(
        "outillage-electroportatif",
        "Ponceuse",
        "Voltis",
        59.9,
        ["orbitale 240 W", "excentrique 400 W*1.4", "triangulaire 150 W*0.7", "à bande 900 W*1.6"],
        "{name} avec aspiration intégrée et sac à poussière.",
        {"Aspiration": "Intégrée", "Abrasifs": "Fixation auto-agrippante"},
    ),
    _f(
        "outillage-electroportatif",
        "Meuleuse d'angle",
        "Voltis, Ardoise Pro",
        49.9,
        ["Ø 125 mm 900 W", "Ø 230 mm 2 200 W*1.8", "sans fil 18 V*1.5"],
        "{name} avec poignée latérale et carter de protection réglable.",
        {"Vitesse à vide": "11 000 tr/min", "Filetage": "M14"},
    ),
    _f(
        "outillage-electroportatif",
        "Batterie 18 V lithium-ion",
        "Voltis",
        49.9,
        ["compatible gamme Voltis"],
        "{name}, indicateur de charge intégré.",
        {"Tension": "18 V", "Technologie": "Lithium-ion"},
        [("Capacité", ("2 Ah", "4 Ah*1.6", "5 Ah*1.9"))],
    ),
    _f(
        "outillage-electroportatif",
        "",
        "Voltis",
        39.9,
        [
            "Outil multifonction oscillant 300 W*1.5",
            "Décapeur thermique 2 000 W",
            "Pistolet à colle 80 W*0.5",
            "Aspirateur eau et poussière 20 L*2.2",
            "Chargeur rapide 18 V*0.9",
        ],
        "{name}, pour tous les travaux de l'atelier.",
        {"Garantie": "3 ans"},
    ),
    _f(
        "outillage-a-main",
        "Marteau",
        "Forgeval",
        14.9,
        ["de menuisier", "de coffreur*1.2", "arrache-clou*1.1"],
        "{name}, tête forgée et manche en fibre de verre anti-vibrations.",
        {"Manche": "Fibre de verre"},
        [("Poids", ("300 g", "500 g*1.25"))],
    ),
    _f(
        "outillage-a-main",
        "Jeu de tournevis",
        "Forgeval, Ardoise Pro",
        14.9,
        ["6 pièces", "isolés 1 000 V 7 pièces*1.8", "de précision 12 pièces*0.9"],
        "{name}, lames en acier chrome-vanadium, poignées bi-matière.",
        {"Matière": "Chrome-vanadium", "Embouts": "Plats et cruciformes"},
    ),
    _f(
        "outillage-a-main",
        "",
        "Forgeval",
        24.9,
        [
            "Jeu de clés mixtes 12 pièces",
            "Clé à molette 250 mm*0.6",
            "Coffret de douilles 94 pièces*3.2",
            "Jeu de clés Allen 9 pièces*0.5",
        ],
        "{name} en acier chrome-vanadium, finition satinée.",
        {"Matière": "Chrome-vanadium"},
    ),
    _f(
        "outillage-a-main",
        "Niveau",
        "Forgeval, Ardoise Pro",
        14.9,
        ["à bulle 60 cm", "à bulle 120 cm*1.6", "laser en croix*3.5"],
        "{name} de précision ±0,5 mm/m, profil aluminium.",
        {"Précision": "±0,5 mm/m"},
    ),
    _f(
        "outillage-a-main",
        "",
        "Ardoise Pro",
        9.9,
        ["Mètre ruban 5 m", "Mètre ruban 8 m*1.4", "Télémètre laser 40 m*4"],
        "{name} avec blocage et clip ceinture.",
        {"Classe de précision": "II"},
    ),
    _f(
        "outillage-a-main",
        "Scie",
        "Forgeval",
        19.9,
        ["égoïne coupe fine 500 mm", "à métaux*0.9", "japonaise*1.6"],
        "{name} à denture trempée, pour des coupes propres et rapides.",
        {"Denture": "Trempée", "Poignée": "Bi-matière"},
    ),
    _f(
        "outillage-a-main",
        "",
        "Ardoise Pro",
        24.9,
        [
            "Caisse à outils 58 cm",
            "Servante d'atelier 7 tiroirs*8",
            "Organiseur 20 compartiments*0.6",
        ],
        "{name}, robuste et bien compartimentée.",
        {"Matière": "Polypropylène et acier"},
    ),
    _f(
        "outillage-a-main",
        "Pince",
        "Forgeval",
        12.9,
        ["multiprise", "coupante diagonale", "universelle", "à dénuder*1.2"],
        "{name} en acier forgé, poignées gainées.",
        {"Longueur": "180 mm"},
    ),
    _f(
        "quincaillerie",
        "Vis à bois",
        "Fixtor",
        6.9,
        ["tête fraisée Pozi", "inox A2*1.8", "pour terrasse*1.5"],
        "{name}, pointe auto-perceuse et filetage partiel.",
        {"Empreinte": "Pozidriv"},
        [
            (
                "Dimensions",
                (
                    "4 x 30 mm, boîte de 200",
                    "5 x 50 mm, boîte de 100*1.2",
                    "6 x 80 mm, boîte de 50*1.4",
                ),
            )
        ],
    ),
    _f(
        "quincaillerie",
        "Chevilles",
        "Fixtor",
        4.9,
        ["universelles", "à expansion métal*1.5", "pour plaque de plâtre*1.3"],
        "{name} pour tous supports, livrées avec vis.",
        {"Supports": "Plein, creux"},
        [("Diamètre", ("Ø 6 mm, boîte de 100", "Ø 8 mm, boîte de 50*1.1"))],
    ),
    _f(
        "quincaillerie",
        "Cadenas",
        "Fixtor",
        8.9,
        ["laiton 40 mm", "à code 4 chiffres*1.2", "à anse longue*1.3"],
        "{name}, anse en acier cémenté, livré avec 2 clés.",
        {"Anse": "Acier cémenté"},
    ),
    _f(
        "quincaillerie",
        "",
        "Fixtor",
        29.9,
        [
            "Serrure en applique 3 points*3",
            "Cylindre de serrure 30 x 30 mm",
            "Verrou à bouton*0.4",
            "Ferme-porte hydraulique*1.5",
        ],
        "{name}, finition laiton ou nickelée.",
        {"Norme": "EN 1303"},
    ),
    _f(
        "quincaillerie",
        "Poignée de porte",
        "Maison Morel",
        24.9,
        ["sur rosace", "sur plaque à clé*0.9", "de fenêtre*0.5"],
        "{name}, fixation invisible, fournie avec carré et vis.",
        {"Carré": "7 mm"},
        [("Finition", ("Inox brossé", "Noir mat*1.1", "Laiton vieilli*1.2"))],
    ),
    _f(
        "quincaillerie",
        "",
        "Fixtor",
        5.9,
        [
            "Lot de 4 équerres d'assemblage",
            "Charnières invisibles (lot de 2)*1.3",
            "Crochets S galvanisés (lot de 10)*0.6",
            "Roulettes pivotantes (lot de 4)*2.2",
        ],
        "{name}, acier zingué résistant à la corrosion.",
        {"Matière": "Acier zingué"},
    ),
    _f(
        "quincaillerie",
        "",
        "Fixtor",
        7.9,
        [
            "Colle à bois vinylique",
            "Mastic-colle de fixation*1.2",
            "Mastic sanitaire*0.9",
            "Colle néoprène*1.1",
        ],
        "{name}, prise rapide, pour intérieur et extérieur abrité.",
        {"Temps de prise": "20 min"},
        [("Contenance", ("250 g", "750 g*2.2"))],
    ),
    _f(
        "electricite",
        "Ampoule LED",
        "Lumeo",
        4.99,
        ["standard E27", "flamme E14*0.9", "spot GU10*0.8", "filament vintage E27*1.5"],
        "{name}, lumière blanc chaud 2 700 K, durée de vie 15 000 heures.",
        {
            "Température de couleur": "2 700 K",
            "Durée de vie": "15 000 h",
            "Classe énergétique": "E",
        },
        [("Flux lumineux", ("806 lm (60 W)", "1 521 lm (100 W)*1.5"))],
    ),
    _f(
        "electricite",
        "",
        "Lumeo",
        12.9,
        [
            "Multiprise 4 prises",
            "Multiprise parafoudre 6 prises avec USB*2",
            "Enrouleur électrique 25 m*4",
            "Rallonge 5 m*0.7",
        ],
        "{name}, conforme à la norme NF, avec interrupteur et protection enfant.",
        {"Norme": "NF", "Section": "3 x 1,5 mm²"},
    ),
    _f(
        "electricite",
        "Interrupteur",
        "Lumeo",
        6.9,
        ["va-et-vient", "double*1.3", "variateur*2.5"],
        "{name} à encastrer, fixation par griffes ou vis.",
        {"Intensité": "10 A"},
        [("Couleur", ("Blanc", "Anthracite*1.2"))],
    ),
    _f(
        "electricite",
        "Détecteur",
        "Lumeo",
        19.9,
        ["de fumée autonome 10 ans", "de fumée connecté*3", "de monoxyde de carbone*1.4"],
        "{name}, alarme 85 dB, bouton test.",
        {"Norme": "EN 14604", "Alarme": "85 dB"},
    ),
    # Maison
    _f(
        "luminaires",
        "Suspension",
        "Lumen & Co",
        49.9,
        [
            "en rotin Ø 40 cm",
            "métal noir industrielle*1.2",
            "en verre fumé*1.4",
            "en lin naturel*0.9",
        ],
        "{name}, câble textile réglable, pour ampoule E27.",
        {"Culot": "E27", "Hauteur du câble": "Réglable jusqu'à 120 cm"},
    ),
    _f(
        "luminaires",
        "Lampe à poser",
        "Lumen & Co",
        39.9,
        ["en céramique", "en laiton*1.6", "de chevet tactile*0.7"],
        "{name}, abat-jour en lin, interrupteur sur le câble.",
        {"Culot": "E14"},
        [("Couleur", ("Blanc", "Vert sauge", "Terracotta"))],
    ),
    _f(
        "luminaires",
        "Lampadaire",
        "Lumen & Co",
        89.9,
        ["arc*2", "trépied en bois", "liseuse*0.8"],
        "{name}, interrupteur au pied, pour ampoule E27.",
        {"Hauteur": "160 cm", "Culot": "E27"},
    ),
    _f(
        "luminaires",
        "Applique murale",
        "Lumen & Co",
        29.9,
        ["orientable", "d'extérieur IP44*1.2", "en plâtre à peindre*0.7"],
        "{name}, fixation murale fournie.",
        {"Culot": "GU10"},
    ),
    _f(
        "luminaires",
        "Guirlande lumineuse",
        "Lumen & Co",
        29.9,
        ["guinguette 10 m", "micro-LED 5 m*0.5", "solaire 20 LED*0.7"],
        "{name} pour le jardin, la terrasse ou le salon.",
        {"Usage": "Intérieur et extérieur"},
    ),
    _f(
        "rangement",
        "Étagère",
        "Rangéo",
        59.9,
        ["5 niveaux en métal", "murale en chêne*0.7", "échelle en bambou*0.9", "cube 9 cases*1.3"],
        "{name}, montage simple, charge de 30 kg par niveau.",
        {"Charge par niveau": "30 kg"},
    ),
    _f(
        "rangement",
        "Boîte de rangement",
        "Rangéo",
        6.9,
        ["en plastique avec couvercle", "en tissu pliable*0.8", "en bambou*1.3"],
        "{name}, empilable et facile à étiqueter.",
        {"Empilable": "Oui"},
        [("Contenance", ("15 L", "30 L*1.4", "50 L*1.9"))],
    ),
    _f(
        "rangement",
        "Panier",
        "Rangéo, Atelier Solène",
        14.9,
        ["en jacinthe d'eau", "en corde de coton*0.8", "en osier avec anses*1.2"],
        "{name} tressé à la main.",
        {"Fabrication": "Tressé main"},
        [("Taille", ("S", "M*1.3", "L*1.7"))],
    ),
    _f(
        "rangement",
        "",
        "Rangéo",
        29.9,
        [
            "Portant à vêtements en métal",
            "Armoire penderie en tissu*1.3",
            "Meuble à chaussures 3 niveaux*1.2",
            "Porte-manteau sur pied*1.1",
            "Patère murale 5 crochets*0.5",
        ],
        "{name}, pour une entrée et des chambres bien rangées.",
        {"Montage": "Sans outil"},
    ),
    _f(
        "linge-de-maison",
        "Housse de couette",
        "Toile & Fil",
        39.9,
        ["en percale de coton", "en lin lavé*1.8", "en gaze de coton*1.2"],
        "{name}, fermeture par boutons, certifiée Oeko-Tex.",
        {"Label": "Oeko-Tex Standard 100"},
        [("Dimensions", ("140 x 200 cm", "220 x 240 cm*1.3", "260 x 240 cm*1.5"))],
    ),
    _f(
        "linge-de-maison",
        "Drap housse",
        "Toile & Fil",
        24.9,
        ["en coton bio", "en lin*1.7", "en jersey extensible*0.8"],
        "{name}, bonnet de 30 cm, élastique sur tout le tour.",
        {"Bonnet": "30 cm"},
        [
            (
                "Dimensions",
                ("90 x 190 cm", "140 x 190 cm*1.2", "160 x 200 cm*1.35", "180 x 200 cm*1.5"),
            )
        ],
    ),
    _f(
        "linge-de-maison",
        "Serviette de bain",
        "Toile & Fil",
        12.9,
        ["en coton bouclette 500 g/m²", "nid d'abeille*0.9", "fouta*0.8"],
        "{name}, douce et absorbante, lavable à 60 °C.",
        {"Grammage": "500 g/m²"},
        [("Couleur", ("Blanc", "Gris perle", "Vert sauge"))],
    ),
    _f(
        "linge-de-maison",
        "Plaid",
        "Toile & Fil",
        39.9,
        ["en laine*1.5", "en polaire*0.5", "en coton tricoté"],
        "{name} pour les soirées au coin du feu.",
        {"Dimensions": "130 x 170 cm"},
    ),
    _f(
        "linge-de-maison",
        "",
        "Toile & Fil",
        49.9,
        ["Couette tempérée", "Couette en duvet*2.2", "Oreiller mémoire de forme*0.6"],
        "{name}, garnissage hypoallergénique, lavable en machine.",
        {"Entretien": "Lavable à 40 °C"},
        [("Dimensions", ("140 x 200 cm", "240 x 260 cm*1.5"))],
    ),
    _f(
        "linge-de-maison",
        "Nappe",
        "Toile & Fil",
        24.9,
        ["enduite anti-taches", "en lin*1.8", "ronde*0.9"],
        "{name} pour les repas de famille.",
        {"Entretien": "Lavable à 40 °C"},
        [("Dimensions", ("150 x 250 cm", "150 x 300 cm*1.2"))],
    ),
    _f(
        "livres-pratiques",
        "",
        "Éditions du Potager",
        19.9,
        [
            "Le potager en carrés",
            "Tailler les arbres fruitiers*1.2",
            "Le grand livre du bricolage*1.5",
            "Cuisiner à la plancha*0.8",
            "Un jardin sans arrosage*1.1",
        ],
        "{name} : un guide pas à pas, illustré de photos et de schémas.",
        {"Pages": "192", "Format": "19 x 24 cm", "Reliure": "Broché"},
        vat=REDUCED,
    ),
    # Cuisine
    _f(
        "ustensiles",
        "Couteau",
        "Coutellerie Vernet",
        39.9,
        ["de chef 20 cm", "d'office 9 cm*0.4", "à pain 23 cm*0.8", "santoku 17 cm*1.1"],
        "{name} forgé à Thiers, lame en acier inoxydable, manche en bois d'olivier.",
        {"Lame": "Acier inoxydable X50CrMoV15", "Fabrication": "Thiers"},
    ),
    _f(
        "ustensiles",
        "Planche à découper",
        "Cuisine Atelier",
        19.9,
        ["en hêtre", "en bambou*0.8", "en olivier*1.8"],
        "{name} avec rigole à jus, à huiler de temps en temps.",
        {"Entretien": "Lavage à la main"},
        [("Taille", ("30 x 20 cm", "40 x 30 cm*1.5"))],
    ),
    _f(
        "ustensiles",
        "",
        "Cuisine Atelier",
        8.9,
        [
            "Spatule en bois d'olivier",
            "Louche inox*1.2",
            "Fouet inox 25 cm",
            "Écumoire inox*1.1",
            "Pince de cuisine en silicone*0.9",
            "Râpe 4 faces inox*1.6",
        ],
        "{name}, solide et facile d'entretien.",
        {"Lave-vaisselle": "Oui"},
    ),
    _f(
        "ustensiles",
        "",
        "Cuisine Atelier",
        19.9,
        [
            "Passoire inox Ø 24 cm",
            "Essoreuse à salade*1.3",
            "Saladier en grès*1.2",
            "Balance de cuisine électronique*1.1",
        ],
        "{name} pour préparer les repas de tous les jours.",
        {"Garantie": "2 ans"},
    ),
    _f(
        "cuisson",
        "Poêle",
        "Fonte d'Auvergne, Cuisine Atelier",
        24.9,
        ["antiadhésive", "en fonte*1.5", "en acier carbone*1.1", "en inox triple épaisseur*1.8"],
        "{name}, tous feux dont induction.",
        {"Compatibilité": "Tous feux dont induction"},
        [("Diamètre", ("Ø 20 cm", "Ø 24 cm*1.15", "Ø 28 cm*1.3"))],
    ),
    _f(
        "cuisson",
        "Cocotte en fonte",
        "Fonte d'Auvergne",
        89.9,
        ["ronde", "ovale*1.1"],
        "{name} émaillée, fabriquée en France, pour mijoter et braiser.",
        {
            "Matière": "Fonte émaillée",
            "Fabrication": "France",
            "Compatibilité": "Tous feux et four",
        },
        [
            ("Taille", ("Ø 20 cm - 2,4 L", "Ø 24 cm - 4,2 L*1.3", "Ø 28 cm - 6,7 L*1.6")),
            ("Couleur", ("Rouge cerise", "Noir mat")),
        ],
    ),
    _f(
        "cuisson",
        "Casserole",
        "Cuisine Atelier",
        29.9,
        ["en inox", "en cuivre*2.5", "antiadhésive*0.8"],
        "{name} avec bec verseur et graduations intérieures.",
        {"Compatibilité": "Tous feux"},
        [("Diamètre", ("Ø 16 cm", "Ø 18 cm*1.1", "Ø 20 cm*1.2"))],
    ),
    _f(
        "cuisson",
        "Batterie de cuisine",
        "Cuisine Atelier",
        149,
        ["10 pièces inox", "à poignée amovible 13 pièces*1.2", "antiadhésive 8 pièces*0.8"],
        "{name}, compatible induction, garantie 10 ans.",
        {"Garantie": "10 ans"},
    ),
    _f(
        "cuisson",
        "Plat à four",
        "Grès de Puisaye, Cuisine Atelier",
        19.9,
        ["en céramique", "en verre*0.6", "en fonte émaillée*2"],
        "{name} qui passe du four à la table.",
        {"Température maximale": "250 °C"},
        [("Taille", ("25 x 20 cm", "35 x 25 cm*1.3"))],
    ),
    _f(
        "petit-electromenager",
        "Bouilloire",
        "Électra Home",
        39.9,
        ["électrique inox 1,7 L", "à température réglable*1.5", "en verre*1.1"],
        "{name}, arrêt automatique et filtre anticalcaire.",
        {"Puissance": "2 200 W"},
    ),
    _f(
        "petit-electromenager",
        "Grille-pain",
        "Électra Home",
        34.9,
        ["2 fentes", "4 fentes*1.4", "rétro*1.3"],
        "{name} à 7 niveaux de brunissage, fonctions décongélation et réchauffage.",
        {"Puissance": "900 W"},
        [("Couleur", ("Crème", "Noir", "Rouge"))],
    ),
    _f(
        "petit-electromenager",
        "Cafetière",
        "Électra Home",
        49.9,
        [
            "filtre programmable",
            "à piston 1 L*0.5",
            "expresso avec broyeur*8",
            "italienne 6 tasses*0.6",
        ],
        "{name} pour un café comme vous l'aimez.",
        {"Garantie": "2 ans"},
    ),
    _f(
        "petit-electromenager",
        "",
        "Électra Home",
        59.9,
        [
            "Blender chauffant*1.8",
            "Mixeur plongeant 800 W*0.6",
            "Robot pâtissier 1 000 W*3.5",
            "Batteur électrique*0.5",
            "Yaourtière 8 pots*0.7",
        ],
        "{name}, simple à utiliser et à nettoyer.",
        {"Garantie": "2 ans"},
    ),
    _f(
        "art-de-la-table",
        "Assiette",
        "Grès de Puisaye",
        6.9,
        ["plate en grès", "creuse en grès", "à dessert en porcelaine*0.8"],
        "{name}, émail réactif : chaque pièce est unique.",
        {"Lave-vaisselle": "Oui"},
        [("Couleur", ("Blanc", "Vert céladon", "Bleu nuit"))],
    ),
    _f(
        "art-de-la-table",
        "",
        "Verrerie du Nord",
        14.9,
        [
            "Verres à eau (lot de 6)",
            "Verres à vin (lot de 6)*1.3",
            "Carafe 1 L",
            "Flûtes à champagne (lot de 4)*1.4",
        ],
        "{name} en verre soufflé, résistant au lave-vaisselle.",
        {"Matière": "Verre"},
    ),
    _f(
        "art-de-la-table",
        "",
        "Coutellerie Vernet",
        49.9,
        [
            "Ménagère 24 pièces*2",
            "Couteaux de table (lot de 6)",
            "Couverts à salade en olivier*0.5",
        ],
        "{name}, inox 18/10 poli miroir.",
        {"Matière": "Inox 18/10"},
    ),
    _f(
        "art-de-la-table",
        "Mug",
        "Grès de Puisaye",
        8.9,
        ["en grès émaillé", "double paroi*1.3", "à expresso (lot de 4)*1.6"],
        "{name} pour le café ou le thé.",
        {"Contenance": "35 cl"},
    ),
    _f(
        "epicerie-fine",
        "Miel",
        "Rucher des Cévennes",
        6.9,
        ["de lavande", "de châtaignier*0.95", "d'acacia*1.05", "toutes fleurs*0.85"],
        "{name} récolté en France par des apiculteurs indépendants.",
        {"Origine": "France", "Conservation": "Au sec, à l'abri de la lumière"},
        [("Pot", ("250 g", "500 g*1.8"))],
        REDUCED,
    ),
    _f(
        "epicerie-fine",
        "Confiture",
        "Confiturerie Lafaye",
        4.9,
        ["d'abricot", "de fraise", "de figue*1.1", "de framboise*1.15"],
        "{name} cuite au chaudron, 60 g de fruits pour 100 g.",
        {"Fruits": "60 g pour 100 g", "Poids": "320 g"},
        vat=REDUCED,
    ),
    _f(
        "epicerie-fine",
        "Huile d'olive vierge extra",
        "Moulin de Nyons",
        12.9,
        ["fruité vert", "de Provence AOP*1.4", "de Nyons AOP*1.6"],
        "{name}, première pression à froid.",
        {"Origine": "France"},
        [("Bouteille", ("50 cl", "75 cl*1.4"))],
        REDUCED,
    ),
    _f(
        "epicerie-fine",
        "",
        "Torréfaction Bastide",
        7.9,
        [
            "Café en grains bio 1 kg*2.5",
            "Café moulu pur arabica 250 g",
            "Thé vert à la menthe*0.9",
            "Infusion verveine-tilleul*0.7",
        ],
        "{name} : sélection et conditionnement en France.",
        {"Conditionnement": "France"},
        vat=REDUCED,
    ),
    _f(
        "epicerie-fine",
        "",
        "Épices du Sud",
        5.9,
        [
            "Fleur de sel de Guérande",
            "Herbes de Provence*0.8",
            "Piment d'Espelette AOP*1.6",
            "Poivre noir de Kampot*1.4",
        ],
        "{name}, pour relever tous vos plats.",
        {"Poids net": "125 g"},
        vat=REDUCED,
    ),
    # Décoration
    _f(
        "miroirs-cadres",
        "Miroir",
        "Maison Ocre",
        59.9,
        [
            "rond en rotin",
            "soleil doré*1.6",
            "arche en métal noir*1.4",
            "rectangulaire biseauté*1.2",
        ],
        "{name}, livré avec son système d'accroche.",
        {"Fixation": "Murale"},
    ),
    _f(
        "miroirs-cadres",
        "Cadre photo",
        "Maison Ocre",
        9.9,
        ["en chêne", "en métal doré*1.1", "pêle-mêle 6 vues*1.5"],
        "{name} à poser ou à suspendre, verre de protection.",
        {"Pose": "Murale ou à poser"},
        [("Format", ("10 x 15 cm", "13 x 18 cm*1.2", "21 x 29,7 cm*1.6", "30 x 40 cm*2.2"))],
    ),
    _f(
        "miroirs-cadres",
        "",
        "Maison Ocre",
        24.9,
        [
            "Affiche botanique 50 x 70 cm",
            "Toile imprimée paysage de Provence*2",
            "Affiche carte de France ancienne*1.1",
        ],
        "{name}, impression sur papier mat 200 g/m².",
        {"Impression": "Papier mat 200 g/m²"},
    ),
    _f(
        "bougies-senteurs",
        "Bougie parfumée",
        "Cire & Flamme",
        14.9,
        ["figue", "fleur d'oranger", "bois de cèdre", "lavande", "ambre*1.1"],
        "{name}, cire végétale coulée à la main à Grasse.",
        {"Cire": "Végétale", "Fabrication": "Grasse"},
        [("Taille", ("180 g - 40 h", "400 g - 80 h*1.8"))],
    ),
    _f(
        "bougies-senteurs",
        "",
        "Cire & Flamme",
        19.9,
        [
            "Diffuseur à bâtonnets*1.2",
            "Diffuseur ultrasonique*2.5",
            "Brume d'oreiller*0.6",
            "Recharge pour diffuseur*0.7",
        ],
        "{name}, parfums créés à Grasse.",
        {"Fabrication": "Grasse"},
    ),
    _f(
        "bougies-senteurs",
        "",
        "Maison Ocre",
        12.9,
        ["Photophore en verre", "Bougeoir en laiton*1.4", "Lanterne en métal*2"],
        "{name} pour une lumière douce, dedans comme dehors.",
        {"Usage": "Intérieur"},
    ),
    _f(
        "textiles-deco",
        "Coussin",
        "Atelier Solène",
        19.9,
        ["en velours", "en lin lavé*1.1", "à franges", "d'extérieur déperlant*1.1"],
        "{name} 45 x 45 cm, garnissage inclus, housse amovible.",
        {"Dimensions": "45 x 45 cm"},
        [("Couleur", ("Terracotta", "Ocre", "Vert sauge", "Écru"))],
    ),
    _f(
        "textiles-deco",
        "Rideau",
        "Atelier Solène",
        29.9,
        ["occultant*1.3", "voilage en lin", "en gaze de coton*0.9"],
        "{name} à œillets, vendu à l'unité.",
        {"Fixation": "Œillets"},
        [("Dimensions", ("140 x 260 cm", "140 x 300 cm*1.15"))],
    ),
    _f(
        "textiles-deco",
        "Tapis",
        "Atelier Solène",
        59.9,
        [
            "berbère en laine*2.5",
            "en jute tressé",
            "d'extérieur réversible*0.7",
            "à poils longs*1.3",
        ],
        "{name}, pour habiller le salon, une chambre ou la terrasse.",
        {"Entretien": "Aspiration régulière"},
        [("Dimensions", ("120 x 170 cm", "160 x 230 cm*1.7", "200 x 290 cm*2.6"))],
    ),
    _f(
        "vases-cache-pots",
        "Vase",
        "Maison Ocre",
        19.9,
        ["en terre cuite", "en verre soufflé*1.3", "en grès émaillé*1.1", "dame-jeanne*1.5"],
        "{name}, pour bouquets frais ou séchés.",
        {"Étanche": "Oui"},
        [("Hauteur", ("20 cm", "30 cm*1.6"))],
    ),
    _f(
        "vases-cache-pots",
        "Cache-pot",
        "Maison Ocre, Jardin d'Oc",
        14.9,
        ["en fibre de ciment", "en zinc*0.8", "sur pied en rotin*1.5"],
        "{name} pour plantes d'intérieur.",
        {"Usage": "Intérieur"},
        [("Diamètre", ("Ø 17 cm", "Ø 24 cm*1.5", "Ø 32 cm*2.2"))],
    ),
    # Peinture
    _f(
        "peintures-interieures",
        "Peinture murs et plafonds",
        "Ardoise Couleurs",
        29.9,
        ["mate", "satinée*1.1", "velours*1.05"],
        "{name}, acrylique, faible odeur, rendement 12 m²/L.",
        {"Rendement": "12 m²/L", "Séchage": "1 h", "COV": "A+"},
        [("Teinte", ("Blanc", "Lin*1.1", "Gris galet*1.1")), ("Contenance", ("2,5 L", "10 L*3.2"))],
    ),
    _f(
        "peintures-interieures",
        "Peinture boiseries",
        "Ardoise Couleurs",
        24.9,
        ["laque satinée", "laque brillante*1.05"],
        "{name} pour portes, plinthes et fenêtres, très résistante.",
        {"Rendement": "10 m²/L", "COV": "A+"},
        [("Teinte", ("Blanc", "Noir", "Vert d'eau")), ("Contenance", ("0,5 L", "2 L*3"))],
    ),
    _f(
        "peintures-interieures",
        "Peinture",
        "Ardoise Couleurs, Peintures Delorme",
        34.9,
        [
            "effet béton ciré*1.3",
            "tableau noir*0.7",
            "à la chaux",
            "pour carrelage*1.1",
            "pour meubles*0.8",
            "de cuisine et salle de bain",
        ],
        "{name}, prête à l'emploi, pour transformer une pièce en un week-end.",
        {"COV": "A+"},
        [("Contenance", ("0,75 L", "2 L*2.3"))],
    ),
    _f(
        "peintures-interieures",
        "Sous-couche",
        "Peintures Delorme",
        24.9,
        ["universelle", "bloque-taches*1.3", "pour plâtre*0.9"],
        "{name} qui prépare les fonds et améliore l'accroche de la finition.",
        {"Rendement": "10 m²/L"},
        [("Contenance", ("2,5 L", "10 L*3"))],
    ),
    _f(
        "peintures-exterieures",
        "Lasure",
        "Peintures Delorme",
        19.9,
        ["chêne clair", "chêne moyen", "incolore", "teck"],
        "{name} : protection 8 ans, microporeuse, contre les UV et la pluie.",
        {"Durée de protection": "8 ans"},
        [("Contenance", ("1 L", "2,5 L*2.1", "5 L*3.8"))],
    ),
    _f(
        "peintures-exterieures",
        "Peinture façade",
        "Peintures Delorme",
        59.9,
        ["Pliolite blanc", "ton pierre*1.05"],
        "{name}, hydrofuge, pour enduits et bétons, garantie 10 ans.",
        {"Garantie": "10 ans", "Rendement": "6 m²/L"},
        [("Contenance", ("10 L", "15 L*1.4"))],
    ),
    _f(
        "peintures-exterieures",
        "",
        "Peintures Delorme",
        24.9,
        [
            "Saturateur pour bois de terrasse",
            "Huile de teck*0.8",
            "Dégriseur bois*0.7",
            "Vernis marin*1.1",
        ],
        "{name} pour l'entretien des bois extérieurs.",
        {"Usage": "Extérieur"},
        [("Contenance", ("1 L", "5 L*3.6"))],
    ),
    _f(
        "peintures-exterieures",
        "Peinture fer",
        "Ardoise Couleurs",
        19.9,
        ["antirouille noir mat", "martelée gris*1.05", "vert basque"],
        "{name}, s'applique directement sur la rouille.",
        {"Usage": "Métaux ferreux"},
        [("Contenance", ("0,5 L", "2 L*2.8"))],
    ),
    _f(
        "outils-du-peintre",
        "Rouleau",
        "Ardoise Pro",
        8.9,
        ["anti-goutte 180 mm", "laqueur 110 mm*0.6", "façade 250 mm*1.4"],
        "{name} avec manchon en polyamide tissé, sans peluches.",
        {"Manchon": "Polyamide tissé"},
    ),
    _f(
        "outils-du-peintre",
        "Pinceau",
        "Ardoise Pro",
        6.9,
        ["plat en soies naturelles", "à rechampir*0.9", "brosse ronde*1.1"],
        "{name} pour peintures à l'eau et glycéro.",
        {"Fibres": "Soies naturelles"},
        [("Largeur", ("30 mm", "50 mm*1.3", "70 mm*1.6"))],
    ),
    _f(
        "outils-du-peintre",
        "",
        "Ardoise Pro",
        7.9,
        [
            "Bâche de protection 4 x 5 m",
            "Ruban de masquage 50 m*0.7",
            "Bac à peinture avec grille*0.9",
            "Couteau à enduire*1.1",
            "Enduit de rebouchage 1 kg*0.8",
            "Perche télescopique 1,5 à 3 m*2.5",
        ],
        "{name}, pour préparer et peindre proprement.",
        {"Usage": "Intérieur et extérieur"},
    ),
    # Salle de bain
    _f(
        "robinetterie",
        "Mitigeur lavabo",
        "Aquélia",
        59.9,
        ["chromé", "noir mat*1.2", "bec haut*1.4", "à économie d'eau*1.1"],
        "{name} à cartouche céramique, limiteur de débit intégré.",
        {"Cartouche": "Céramique 35 mm", "Garantie": "5 ans"},
    ),
    _f(
        "robinetterie",
        "Colonne de douche",
        "Aquélia",
        149,
        ["thermostatique", "à mitigeur*0.7", "avec douche pluie 25 cm*1.3"],
        "{name}, barre réglable en hauteur, douchette 3 jets.",
        {"Garantie": "5 ans"},
    ),
    _f(
        "robinetterie",
        "Pommeau de douche",
        "Aquélia",
        19.9,
        ["5 jets", "économique*0.8", "à filtre*1.3"],
        "{name}, picots anticalcaire, raccord universel.",
        {"Raccord": "Universel 15 x 21"},
        [("Finition", ("Chromé", "Noir*1.2"))],
    ),
    _f(
        "robinetterie",
        "",
        "Aquélia",
        14.9,
        [
            "Flexible de douche 1,75 m",
            "Robinet d'arrêt quart de tour*0.6",
            "Mitigeur d'évier à douchette*5",
            "Siphon de lavabo*0.7",
        ],
        "{name}, livré avec joints.",
        {"Garantie": "2 ans"},
    ),
    _f(
        "accessoires-salle-de-bain",
        "Porte-serviettes",
        "Bain d'Ouest",
        24.9,
        ["mural 60 cm", "sur pied en bambou*1.2", "échelle*1.4"],
        "{name}, résiste à l'humidité.",
        {"Matière": "Inox ou bambou"},
    ),
    _f(
        "accessoires-salle-de-bain",
        "Tapis de bain",
        "Bain d'Ouest",
        14.9,
        ["en coton", "en bambou*1.2", "à mémoire de forme*0.9"],
        "{name} antidérapant, 50 x 80 cm.",
        {"Dimensions": "50 x 80 cm"},
        [("Couleur", ("Blanc", "Anthracite", "Vert sauge"))],
    ),
    _f(
        "accessoires-salle-de-bain",
        "",
        "Bain d'Ouest",
        12.9,
        [
            "Distributeur de savon en céramique",
            "Distributeur de savon automatique*2.5",
            "Gobelet à brosses à dents*0.6",
            "Porte-papier toilette*1.2",
            "Brosse WC avec support*1.1",
        ],
        "{name}, de la gamme coordonnée Bain d'Ouest.",
        {"Matière": "Céramique et inox"},
    ),
    _f(
        "accessoires-salle-de-bain",
        "",
        "Bain d'Ouest",
        19.9,
        [
            "Rideau de douche en coton gaufré",
            "Rideau de douche imprimé feuilles*0.8",
            "Barre de douche extensible*0.6",
        ],
        "{name}, lavable en machine.",
        {"Dimensions": "180 x 200 cm"},
    ),
    _f(
        "meubles-salle-de-bain",
        "Meuble sous vasque",
        "Aquélia",
        299,
        ["60 cm 2 tiroirs", "80 cm double vasque*1.7", "suspendu 60 cm*1.1"],
        "{name}, tiroirs à fermeture amortie, vasque en céramique incluse.",
        {"Vasque": "Céramique", "Tiroirs": "Fermeture amortie"},
        [("Finition", ("Chêne clair", "Blanc brillant*0.95"))],
    ),
    _f(
        "meubles-salle-de-bain",
        "Miroir de salle de bain",
        "Aquélia",
        89.9,
        ["LED 60 x 80 cm", "armoire de toilette*1.3", "rond éclairant*1.1"],
        "{name}, éclairage LED antibuée, indice IP44.",
        {"Indice de protection": "IP44"},
    ),
    _f(
        "meubles-salle-de-bain",
        "",
        "Bain d'Ouest",
        99.9,
        [
            "Colonne de rangement suspendue",
            "Colonne de rangement sur pieds en bambou*0.8",
            "Étagère d'angle de douche*0.4",
        ],
        "{name} pour gagner de la place dans une petite salle de bain.",
        {"Matière": "Panneau mélaminé ou bambou"},
    ),
    # Animalerie
    _f(
        "chiens",
        "Croquettes pour chien",
        "Croc'Nature",
        15.9,
        ["adulte au poulet", "senior*1.05", "sans céréales au saumon*1.3", "chiot*1.1"],
        "{name}, recette fabriquée en France, sans colorant artificiel.",
        {"Fabrication": "France", "Protéines": "26 %"},
        [("Sac", ("3 kg", "12 kg*3.2"))],
    ),
    _f(
        "chiens",
        "Panier pour chien",
        "Croc'Nature",
        29.9,
        ["déhoussable", "orthopédique*1.6", "d'extérieur surélevé*1.2"],
        "{name}, housse lavable en machine à 30 °C.",
        {"Housse": "Lavable à 30 °C"},
        [("Taille", ("S", "M*1.3", "L*1.7", "XL*2.2"))],
    ),
    _f(
        "chiens",
        "",
        "Croc'Nature",
        14.9,
        [
            "Collier en cuir",
            "Laisse en nylon 1,2 m*0.8",
            "Harnais réglable*1.6",
            "Laisse à enrouleur 5 m*1.4",
        ],
        "{name}, confortable et solide pour les promenades.",
        {"Matière": "Cuir ou nylon"},
        [("Taille", ("S", "M*1.1", "L*1.2"))],
    ),
    _f(
        "chiens",
        "",
        "Croc'Nature",
        6.9,
        [
            "Balle en caoutchouc naturel",
            "Corde à nœuds*0.9",
            "Jouet à friandises*1.5",
            "Os à mâcher (lot de 3)*0.8",
        ],
        "{name} pour jouer et se dépenser.",
        {"Matière": "Caoutchouc naturel ou coton"},
    ),
    _f(
        "chats",
        "Croquettes pour chat",
        "Félin & Co",
        12.9,
        ["adulte stérilisé", "au saumon*1.05", "senior*1.1"],
        "{name}, riches en protéines animales, fabriquées en France.",
        {"Fabrication": "France", "Protéines": "34 %"},
        [("Sac", ("1,5 kg", "4 kg*2.3"))],
    ),
    _f(
        "chats",
        "Litière",
        "Félin & Co",
        7.9,
        ["minérale agglomérante", "végétale*1.2", "de silice*1.5"],
        "{name}, absorbe les odeurs jusqu'à 4 semaines.",
        {"Durée": "Jusqu'à 4 semaines"},
        [("Sac", ("10 L", "20 L*1.8"))],
    ),
    _f(
        "chats",
        "",
        "Félin & Co",
        59.9,
        [
            "Arbre à chat compact 80 cm",
            "Arbre à chat géant 150 cm*2.2",
            "Griffoir en carton*0.2",
            "Fontaine à eau 2 L*0.5",
            "Distributeur de croquettes*1.1",
            "Gamelle double inox*0.2",
        ],
        "{name}, pour le confort et l'équilibre de votre chat.",
        {"Garantie": "1 an"},
    ),
    _f(
        "basse-cour-oiseaux",
        "Aliment pour poules",
        "Poulailler Breton",
        8.9,
        ["pondeuses en granulés", "mélange de graines*0.9", "bio*1.3"],
        "{name}, céréales cultivées en France.",
        {"Origine des céréales": "France"},
        [("Sac", ("5 kg", "20 kg*3.2"))],
        INTERMEDIATE,
    ),
    _f(
        "basse-cour-oiseaux",
        "Poulailler",
        "Poulailler Breton",
        149,
        ["2 poules", "4 poules avec pondoir*1.6", "sur pilotis*2"],
        "{name} en bois traité, toit ouvrant et tiroir à fientes.",
        {"Matière": "Sapin traité autoclave"},
    ),
    _f(
        "basse-cour-oiseaux",
        "",
        "Poulailler Breton",
        6.9,
        [
            "Boules de graisse (lot de 6)",
            "Mélange de graines pour oiseaux de la nature*1.2",
            "Nichoir en bois*2.5",
            "Mangeoire à suspendre*2",
        ],
        "{name} pour aider les oiseaux du jardin à passer l'hiver.",
        {"Usage": "Oiseaux de la nature"},
    ),
]


def shelf_price(cents: float) -> int:
    """A believable shelf price in cents: 4.49, 24.99, 149.00."""
    cents = round(cents)
    if cents < 1_000:
        return max(99, (cents + 5) // 10 * 10 - 1)
    if cents < 10_000:
        return (cents + 50) // 100 * 100 - 1
    return (cents + 500) // 1_000 * 1_000 - 100


def gtin_for(item: int) -> str:
    body = f"{GTIN_PREFIX}{item:06d}"
    return body + str(gs1_check_digit(body))


def _percent(cents: int, percent: Decimal) -> int:
    return int((Decimal(cents) * percent / 100).to_integral_value())


def demo_products() -> list[DemoProduct]:
    """Expand the families into products and variants, numbered in a stable order."""
    tops = {c.slug: c for c in DEMO_CATEGORIES if c.parent is None}
    parents = {c.slug: c.parent for c in DEMO_CATEGORIES}
    products, slugs, variant_number = [], set(), 0
    for family in FAMILIES:
        top = tops[parents[family.category]]
        for index, model in enumerate(family.models):
            qualifier, model_factor = _factor(model)
            number = len(products) + 1
            name = f"{family.name} {qualifier}".strip()
            brand = family.brands[index % len(family.brands)]
            slug = slugify(name)
            if slug in slugs:
                slug = slugify(f"{name} {brand}")
            slugs.add(slug)
            variants = []
            labels = [axis[0] for axis in family.axes]
            for position, combination in enumerate(cartesian(*(axis[1] for axis in family.axes))):
                variant_number += 1
                factor = model_factor
                options = {}
                for label, spec in zip(labels, combination, strict=True):
                    value, value_factor = _factor(spec)
                    options[label] = value
                    factor *= value_factor
                rrp = shelf_price(family.rrp_euros * 100 * factor)
                low = high = None
                if rrp >= BIG_TICKET_CENTS:
                    low, high = (_percent(rrp, percent) for percent in BIG_TICKET_BOUNDS)
                variants.append(
                    DemoVariant(
                        sku=f"ARD-{top.code}-{number:04d}-{position + 1}",
                        gtin=gtin_for(variant_number),
                        options=options,
                        rrp_cents=rrp,
                        min_price_cents=low,
                        max_price_cents=high,
                        position=position,
                    )
                )
            products.append(
                DemoProduct(
                    slug=slug,
                    name=name,
                    category=family.category,
                    brand=brand,
                    description=family.description.format(name=name, brand=brand),
                    attributes=dict(family.attributes),
                    vat_rate=family.vat_rate,
                    status="draft" if number % DRAFT_EVERY == 0 else "published",
                    variants=tuple(variants),
                )
            )
    return products


# Illustrations: a tile in the top category's colour, a simple emblem, the product's initials.
ICONS = {
    "jardin": '<path d="M60 300c0-120 90-200 220-210-10 130-90 210-220 210z" opacity=".35"/>'
    '<path d="M70 295l150-150" stroke="#fff" stroke-width="10" opacity=".5"/>',
    "bricolage": '<rect x="70" y="90" width="150" height="60" rx="10" opacity=".35"/>'
    '<rect x="130" y="150" width="30" height="180" rx="10" opacity=".35"/>',
    "maison": '<path d="M60 200l140-120 140 120v130H60z" opacity=".35"/>',
    "cuisine": '<circle cx="170" cy="210" r="110" opacity=".35"/>'
    '<rect x="270" y="195" width="110" height="30" rx="12" opacity=".35"/>',
    "decoration": '<path d="M200 60l40 100h100l-80 65 30 105-90-65-90 65 30-105-80-65h100z"'
    ' opacity=".35"/>',
    "peinture": '<path d="M200 60c60 90 110 150 110 210a110 110 0 0 1-220 0c0-60 50-120 110-210z"'
    ' opacity=".35"/>',
    "salle-de-bain": '<circle cx="140" cy="150" r="70" opacity=".3"/>'
    '<circle cx="260" cy="230" r="95" opacity=".3"/>'
    '<circle cx="150" cy="300" r="40" opacity=".3"/>',
    "animalerie": '<ellipse cx="200" cy="255" rx="85" ry="70" opacity=".35"/>'
    '<circle cx="110" cy="165" r="32" opacity=".35"/>'
    '<circle cx="165" cy="115" r="32" opacity=".35"/>'
    '<circle cx="235" cy="115" r="32" opacity=".35"/>'
    '<circle cx="290" cy="165" r="32" opacity=".35"/>',
}
SMALL_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "à", "en", "et", "pour", "avec"}


def initials(name: str) -> str:
    words = [w for w in name.replace("'", " ").replace("-", " ").split() if w.isalpha()]
    words = [w for w in words if w.lower() not in SMALL_WORDS] or words
    return "".join(word[0] for word in words[:2]).upper()


def product_svg(product: DemoProduct, top: DemoCategory) -> str:
    """A 400 x 400 SVG tile: light background, the category's emblem, initials, brand."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img" '
        f'aria-label="{escape(product.name)}">'
        f'<rect width="400" height="400" fill="{top.colour}" opacity=".14"/>'
        f'<g fill="{top.colour}">{ICONS[top.slug]}</g>'
        f'<circle cx="200" cy="200" r="78" fill="{top.colour}"/>'
        '<text x="200" y="200" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="Georgia, serif" font-size="64" font-weight="bold">'
        f"{escape(initials(product.name))}</text>"
        f'<text x="200" y="368" text-anchor="middle" fill="{top.colour}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="22" letter-spacing="3">'
        f"{escape(product.brand.upper())}</text></svg>"
    )
