"""French for price reductions and the Omnibus reference (the lowest price of the 30 days
before a reduction), in the catalogue, the back-office and the storefront."""

FR = {
    "reduction announced since": "réduction annoncée depuis",
    "Set to show the price as reduced; the reference is the lowest price of the 30 days before "
    "this moment.": "Renseigné : le prix est affiché en réduction, par rapport au prix le plus "
    "bas des 30 jours qui précèdent ce moment.",
    "reduction ends": "fin de la réduction",
    "price (cents)": "prix (centimes)",
    "applied from": "appliqué à partir du",
    "price history": "historique des prix",
    "Announce as a reduction": "Annoncer une réduction",
    "Reduction ends after": "Dernier jour de la réduction",
    "last day": "dernier jour",
    "Set a store price to announce it as reduced.": (
        "Indiquez un prix magasin pour l'annoncer en réduction."
    ),
    "The end of the reduction must be in the future.": "La fin de la réduction doit être à venir.",
    "%(price)s is not below the lowest price of the last 30 days (%(reference)s): it cannot be "
    "announced as reduced.": "%(price)s n'est pas inférieur au prix le plus bas des 30 derniers "
    "jours (%(reference)s) : il ne peut pas être annoncé comme une réduction.",
    "(empty: until withdrawn)": "(vide : jusqu'à son retrait)",
    "Reduced since %(since)s": "En réduction depuis le %(since)s",
    "ends %(until)s": "fin le %(until)s",
    "instead of": "au lieu de",
    "Lowest price of the last 30 days: %(price)s": "Prix le plus bas des 30 derniers jours : %(price)s",
    "until %(date)s": "jusqu'au %(date)s",
    "Only with reduction set to true.": "Seulement avec reduction à true.",
}
