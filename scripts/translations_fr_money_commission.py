"""French for commission plans, sale splits, transfers and the ledger (payments)."""

FR = {
    "commission split per line": "répartition de la commission par ligne",
    "network default rate (%)": "taux par défaut du réseau (%)",
    "Of the price paid (VAT included), for the categories and stores that have no rate of "
    "their own.": (
        "Du prix payé (TTC), pour les catégories et les magasins qui n'ont pas de taux propre."
    ),
    "fixed fee per order (cents, excl. VAT)": "frais fixes par commande (centimes, HT)",
    "Charged once per order, spread over its items by price; each store pays the part of the "
    "items it sells.": (
        "Facturés une fois par commande, répartis sur ses articles au prorata du prix ; chaque "
        "magasin paie la part des articles qu'il vend."
    ),
    "catchment store's share of the commission (%)": "part de la commission du magasin de zone (%)",
    "Credited to the customer's local store when another location served the order.": (
        "Créditée au magasin de proximité du client quand un autre site a servi la commande."
    ),
    "VAT on the commission (%)": "TVA sur la commission (%)",
    "commission plan": "plan de commission",
    "Commission plan": "Plan de commission",
    "Empty: every category (for a store: the store's own default rate).": (
        "Vide : toutes les catégories (pour un magasin : son propre taux par défaut)."
    ),
    "Empty: every store of the network.": "Vide : tous les magasins du réseau.",
    "rate (%)": "taux (%)",
    "valid from": "valable à partir du",
    "valid until (excluded)": "valable jusqu'au (exclu)",
    "note": "note",
    "commission rate": "taux de commission",
    "commission rates": "taux de commission",
    "Give a category, a store or both (the network default is in the plan).": (
        "Indiquez une catégorie, un magasin ou les deux (le taux par défaut du réseau est dans "
        "le plan)."
    ),
    "The end must be after the start.": "La fin doit être postérieure au début.",
    "This period overlaps another rate of the same store and category (%(rate)s).": (
        "Cette période chevauche un autre taux du même magasin et de la même catégorie (%(rate)s)."
    ),
    "Goods": "Marchandises",
    "Delivery fee": "Frais de livraison",
    "HQ's own sale": "vente propre de la tête de réseau",
    "catchment store": "magasin de zone",
    "paid (cents)": "payé (centimes)",
    "commission excl. VAT (cents)": "commission HT (centimes)",
    "VAT on commission (cents)": "TVA sur la commission (centimes)",
    "catchment share (cents)": "part du magasin de zone (centimes)",
    "provider fee share (cents)": "part des frais du prestataire (centimes)",
    "store net (cents)": "net du magasin (centimes)",
    "VAT on HQ's sale (cents)": "TVA sur la vente de la tête de réseau (centimes)",
    "sale split": "répartition d'une vente",
    "sale splits": "répartitions des ventes",
    "split reversal": "annulation de répartition",
    "split reversals": "annulations de répartition",
    "Catchment share": "Part de zone de chalandise",
    "Transferred": "Transféré",
    "Refused": "Refusé",
    "Partly reversed": "Partiellement annulé",
    "Reversed": "Annulé",
    "reversed (cents)": "annulé (centimes)",
    "transferred at": "transféré le",
    "transfer": "transfert",
    "transfers": "transferts",
    "transfer reversal": "annulation de transfert",
    "transfer reversals": "annulations de transfert",
}
