"""French for the catalogue models and the stores' stock, prices and feeds."""

FR = {
    "Standard rate (20 %)": "Taux normal (20 %)",
    "Intermediate rate (10 %)": "Taux intermédiaire (10 %)",
    "Reduced rate (5.5 %)": "Taux réduit (5,5 %)",
    "Super-reduced rate (2.1 %)": "Taux particulier (2,1 %)",
    "position": "position",
    "description": "description",
    "lowest store price (% of RRP)": "prix magasin minimum (% du PVC)",
    "highest store price (% of RRP)": "prix magasin maximum (% du PVC)",
    "category": "catégorie",
    "categories": "catégories",
    "Draft": "Brouillon",
    "Published": "Publié",
    "Archived": "Archivé",
    "brand": "marque",
    "attributes": "caractéristiques",
    "VAT rate": "taux de TVA",
    "product": "produit",
    "products": "produits",
    "image": "image",
    "alternative text": "texte alternatif",
    "product image": "image produit",
    "product images": "images produit",
    "SKU": "Référence (SKU)",
    "GTIN / EAN": "GTIN / EAN",
    "options": "options",
    "recommended retail price (cents)": "prix de vente conseillé (centimes)",
    "lowest store price (cents)": "prix magasin minimum (centimes)",
    "highest store price (cents)": "prix magasin maximum (centimes)",
    "active": "actif",
    "variant": "variante",
    "variants": "variantes",
    "A GTIN has 8, 12, 13 or 14 digits.": "Un GTIN comporte 8, 12, 13 ou 14 chiffres.",
    "The GTIN %(value)s has a wrong check digit (expected %(expected)s).": (
        "Le GTIN %(value)s a une clé de contrôle erronée (attendue : %(expected)s)."
    ),
    "opening hours": "horaires d'ouverture",
    "click & collect": "retrait en magasin",
    "ship from store": "expédition depuis le magasin",
    "reserve & collect": "réservation en magasin",
    "returns": "retours",
    "catchment postal codes": "codes postaux de la zone de chalandise",
    "catchment radius (km)": "rayon de la zone de chalandise (km)",
    "orders a day": "commandes par jour",
    "safety stock (overrides HQ's default)": "stock de sécurité (remplace la valeur du siège)",
    "default safety stock": "stock de sécurité par défaut",
    "stock policy": "politique de stock",
    "Stock policy": "Politique de stock",
    "on hand": "en stock",
    "reserved": "réservé",
    "safety stock": "stock de sécurité",
    "available": "disponible",
    "store price (cents)": "prix magasin (centimes)",
    "Empty: the store sells at HQ's recommended retail price.": (
        "Vide : le magasin vend au prix de vente conseillé du siège."
    ),
    "stock level": "niveau de stock",
    "stock levels": "niveaux de stock",
    "Stock feed": "Flux de stock",
    "Manual adjustment": "Ajustement manuel",
    "Sale": "Vente",
    "Return": "Retour",
    "Transfer in": "Transfert entrant",
    "Transfer out": "Transfert sortant",
    "API": "API",
    "File upload": "Import de fichier",
    "System": "Système",
    "change": "variation",
    "on hand after": "stock après",
    "reason": "motif",
    "source": "source",
    "reference": "référence",
    "by": "par",
    "time": "date",
    "stock movement": "mouvement de stock",
    "stock movements": "mouvements de stock",
    "postal codes": "codes postaux",
    "In stock": "En stock",
    "Limited stock": "Stock limité",
    "Last units": "Derniers articles",
    "Out of stock": "Épuisé",
    "%(count)s error(s) in the feed: nothing was applied.": (
        "%(count)s erreur(s) dans le flux : rien n'a été appliqué."
    ),
    "The file is empty.": "Le fichier est vide.",
    "Send a CSV or an XLSX file.": "Envoyez un fichier CSV ou XLSX.",
    "The file is not UTF-8 text: export it as CSV UTF-8.": (
        "Le fichier n'est pas en UTF-8 : exportez-le en « CSV UTF-8 »."
    ),
    "Missing column: %(column)s.": "Colonne manquante : %(column)s.",
    "The file is not a readable XLSX workbook.": "Le fichier n'est pas un classeur XLSX lisible.",
    "A whole number is expected.": "Un nombre entier est attendu.",
    "The value must be %(min)s or more.": "La valeur doit être supérieure ou égale à %(min)s.",
    "A price such as 12.90 is expected.": "Un prix tel que 12,90 est attendu.",
    "A price above zero with at most 2 decimals.": (
        "Un prix supérieur à zéro avec au plus 2 décimales est attendu."
    ),
    "A sequence or a source_timestamp is required.": (
        "Une séquence (sequence) ou un horodatage source (source_timestamp) est requis."
    ),
    "An ISO 8601 date and time is expected.": "Une date et heure ISO 8601 est attendue.",
    "The time zone is missing (e.g. +01:00 or Z).": "Le fuseau horaire manque (ex. +01:00 ou Z).",
    "The feed has no rows.": "Le flux ne contient aucune ligne.",
    "At most %(max)s rows per feed.": "Au plus %(max)s lignes par flux.",
    "Each row must be an object.": "Chaque ligne doit être un objet.",
    "The SKU is required.": "La référence (SKU) est obligatoire.",
    "Unknown SKU: %(sku)s.": "Référence inconnue : %(sku)s.",
    "Below HQ's lowest price, %(bound)s.": "En dessous du prix minimum du siège, %(bound)s.",
    "Above HQ's highest price, %(bound)s.": "Au-dessus du prix maximum du siège, %(bound)s.",
    "Same SKU and position as row %(row)s with other values.": (
        "Même référence et même position que la ligne %(row)s, avec d'autres valeurs."
    ),
    "A price must be above zero.": "Un prix doit être supérieur à zéro.",
    "The price of %(sku)s can't be below %(bound)s (HQ's lowest price).": (
        "Le prix de %(sku)s ne peut pas être inférieur à %(bound)s (prix minimum du siège)."
    ),
    "The price of %(sku)s can't be above %(bound)s (HQ's highest price).": (
        "Le prix de %(sku)s ne peut pas être supérieur à %(bound)s (prix maximum du siège)."
    ),
    "The quantity on hand must be a whole number, zero or more.": (
        "La quantité en stock doit être un nombre entier positif ou nul."
    ),
    "Only %(on_hand)s on hand for %(sku)s.": "Seulement %(on_hand)s en stock pour %(sku)s.",
    ("store status", "Active"): "Actif",
    "%(count)d store(s) updated.": "%(count)d magasin(s) mis à jour.",
    "Activate for selling": "Activer à la vente",
    "Suspend": "Suspendre",
    "Close": "Fermer",
    "Services and hours": "Services et horaires",
    "Catchment and capacity": "Zone de chalandise et capacité",
    "trader identity": "identité du vendeur",
    "%(count)d stock row(s) updated.": "%(count)d ligne(s) de stock mise(s) à jour.",
    "%(store)s can't sell until its trader identity is complete: %(fields)s.": (
        "%(store)s ne peut pas vendre tant que son identité de vendeur est incomplète : %(fields)s."
    ),
    "A store can't go from “%(current)s” to “%(target)s”.": (
        "Un magasin ne peut pas passer de « %(current)s » à « %(target)s »."
    ),
}
