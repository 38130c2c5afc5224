"""French for an order's life after checkout: re-routing, cancellations, jobs and e-mails."""

FR = {
    "The reservation expired.": "La réservation a expiré.",
    "An order changed: a store accepted it, or some of its items were cancelled.": (
        "Une commande a changé : un magasin l'a acceptée, ou certains de ses articles ont été "
        "annulés."
    ),
    "Every item of an order was handed over, shipped or sold.": (
        "Tous les articles d'une commande ont été remis, expédiés ou vendus."
    ),
    "No store could take the order": "Aucun magasin n'a pu prendre la commande",
    "No store confirmed the order in time": "Aucun magasin n'a confirmé la commande à temps",
    "The reservation expired": "La réservation a expiré",
    "Not bought in store": "Non acheté en magasin",
    "The pickup store could not prepare it": "Le magasin de retrait n'a pas pu la préparer",
    "The pickup store did not confirm it in time": (
        "Le magasin de retrait ne l'a pas confirmée à temps"
    ),
    "The store you chose cannot prepare these items.": (
        "Le magasin que vous avez choisi ne peut pas préparer ces articles."
    ),
    "The store you chose could not confirm these items in time.": (
        "Le magasin que vous avez choisi n'a pas pu confirmer ces articles à temps."
    ),
    "Cancelled by the store": "Annulé par le magasin",
    "The store could not serve these items, and no other store or warehouse of the network could take them over.": (
        "Le magasin ne pouvait pas servir ces articles, et aucun autre magasin ni entrepôt du "
        "réseau n'a pu prendre le relais."
    ),
    "No store of the network could confirm these items in time.": (
        "Aucun magasin du réseau n'a pu confirmer ces articles à temps."
    ),
    "They were not collected before the date given in your pickup e-mail.": (
        "Ils n'ont pas été retirés avant la date indiquée dans votre e-mail de retrait."
    ),
    "Your reservation has expired: the items are back on the shelves.": (
        "Votre réservation a expiré : les articles sont retournés en rayon."
    ),
    "The store had to cancel them.": "Le magasin a dû les annuler.",
    "Reservation confirmed": "Réservation confirmée",
    "Your order is being prepared": "Votre commande est en préparation",
    "%(store_name)s confirms your reservation %(number)s: the items below are set aside for you. We will write again when they are waiting for you at the counter.": (
        "%(store_name)s confirme votre réservation %(number)s : les articles ci-dessous vous "
        "sont mis de côté. Nous vous écrirons dès qu'ils vous attendront au comptoir."
    ),
    "%(store_name)s has accepted your order %(number)s and is preparing it. We will send you your pickup code as soon as it is ready.": (
        "%(store_name)s a accepté votre commande %(number)s et la prépare. Nous vous enverrons "
        "votre code de retrait dès qu'elle sera prête."
    ),
    "%(store_name)s has accepted your order %(number)s and is preparing your parcel. We will send you its tracking number as soon as it ships.": (
        "%(store_name)s a accepté votre commande %(number)s et prépare votre colis. Nous vous "
        "enverrons son numéro de suivi dès son expédition."
    ),
    "They are held for you until %(hold_until)s; you pay in the store only if you take them.": (
        "Ils vous sont réservés jusqu'au %(hold_until)s ; vous ne payez en magasin que si vous "
        "les prenez."
    ),
    "%(network)s: your reservation %(number)s is confirmed": (
        "%(network)s : votre réservation %(number)s est confirmée"
    ),
    "%(network)s: your order %(number)s is being prepared": (
        "%(network)s : votre commande %(number)s est en préparation"
    ),
    "Order cancelled": "Commande annulée",
    "Items cancelled": "Articles annulés",
    "We are sorry: your order %(number)s is cancelled.": (
        "Nous sommes désolés : votre commande %(number)s est annulée."
    ),
    "We are sorry: these items of your order %(number)s are cancelled; the rest of the order goes on.": (
        "Nous sommes désolés : ces articles de votre commande %(number)s sont annulés ; le reste "
        "de la commande suit son cours."
    ),
    "We are refunding %(amount)s to your means of payment; a separate e-mail confirms it.": (
        "Nous vous remboursons %(amount)s sur votre moyen de paiement ; un autre e-mail vous le "
        "confirme."
    ),
    "%(network)s: your order %(number)s is cancelled": (
        "%(network)s : votre commande %(number)s est annulée"
    ),
    "%(network)s: items of your order %(number)s are cancelled": (
        "%(network)s : des articles de votre commande %(number)s sont annulés"
    ),
    "The items you reserved (order %(number)s) are waiting for you at %(store_name)s. Try them in the store and pay there only if you take them.": (
        "Les articles que vous avez réservés (commande %(number)s) vous attendent à "
        "%(store_name)s. Essayez-les sur place et ne payez en magasin que si vous les prenez."
    ),
    "Your order %(number)s is ready: collect it at %(store_name)s.": (
        "Votre commande %(number)s est prête : retirez-la à %(store_name)s."
    ),
    "Your pickup code": "Votre code de retrait",
    "QR code of your pickup code %(pickup_code)s": "QR code de votre code de retrait %(pickup_code)s",
    "Show this code or its QR code at the counter.": (
        "Présentez ce code ou son QR code au comptoir."
    ),
    "Your reservation ends on %(collect_before)s.": (
        "Votre réservation prend fin le %(collect_before)s."
    ),
    "Collect it before %(collect_before)s; after that the order is cancelled and refunded.": (
        "Retirez-la avant le %(collect_before)s ; passé ce délai, la commande est annulée et "
        "remboursée."
    ),
    "%(network)s: your order %(number)s is ready at %(store_name)s": (
        "%(network)s : votre commande %(number)s est prête à %(store_name)s"
    ),
    "Show this code (or the QR code of the HTML version of this e-mail) at the counter.": (
        "Présentez ce code (ou le QR code de la version HTML de cet e-mail) au comptoir."
    ),
    "Your parcel is on its way": "Votre colis est en route",
    "%(store_name)s has shipped your parcel (order %(number)s).": (
        "%(store_name)s a expédié votre colis (commande %(number)s)."
    ),
    "Carrier": "Transporteur",
    "Carrier: %(carrier)s": "Transporteur : %(carrier)s",
    "Tracking number: %(tracking_number)s": "Numéro de suivi : %(tracking_number)s",
    "Follow your parcel: %(tracking_url)s": "Suivre votre colis : %(tracking_url)s",
    "Your pickup code: %(pickup_code)s": "Votre code de retrait : %(pickup_code)s",
    "Tracking number": "Numéro de suivi",
    "Follow your parcel": "Suivre votre colis",
    "%(network)s: your order %(number)s is on its way": (
        "%(network)s : votre commande %(number)s est en route"
    ),
    "Your reservation ends soon": "Votre réservation prend bientôt fin",
    "The items you reserved (order %(number)s) are still waiting for you at %(store_name)s, until %(hold_until)s. After that they go back on the shelves.": (
        "Les articles que vous avez réservés (commande %(number)s) vous attendent encore à "
        "%(store_name)s, jusqu'au %(hold_until)s. Ensuite, ils retournent en rayon."
    ),
    "%(network)s: your reservation %(number)s ends soon": (
        "%(network)s : votre réservation %(number)s prend bientôt fin"
    ),
}
