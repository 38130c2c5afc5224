"""French for the legal pages."""

FR = {
    "Who else receives data": "Qui d'autre reçoit des données",
    "Maps of stores are drawn with OpenStreetMap tiles: your browser asks OpenStreetMap's servers for them, which see your IP address. The lists of stores beside each map work without it.": (
        "Les cartes des magasins sont dessinées avec les tuiles d'OpenStreetMap : votre "
        "navigateur les demande aux serveurs d'OpenStreetMap, qui voient votre adresse IP. Les "
        "listes de magasins à côté de chaque carte fonctionnent sans elles."
    ),
    "Card payments are processed by our licensed payment provider, which receives your card details directly; we never see or store them.": (
        "Les paiements par carte sont traités par notre prestataire de paiement agréé, qui reçoit "
        "directement les données de votre carte ; nous ne les voyons ni ne les conservons jamais."
    ),
}
