"""French for store-to-store transfers (checkout promise, back-office steps, API, e-mails)."""

FR = {
    "On its way to the pickup store": "En route vers le magasin de retrait",
    ("fulfilment status", "Received at the pickup store"): "Reçue au magasin de retrait",
    "pickup store": "magasin de retrait",
    "sent to the pickup store at": "envoyée au magasin de retrait le",
    "This step of the transfer is for %(store)s to do.": "Cette étape du transfert revient à %(store)s.",
    "Internal shuttle": "Navette interne",
    "Name the carrier of this tracking number.": "Indiquez le transporteur de ce numéro de suivi.",
    "A carrier needs a tracking number; or send it by internal shuttle.": "Un transporteur demande un numéro de suivi ; sinon, envoyez par la navette interne.",
    "A store sent a fulfilment's goods to the customer's pickup store (a transfer).": "Un magasin a envoyé les articles d'une préparation au magasin de retrait du client (un transfert).",
    "The pickup store received the goods another store sent it (a transfer).": "Le magasin de retrait a reçu les articles envoyés par un autre magasin (un transfert).",
    "A carrier needs its tracking number.": "Un transporteur demande son numéro de suivi.",
    "Order %(number)s sent to %(store)s.": "Commande %(number)s envoyée à %(store)s.",
    "Order %(number)s received: mark it ready when it is on the pickup shelf.": "Commande %(number)s reçue : marquez-la prête quand elle est sur l'étagère de retrait.",
    "To send to a store": "À envoyer à un magasin",
    "Picked for another store's customer: send it to that store.": "Préparée pour le client d'un autre magasin : envoyez-la à ce magasin.",
    "Incoming transfers": "Transferts à recevoir",
    "Sent by another store for your customers: receive them when they arrive, then make them ready.": "Envoyés par un autre magasin pour vos clients : réceptionnez-les à leur arrivée, puis rendez-les prêts.",
    "On its way to your store": "En route vers votre magasin",
    "Arrived at your store, almost ready": "Arrivée dans votre magasin, bientôt prête",
    "A transfer: %(source)s sells its stock and sends these items here for your customer to collect. Receive them when they arrive, then mark them ready.": "Un transfert : %(source)s vend son stock et envoie ces articles ici pour que votre client les retire. Réceptionnez-les à leur arrivée, puis marquez-les prêts.",
    "A transfer: your stock, sold to a customer who collects at %(pickup)s. Pick the items and send them to that store.": "Un transfert : votre stock, vendu à un client qui retire à %(pickup)s. Préparez les articles et envoyez-les à ce magasin.",
    "On its way from %(source)s (%(carrier)s).": "En route depuis %(source)s (%(carrier)s).",
    "Received: the items are here": "Reçue : les articles sont arrivés",
    "They come into your stock, held for this customer.": "Ils entrent dans votre stock, réservés pour ce client.",
    "Send to %(pickup)s": "Envoyer à %(pickup)s",
    "Sold from": "Vendue par",
    "Collected at": "Retrait à",
    ("transfer", "Received"): "Reçue",
    ("transfer button", "Received"): "Reçue",
    "Transfer from %(source)s": "Transfert depuis %(source)s",
    "Transfer: ship to %(pickup)s": "Transfert : envoyer à %(pickup)s",
    "Mark ready": "Marquer prête",
    "On its way to your store: another store sends it to %(store)s. We will write when it is ready for you.": "En route vers votre magasin : un autre magasin l'envoie à %(store)s. Nous vous écrirons quand elle sera prête.",
    "Sent to %(store)s from another store.": "Envoyée à %(store)s depuis un autre magasin.",
    "transfer": "transfert",
    "Store-to-store transfers": "Transferts entre magasins",
    "Served where collected": "Servies là où elles sont retirées",
}

FR_PLURAL = {
    "Available at %(store)s in %(days)s day, sent from another store.": (
        "Disponible à %(store)s dans %(days)s jour, envoyé depuis un autre magasin.",
        "Disponible à %(store)s dans %(days)s jours, envoyé depuis un autre magasin.",
    ),
}

# The product page's "have it sent to your store"
FR.update(
    {
        "Collect at": "Retirer à",
        "Have it sent to this store": "Me l'envoyer dans ce magasin",
    }
)
FR_PLURAL.update(
    {
        "Not in your store? We send it there from another store: ready in about %(days)s day.": (
            "Pas dans votre magasin ? Nous l'y envoyons depuis un autre magasin : prêt dans "
            "%(days)s jour environ.",
            "Pas dans votre magasin ? Nous l'y envoyons depuis un autre magasin : prêt dans "
            "%(days)s jours environ.",
        ),
    }
)
