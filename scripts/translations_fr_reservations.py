"""French for holds on stock (reservations)."""

FR = {
    "Checkout hold": "Réservation de paiement",
    "Order": "Commande",
    ("reservation status", "Active"): "Active",
    "Converted into an order": "Convertie en commande",
    "Released": "Libérée",
    "Expired": "Expirée",
    "Sold": "Vendue",
    "quantity": "quantité",
    "held for": "réservée pour",
    "expires at": "expire le",
    "converted from": "convertie depuis",
    "created at": "créée le",
    "updated at": "mise à jour le",
    "reservation": "réservation",
    "reservations": "réservations",
    "Release the selected holds": "Libérer les réservations sélectionnées",
    "%(count)d hold(s) released.": "%(count)d réservation(s) libérée(s).",
    "%(item)s is no longer available in this quantity at %(store)s: %(available)s left, "
    "%(requested)s asked for.": "%(item)s n'est plus disponible dans cette quantité chez "
    "%(store)s : il en reste %(available)s, %(requested)s demandé(s).",
    "%(item)s is no longer available at %(store)s.": "%(item)s n'est plus disponible chez %(store)s.",
    "An order's hold on stock does not expire.": "La réservation d'une commande n'expire pas.",
    "Only %(on_hand)s of %(item)s on hand at %(store)s for a hold of %(quantity)s.": (
        "Seulement %(on_hand)s %(item)s en stock chez %(store)s pour une réservation de "
        "%(quantity)s."
    ),
    "The hold on %(item)s at %(store)s has expired.": (
        "La réservation de %(item)s chez %(store)s a expiré."
    ),
    "The quantity to reserve must be a whole number, one or more.": (
        "La quantité à réserver doit être un nombre entier, au moins 1."
    ),
    "This hold on stock is already “%(current)s”: it can't become “%(target)s”.": (
        "Cette réservation est déjà « %(current)s » : elle ne peut pas devenir « %(target)s »."
    ),
}
