"""French for the store's order desk (queue, fulfilment page, handover, pick lists), the endless
aisle and HQ's routing rules."""

NB = "\u00a0"

FR = {
    # Forms
    "Why can't you serve it?": "Pourquoi ne pouvez-vous pas la servir ?",
    "The order goes to another store when it can; HQ sees your reason.": (
        "La commande part vers un autre magasin quand c'est possible ; le siège voit votre motif."
    ),
    "Carrier": "Transporteur",
    "Tracking number": "Numéro de suivi",
    "This is not a %(carrier)s tracking number: check it on the label.": (
        "Ce n'est pas un numéro de suivi %(carrier)s : vérifiez-le sur l'étiquette."
    ),
    "Pickup code": "Code de retrait",
    "The 6 digits the customer received by e-mail.": "Les 6 chiffres reçus par le client par e-mail.",
    "A pickup code is 6 digits.": "Un code de retrait a 6 chiffres.",
    "Quantity": "Quantité",
    "How does the customer get it?": "Comment le client le reçoit-il ?",
    "Home delivery to the customer's address": "Livraison à l'adresse du client",
    "Click & collect here, in our store": "Retrait ici, dans notre magasin",
    "First name": "Prénom",
    "Last name": "Nom",
    "The customer receives the confirmation and follow-up.": (
        "Le client y reçoit la confirmation et le suivi."
    ),
    "Postal code": "Code postal",
    "City": "Ville",
    # Queue
    "To accept": "À accepter",
    "to accept": "à accepter",
    "Accept or reject before the deadline.": "Acceptez ou refusez avant l'échéance.",
    "To pick": "À préparer",
    "Take the items from the shelves.": "Prenez les articles en rayon.",
    "Waiting for the customer and their code.": "En attente du client et de son code.",
    "To ship": "À expédier",
    "Picked: pack and hand to the carrier.": "Préparées : emballez et remettez au transporteur.",
    "Held for the customer to try in store.": "Réservé pour que le client l'essaie en magasin.",
    "Order tabs": "Onglets des commandes",
    "All open": "Toutes en cours",
    "Find an order": "Trouver une commande",
    "Order number, customer name or e-mail": "N° de commande, nom ou e-mail du client",
    "Order history": "Historique des commandes",
    "No past order matches this search.": "Aucune commande passée ne correspond à cette recherche.",
    "No past order yet.": "Pas encore de commande passée.",
    "Pick list of accepted orders": "Liste de préparation des commandes acceptées",
    "Order for a customer": "Commander pour un client",
    "Collect before": "À retirer avant le",
    "Accept before": "À accepter avant",
    "Accept": "Accepter",
    "Pick list": "Liste de préparation",
    "Open": "Ouvrir",
    "No open order matches this search.": "Aucune commande en cours ne correspond à cette recherche.",
    "Nothing to do here.": "Rien à faire ici.",
    "No open order: new orders appear here as soon as customers place them.": (
        "Aucune commande en cours : les nouvelles commandes apparaissent ici dès qu'elles sont "
        "passées."
    ),
    "{time} left": "encore {time}",
    "{time} late": "en retard de {time}",
    "less than a minute": "moins d'une minute",
    "Overdue": "En retard",
    "Customer": "Client",
    "Items": "Articles",
    "Status": "Statut",
    "Outcome": "Issue",
    "Closed on": "Clôturée le",
    # Messages
    "Order %(number)s accepted: pick it now.": "Commande %(number)s acceptée : préparez-la.",
    "Order %(number)s rejected.": "Commande %(number)s refusée.",
    "Order %(number)s picked.": "Commande %(number)s préparée.",
    "Order %(number)s is ready for pickup. The customer was sent their pickup code by e-mail (%(email)s).": (
        "La commande %(number)s est prête à retirer. Le client a reçu son code de retrait par "
        "e-mail (%(email)s)."
    ),
    "A new pickup code was sent to %(email)s; the old one no longer works.": (
        "Un nouveau code de retrait a été envoyé à %(email)s ; l'ancien ne fonctionne plus."
    ),
    "Order %(number)s shipped.": "Commande %(number)s expédiée.",
    "Outcome recorded for order %(number)s.": "Issue enregistrée pour la commande %(number)s.",
    "Order %(number)s handed over to %(name)s.": "Commande %(number)s remise à %(name)s.",
    "Order %(number)s placed for %(name)s, paid at the till.": (
        "Commande %(number)s passée pour %(name)s, payée en caisse."
    ),
    # Fulfilment page
    "Accept or reject before": "Acceptez ou refusez avant le",
    "Without an answer in time the order goes to another store.": (
        "Sans réponse à temps, la commande part vers un autre magasin."
    ),
    "Ready: the customer was sent their pickup code by e-mail (%(email)s). They show it at the counter.": (
        "Prête : le client a reçu son code de retrait par e-mail (%(email)s). Il le présente "
        "au comptoir."
    ),
    "To collect before": "À retirer avant le",
    "Next step": "Étape suivante",
    "Accept the order": "Accepter la commande",
    "Mark as picked": "Marquer comme préparée",
    "Print the pick list": "Imprimer la liste de préparation",
    "Mark ready for pickup": "Marquer prête au retrait",
    "The customer receives a pickup code by e-mail.": "Le client reçoit un code de retrait par e-mail.",
    "The customer is told the item waits for them.": "Le client est prévenu que l'article l'attend.",
    "Hand over with the code": "Remettre avec le code",
    ("reserve outcome button", "Bought in store"): "Achat en magasin",
    "Not bought": "Pas d'achat",
    "Ship": "Expédier",
    "Reject…": "Refuser…",
    "Reject the order": "Refuser la commande",
    "The customer lost their code: send a new one": "Le client a perdu son code : lui en envoyer un nouveau",
    "SKU / EAN": "SKU / EAN",
    "Qty": "Qté",
    "Ship to": "Livrer à",
    "Ship to: %(address)s, %(postal_code)s %(city)s": "Livrer à : %(address)s, %(postal_code)s %(city)s",
    "Ordered": "Commandée le",
    "Shipped with": "Expédiée avec",
    "Rejected because": "Refusée car",
    "Routed to your store": "Attribuée à votre magasin",
    # Handover
    "Hand over": "Remise",
    "<strong>%(name)s</strong> · order %(number)s": "<strong>%(name)s</strong> · commande %(number)s",
    "To give": "À remettre",
    "This order can't be handed over: it is “%(status)s”.": (
        "Cette commande ne peut pas être remise : elle est « %(status)s »."
    ),
    "Too many wrong codes: this pickup code no longer works.": (
        "Trop de codes erronés : ce code de retrait ne fonctionne plus."
    ),
    "Check the customer's identity, then send them a new code by e-mail (%(email)s).": (
        "Vérifiez l'identité du client, puis envoyez-lui un nouveau code par e-mail (%(email)s)."
    ),
    "Send a new code to the customer": "Envoyer un nouveau code au client",
    "Check the code and hand over": "Vérifier le code et remettre",
    # Pick list
    "accepted orders": "commandes acceptées",
    "Print": "Imprimer",
    "Reserve & collect: keep at the counter for the customer to try": (
        "Réservation : à garder au comptoir pour que le client l'essaie"
    ),
    "Click & collect: to the pickup shelf": "Retrait en magasin : au rayon des retraits",
    "Routed": "Attribuée le",
    "Options": "Options",
    "No accepted order to pick.": "Aucune commande acceptée à préparer.",
    # Endless aisle
    "Endless aisle": "Rayon infini",
    "A customer wants an item you don't have on the shelf? Find it in the network and order it for them: delivered to their home, or to collect here.": (
        "Un client veut un article absent de vos rayons ? Trouvez-le dans le réseau et "
        "commandez-le pour lui : livré chez lui, ou à retirer ici."
    ),
    "Search the catalogue": "Chercher dans le catalogue",
    "Product, brand, SKU or EAN": "Produit, marque, SKU ou EAN",
    "Here": "Ici",
    "In the network": "Dans le réseau",
    "Out of stock in the network": "En rupture dans le réseau",
    "Nothing in the catalogue matches this search.": "Rien dans le catalogue ne correspond à cette recherche.",
    "Where it is": "Où le trouver",
    "Your store": "Votre magasin",
    "your store": "votre magasin",
    "No other location near you has it.": "Aucun autre site près de chez vous ne l'a.",
    "Home delivery at HQ's price: %(price)s per unit.": (
        "Livraison à domicile au prix du siège : %(price)s l'unité."
    ),
    "Delivery %(fee)s, free from %(threshold)s.": "Livraison %(fee)s, offerte dès %(threshold)s.",
    "Click & collect here at your price: %(price)s.": "Retrait ici à votre prix : %(price)s.",
    "Order for the customer": "Commander pour le client",
    "home delivery": "livraison à domicile",
    "Not possible now: the routing engine can't serve it to your store.": (
        "Impossible pour l'instant : le moteur d'attribution ne peut pas le servir dans votre "
        "magasin."
    ),
    "Click & collect here isn't possible for this item: the routing engine can't serve it to your store. Choose home delivery. (%(reason)s)": (
        "Le retrait ici n'est pas possible pour cet article : le moteur d'attribution ne peut pas "
        "le servir dans votre magasin. Choisissez la livraison à domicile. (%(reason)s)"
    ),
    "The customer pays at the till: the order is recorded as paid in store.": (
        "Le client paie en caisse : la commande est enregistrée comme payée en magasin."
    ),
    "Place the order": "Passer la commande",
    "Paid at the till": "Payée en caisse",
    "of which delivery": "dont livraison",
    "Who serves it": "Qui la sert",
    "How": "Mode",
    "Why these locations": "Pourquoi ces sites",
    "Score": "Score",
    # Routing rules (HQ)
    "routing": "attribution",
    "Stores' deadlines": "Délais des magasins",
    ("order policy section", "Checkout"): "Passage de commande",
    "Routing: which store ships a home delivery": (
        "Attribution : quel magasin expédie une livraison à domicile"
    ),
    "The warehouse ships first when it has every line (if “warehouse first” is on). Otherwise each store that has the items is scored: every component is between 0 and 1, the total is the weighted sum, the highest total ships. Only the weights' ratios matter (0.4/0.2/0.25/0.15 is the same as 40/20/25/15). Each routing decision is kept with the order (see an order's “routing”).": (
        "L'entrepôt expédie en premier quand il a toutes les lignes (si « entrepôt d'abord » est "
        "coché). Sinon chaque magasin qui a les articles reçoit un score : chaque composante va "
        "de 0 à 1, le total est la somme pondérée, le meilleur total expédie. Seuls les rapports "
        "entre les poids comptent (0,4/0,2/0,25/0,15 revient à 40/20/25/15). Chaque décision est "
        "gardée avec la commande (voir l'« attribution » d'une commande)."
    ),
    "Routing limits": "Limites de l'attribution",
    "Delays told to the customer (days)": "Délais annoncés au client (jours)",
    "One parcel per shipping location. An order that would need more parcels has the lines that don't fit marked unavailable.": (
        "Un colis par site expéditeur. Dans une commande qui en demanderait plus, les lignes "
        "en trop sont indisponibles."
    ),
    "weight of the distance": "poids de la distance",
    "Nearer to the customer scores higher: 1 on the spot, 0 at the maximum distance.": (
        "Plus près du client, meilleur score : 1 sur place, 0 à la distance maximale."
    ),
    "weight of the stock depth": "poids de la profondeur de stock",
    "The share of its stock a location keeps after the order: taking a store's last unit scores 0.": (
        "La part de son stock qu'un site garde après la commande : prendre la dernière unité "
        "d'un magasin vaut 0."
    ),
    "weight of the load": "poids de la charge",
    "The room left in the store's daily capacity: its open fulfilments against the orders it can handle a day.": (
        "La marge restante dans la capacité du magasin : ses préparations en cours rapportées "
        "aux commandes qu'il peut traiter par jour."
    ),
    "weight of fairness": "poids de l'équité",
    "Spreads the work: a store that was routed fewer home deliveries in the last 7 days than the busiest candidate scores higher.": (
        "Répartit le travail : un magasin qui a reçu moins de livraisons à domicile ces 7 "
        "derniers jours que le candidat le plus chargé obtient un meilleur score."
    ),
    "farthest a store ships from (km)": "distance maximale d'expédition d'un magasin (km)",
    "A store farther from the customer is not a candidate; the warehouse ships anywhere.": (
        "Un magasin plus éloigné du client n'est pas candidat ; l'entrepôt expédie partout."
    ),
    "warehouse first": "entrepôt d'abord",
    "When the warehouse has every home-delivery line, it ships them, whatever the stores' scores.": (
        "Quand l'entrepôt a toutes les lignes livrées à domicile, il les expédie, quels que "
        "soient les scores des magasins."
    ),
    "store-to-store transfers for collection": "transferts entre magasins pour les retraits",
    "When the chosen store lacks the item, another location may send it there (the customer is told the longer delay).": (
        "Quand le magasin choisi n'a pas l'article, un autre site peut le lui envoyer (le "
        "client est prévenu du délai plus long)."
    ),
    "delay of a transfer (days)": "délai d'un transfert (jours)",
    "delay of a collection from stock (days)": "délai d'un retrait sur stock (jours)",
    "delivery delay from the warehouse (days)": "délai de livraison depuis l'entrepôt (jours)",
    "delivery delay from a store (days)": "délai de livraison depuis un magasin (jours)",
    "orders a store handles a day (default)": "commandes traitées par jour par un magasin (défaut)",
    "For the stores that set no daily capacity of their own. A store with as many open fulfilments gets no more home deliveries.": (
        "Pour les magasins sans capacité propre. Un magasin qui a autant de préparations en "
        "cours ne reçoit plus de livraisons à domicile."
    ),
    "At least one weight must be above 0 to rank stores.": (
        "Au moins un poids doit être supérieur à 0 pour classer les magasins."
    ),
    "Open fulfilments the store can handle; empty: HQ's default (order policy).": (
        "Préparations en cours que le magasin peut traiter ; vide : la valeur du siège (règles "
        "de commande)."
    ),
    # Routing record
    "The warehouse has every home-delivery line: it ships first (HQ's rule).": (
        "L'entrepôt a toutes les lignes livrées à domicile : il expédie en premier (règle du "
        "siège)."
    ),
    "One location can ship every home-delivery line: the best score wins.": (
        "Un seul site peut expédier toutes les lignes : le meilleur score l'emporte."
    ),
    "No single location has every line: the lines go to the fewest locations, each whole.": (
        "Aucun site n'a toutes les lignes : elles vont au plus petit nombre de sites, chacune "
        "entière."
    ),
    "A line's quantity is split over several locations (no one had it all).": (
        "La quantité d'une ligne est répartie sur plusieurs sites (aucun ne l'avait en entier)."
    ),
    "No location could ship it.": "Aucun site ne pouvait l'expédier.",
    "refused this order or let it time out": "a refusé cette commande ou l'a laissée expirer",
    "not selling (suspended, closed or onboarding)": "ne vend pas (suspendu, fermé ou en ouverture)",
    "does not offer this service": "n'offre pas ce service",
    "too far from the customer": "trop loin du client",
    "at its daily capacity": "à sa capacité journalière",
    "not enough stock": "stock insuffisant",
    "out of stock in the network": "en rupture dans le réseau",
    "only within more parcels than HQ allows": "seulement en plus de colis que le siège n'en autorise",
    "the chosen store cannot serve it": "le magasin choisi ne peut pas la servir",
    "the chosen store lacks it and no transfer is possible": (
        "le magasin choisi ne l'a pas et aucun transfert n'est possible"
    ),
    "served from stock": "servie sur stock",
    "store-to-store transfer": "transfert entre magasins",
    "distance": "la distance",
    "stock depth": "la profondeur de stock",
    "load": "la charge",
    "fairness": "l'équité",
    "%(name)s was the only eligible candidate.": "%(name)s était le seul candidat possible.",
    "%(name)s scored %(total).2f, ahead of %(runner)s (%(runner_total).2f), mostly on %(component)s.": (
        "%(name)s a obtenu %(total).2f, devant %(runner)s (%(runner_total).2f), surtout grâce à "
        "%(component)s."
    ),
    "%(source)s → %(store)s": "%(source)s → %(store)s",
    "The store the customer chose has it.": "Le magasin choisi par le client l'a en stock.",
    "Candidate": "Candidat",
    "Distance": "Distance",
    "Distance score": "Score distance",
    "Stock depth": "Profondeur de stock",
    "Load": "Charge",
    "Fairness": "Équité",
    "warehouse": "entrepôt",
    "chosen": "choisi",
    "No routing record for this order.": "Aucune décision d'attribution pour cette commande.",
    "Placement": "Attribution initiale",
    "order placed": "commande passée",
    "the store rejected it": "le magasin l'a refusée",
    "the store did not accept in time": "le magasin ne l'a pas acceptée à temps",
    "Re-route": "Réattribution",
    "Method": "Mode",
    "Served by": "Servie par",
    "Delay (days)": "Délai (jours)",
    "Why": "Pourquoi",
}

FR_PLURAL = {
    "%(counter)s day": ("%(counter)s jour", "%(counter)s jours"),
    "%(counter)s item for “%(query)s”": (
        f"%(counter)s article pour «{NB}%(query)s{NB}»",
        f"%(counter)s articles pour «{NB}%(query)s{NB}»",
    ),
    "%(counter)s store": ("%(counter)s magasin", "%(counter)s magasins"),
    "%(counter)s attempt left before the code is void.": (
        "%(counter)s essai restant avant que le code ne soit annulé.",
        "%(counter)s essais restants avant que le code ne soit annulé.",
    ),
    "%(counter)s order is past its deadline to accept: answer now or it goes to another store.": (
        "%(counter)s commande a dépassé son délai d'acceptation : répondez maintenant ou elle part "
        "vers un autre magasin.",
        "%(counter)s commandes ont dépassé leur délai d'acceptation : répondez maintenant ou "
        "elles partent vers un autre magasin.",
    ),
    "%(counter)s order": ("%(counter)s commande", "%(counter)s commandes"),
}

FR.update(
    {
        "Orders to serve": "Commandes à servir",
        "Open the order queue": "Ouvrir les commandes",
        "Web orders from your catchment area": "Commandes web de votre zone de chalandise",
    }
)
FR_PLURAL.update(
    {
        "%(counter)s overdue": ("%(counter)s en retard", "%(counter)s en retard"),
        "Orders of customers in your area over the last %(counter)s day, credited to your store whoever serves them.": (
            "Commandes des clients de votre zone sur le dernier jour, créditées à votre magasin "
            "quel que soit le site qui les sert.",
            "Commandes des clients de votre zone sur les %(counter)s derniers jours, créditées à "
            "votre magasin quel que soit le site qui les sert.",
        ),
        "%(counter)s of them is served by another location.": (
            "%(counter)s d'entre elles est servie par un autre site.",
            "%(counter)s d'entre elles sont servies par d'autres sites.",
        ),
    }
)
