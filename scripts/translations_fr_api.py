"""French for the checkout, orders and fulfilments API."""

FR = {
    # Checkout and orders
    "Out of stock in the network.": "En rupture de stock dans tout le réseau.",
    "Can't be sent within the maximum number of parcels.": (
        "Impossible à expédier dans le nombre maximal de colis."
    ),
    "This store can't take this order.": "Ce magasin ne peut pas prendre cette commande.",
    "Not enough stock in this store.": "Pas assez de stock dans ce magasin.",
    "Choose the pickup store.": "Choisissez le magasin de retrait.",
    "A home-delivery line has no pickup store.": (
        "Une ligne livrée à domicile n'a pas de magasin de retrait."
    ),
    "Unknown store.": "Magasin inconnu.",
    "This store does not offer %(method)s.": "Ce magasin ne propose pas ce service : %(method)s.",
    "Your store is not selling: it can't take orders.": (
        "Votre magasin n'est pas ouvert à la vente : il ne peut pas passer de commandes."
    ),
    "A request with this Idempotency-Key is still running: retry later.": (
        "Une requête avec cette Idempotency-Key est encore en cours : réessayez plus tard."
    ),
    "order request": "requête de commande",
    "order requests": "requêtes de commande",
    # Fulfilments
    "The pickup code is 6 digits.": "Le code de retrait compte 6 chiffres.",
}
