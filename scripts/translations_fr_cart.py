"""French for the storefront's cart, checkout, confirmation and order tracking."""

FR = {
    # Models
    "cart": "panier",
    "carts": "paniers",
    "cart line": "ligne de panier",
    "cart lines": "lignes de panier",
    "from": "de",
    "until": "à",
    "pickup slot": "créneau de retrait",
    "pickup slots": "créneaux de retrait",
    "pickup slots (minutes; empty: no slots, customers come during opening hours)": (
        "créneaux de retrait (minutes ; vide : pas de créneau, le client vient pendant les "
        "heures d'ouverture)"
    ),
    # Cart rules and messages
    "Click & collect at %(store)s": "Retrait en magasin à %(store)s",
    "Reserve & collect at %(store)s": "Réservation en magasin à %(store)s",
    "Click & collect at %s": "Retrait en magasin à %s",
    "Reserve & collect at %s": "Réservation en magasin à %s",
    "This item is no longer sold.": "Cet article n'est plus vendu.",
    "%(store)s is not taking orders at the moment.": (
        "%(store)s ne prend pas de commande en ce moment."
    ),
    "%(store)s no longer offers %(method)s.": "%(store)s ne propose plus le service « %(method)s ».",
    "No longer available for home delivery.": "Plus disponible en livraison à domicile.",
    "Only %(count)s left for home delivery.": "Plus que %(count)s en livraison à domicile.",
    "No longer available at %(store)s.": "Plus disponible chez %(store)s.",
    "Only %(count)s left at %(store)s.": "Plus que %(count)s chez %(store)s.",
    "Choose how you want to get this item.": "Choisissez comment obtenir cet article.",
    "Unknown choice.": "Choix inconnu.",
    "Choose the store where you will collect it.": "Choisissez le magasin où le retirer.",
    "Required.": "Obligatoire.",
    "%(store)s is not open for orders.": "%(store)s ne prend pas de commande.",
    "%(store)s does not offer %(method)s.": "%(store)s ne propose pas le service « %(method)s ».",
    "Not offered by this store.": "Service non proposé par ce magasin.",
    "Choose a quantity between 1 and %(max)s.": "Choisissez une quantité entre 1 et %(max)s.",
    "Between 1 and %(max)s.": "Entre 1 et %(max)s.",
    "for home delivery": "en livraison à domicile",
    "at %(store)s": "chez %(store)s",
    "%(product)s is not available %(where)s right now.": (
        "%(product)s n'est pas disponible %(where)s en ce moment."
    ),
    "Only %(available)s of %(product)s available %(where)s.": (
        "Seulement %(available)s disponible(s) %(where)s pour %(product)s."
    ),
    "At most %(available)s.": "%(available)s au plus.",
    "This line is no longer in your cart.": "Cette ligne n'est plus dans votre panier.",
    "We could not add this item: choose it again.": (
        "Nous n'avons pas pu ajouter cet article : choisissez-le à nouveau."
    ),
    "%(product)s is in your cart (%(how)s).": "%(product)s est dans votre panier (%(how)s).",
    "%(method)s at %(store)s": "%(method)s à %(store)s",
    "Your cart is up to date.": "Votre panier est à jour.",
    "The item was removed from your cart.": "L'article a été retiré de votre panier.",
    "Your cart is empty.": "Votre panier est vide.",
    "Some items can't be ordered as they are: change them, then check out.": (
        "Certains articles ne peuvent pas être commandés tels quels : modifiez-les, puis "
        "validez la commande."
    ),
    "Your payment was declined: nothing was ordered and nothing was charged. Check the card, "
    "or use another one.": (
        "Votre paiement a été refusé : rien n'a été commandé ni débité. Vérifiez la carte, ou "
        "utilisez-en une autre."
    ),
    "Your cart is kept: change or remove the items marked below, then retry.": (
        "Votre panier est conservé : modifiez ou retirez les articles signalés ci-dessous, "
        "puis réessayez."
    ),
    "We found no order with this number and e-mail address. Check both, as written in your "
    "confirmation e-mail.": (
        "Aucune commande ne correspond à ce numéro et à cette adresse e-mail. Vérifiez-les "
        "tels qu'ils figurent dans votre e-mail de confirmation."
    ),
    "These items can't be served as you chose any more: %(items)s. Nothing was ordered.": (
        "Ces articles ne peuvent plus être servis comme vous l'avez choisi : %(items)s. Rien "
        "n'a été commandé."
    ),
    # Promises
    "Delivered within %(days)s days, by %(date)s.": "Livré sous %(days)s jours, d'ici le %(date)s.",
    "Ready within %(window)s of the store's opening hours%(when)s. Kept for you %(days)s days; "
    "we e-mail you a pickup code when it is ready.": (
        "Prêt sous %(window)s d'ouverture du magasin%(when)s. Conservé %(days)s jours ; nous "
        "vous envoyons un code de retrait par e-mail dès qu'il est prêt."
    ),
    ", by %(moment)s": ", soit %(moment)s",
    "The store confirms within %(window)s of its opening hours%(when)s, then holds it for you "
    "%(hours)s hours. Nothing to pay now: you pay in store, only if you buy.": (
        "Le magasin confirme sous %(window)s d'ouverture%(when)s, puis vous le garde "
        "%(hours)s heures. Rien à payer maintenant : vous payez en magasin, seulement si vous "
        "achetez."
    ),
    " (by %(moment)s)": " (soit %(moment)s)",
    "today at %(time)s": "aujourd'hui à %(time)s",
    "tomorrow at %(time)s": "demain à %(time)s",
    "%(day)s at %(time)s": "%(day)s à %(time)s",
    # Forms
    "Quantity": "Quantité",
    "How to get it": "Retrait ou livraison",
    "First name": "Prénom",
    "Last name": "Nom",
    "Only to reach you about this order.": "Uniquement pour vous joindre au sujet de cette commande.",
    "Postal code": "Code postal",
    "Town": "Ville",
    "Card number": "Numéro de carte",
    "Expiry (MM/YY)": "Expiration (MM/AA)",
    "Security code": "Cryptogramme",
    "I have read and accept the terms of sale.": "J'ai lu et j'accepte les conditions de vente.",
    "Pickup time at %(store)s": "Heure de retrait chez %(store)s",
    "This card number is not valid.": "Ce numéro de carte n'est pas valide.",
    "Write the expiry as MM/YY.": "Écrivez la date d'expiration sous la forme MM/AA.",
    "This card has expired.": "Cette carte a expiré.",
    "3 or 4 digits, on the back of the card.": "3 ou 4 chiffres, au dos de la carte.",
    "Choose a time": "Choisissez une heure",
    "Order number": "Numéro de commande",
    "The e-mail address given with the order": "L'adresse e-mail donnée à la commande",
    # Status in words
    "Waiting for the store to confirm": "En attente de confirmation du magasin",
    "Confirmed, being prepared": "Confirmée, en préparation",
    "Packed, about to leave": "Emballée, bientôt expédiée",
    "Picked, almost ready": "Préparée, bientôt prête",
    "Held for you in store": "Mis de côté pour vous en magasin",
    "Bought in store": "Acheté en magasin",
    "Not bought: reservation closed": "Non acheté : réservation close",
    "This store could not serve it": "Ce magasin n'a pas pu la servir",
    "Not collected in time: cancelled": "Non retirée à temps : annulée",
    "Order placed": "Commande passée",
    # E-mail
    "Follow my order": "Suivre ma commande",
    "This link is personal: it lets whoever has it follow your order.": (
        "Ce lien est personnel : quiconque le possède peut suivre votre commande."
    ),
    "Follow your order: %(follow_url)s": "Suivez votre commande : %(follow_url)s",
    # Pages
    "My orders": "Mes commandes",
    "Follow an order": "Suivre une commande",
    "Free": "Offerte",
    "of which VAT": "dont TVA",
    "To pay now": "À payer maintenant",
    "To pay in store (reserve & collect), only if you buy": (
        "À payer en magasin (réservation), seulement si vous achetez"
    ),
    "Sent by %(store)s": "Expédié par %(store)s",
    "Your order is ready. Your pickup code was sent by e-mail: show it at the counter.": (
        "Votre commande est prête. Votre code de retrait vous a été envoyé par e-mail : "
        "présentez-le au comptoir."
    ),
    "Collect it by %(date)s.": "À retirer avant le %(date)s.",
    "Your item is held for you: your pickup code was sent by e-mail. Try it in store and pay "
    "there only if you buy.": (
        "Votre article vous attend : votre code de retrait vous a été envoyé par e-mail. "
        "Essayez-le en magasin et payez-le sur place seulement si vous l'achetez."
    ),
    "Held until %(date)s.": "Mis de côté jusqu'au %(date)s.",
    "the carrier": "le transporteur",
    "Shipped with %(carrier)s, tracking number <strong>%(number)s</strong>.": (
        "Expédié avec %(carrier)s, numéro de suivi <strong>%(number)s</strong>."
    ),
    "Shipped.": "Expédié.",
    "Your pickup time: %(day)s, %(start)s \u2013 %(end)s.": (
        "Votre créneau de retrait : %(day)s, %(start)s \u2013 %(end)s."
    ),
    "What happened": "Historique",
    "Store address and opening hours": "Adresse et horaires du magasin",
    "open now": "ouvert en ce moment",
    "Cart": "Panier",
    "Your cart": "Votre panier",
    "Browse the catalogue": "Parcourir le catalogue",
    "Lower the quantity, choose another store or home delivery, or remove the item.": (
        "Baissez la quantité, choisissez un autre magasin ou la livraison à domicile, ou "
        "retirez l'article."
    ),
    "Hours and address": "Horaires et adresse",
    "%(price)s each": "%(price)s l'unité",
    "Update": "Mettre à jour",
    "Summary": "Récapitulatif",
    "Home delivery is free from %(threshold)s of home-delivered items.": (
        "La livraison à domicile est offerte dès %(threshold)s d'articles livrés."
    ),
    "Prices include VAT. Collected items are sold at the store's price.": (
        "Prix TTC. Les articles retirés en magasin sont vendus au prix du magasin."
    ),
    "Fix the items marked in red to check out.": (
        "Corrigez les articles signalés en rouge pour valider la commande."
    ),
    "Check out": "Valider la commande",
    "Checkout": "Commande",
    "Back to the cart": "Retour au panier",
    'Ordering as a guest. Have an account? <a href="%(login_url)s?next=%(next)s">Log in</a> to '
    "find your details and your orders in one place.": (
        'Vous commandez sans compte. Vous en avez un ? <a href="%(login_url)s?next=%(next)s">'
        "Connectez-vous</a> pour retrouver vos coordonnées et vos commandes au même endroit."
    ),
    "Some details are missing or wrong: see the fields marked below.": (
        "Des informations manquent ou sont erronées : voyez les champs signalés ci-dessous."
    ),
    "Your details": "Vos coordonnées",
    "Your confirmation and the pickup codes are sent to this e-mail address.": (
        "La confirmation et les codes de retrait sont envoyés à cette adresse e-mail."
    ),
    "Delivery address": "Adresse de livraison",
    "We deliver in metropolitan France.": "Nous livrons en France métropolitaine.",
    "How you get your items": "Comment vous obtenez vos articles",
    "Payment": "Paiement",
    "Test payment: no card is charged.": "Paiement de test : aucune carte n'est débitée.",
    "This shop runs with its test payment provider. Use the card 4242 4242 4242 4242 to pay, "
    "or 4000 0000 0000 0002 to see a declined payment; any future expiry date and any 3-digit "
    "code.": (
        "Cette boutique utilise son prestataire de paiement de test. Utilisez la carte "
        "4242 4242 4242 4242 pour payer, ou 4000 0000 0000 0002 pour voir un paiement refusé ; "
        "n'importe quelle date d'expiration future et n'importe quel code à 3 chiffres."
    ),
    "%(amount)s will be charged when you order.": "%(amount)s seront débités à la commande.",
    "Reserved items (%(amount)s) are paid in store, only if you buy them.": (
        "Les articles réservés (%(amount)s) se paient en magasin, seulement si vous les achetez."
    ),
    "Your order": "Votre commande",
    'I have read and accept the <a href="%(terms_url)s" target="_blank" rel="noopener">terms '
    "of sale</a>.": (
        'J\'ai lu et j\'accepte les <a href="%(terms_url)s" target="_blank" rel="noopener">'
        "conditions de vente</a>."
    ),
    "Order with obligation to pay (%(amount)s)": "Commander avec obligation de paiement (%(amount)s)",
    "Confirm my reservation": "Confirmer ma réservation",
    "You may withdraw within 14 days of receiving your items.": (
        "Vous disposez de 14 jours après réception pour vous rétracter."
    ),
    "You have no order yet.": "Vous n'avez pas encore passé de commande.",
    "Thank you, %(name)s!": "Merci, %(name)s !",
    "Your order <strong>%(number)s</strong> is placed. A confirmation is on its way to "
    "%(email)s.": (
        "Votre commande <strong>%(number)s</strong> est passée. Une confirmation part vers "
        "%(email)s."
    ),
    "The stores serving it have been told: we write to you at each step (confirmed, ready to "
    "collect with your pickup code, shipped).": (
        "Les magasins qui la servent sont prévenus : nous vous écrivons à chaque étape "
        "(confirmée, prête à retirer avec votre code, expédiée)."
    ),
    "Keep the e-mail: its link lets you follow the order from any device. You can also find it "
    "with its number and your e-mail address.": (
        "Gardez l'e-mail : son lien vous permet de suivre la commande depuis n'importe quel "
        "appareil. Vous pouvez aussi la retrouver avec son numéro et votre adresse e-mail."
    ),
    "Items": "Articles",
    "Order %(number)s": "Commande %(number)s",
    "Placed on %(date)s": "Passée le %(date)s",
    "Return items": "Retourner des articles",
    "Bring them back to any store of the network.": (
        "Rapportez-les dans n'importe quel magasin du réseau."
    ),
    "This order has no part to follow.": "Cette commande n'a rien à suivre.",
    "Add to cart: home delivery": "Ajouter au panier : livraison à domicile",
    "Or collect it in a store near you: choose the store below.": (
        "Ou retirez-le dans un magasin près de chez vous : choisissez le magasin ci-dessous."
    ),
    "Click & collect here": "Retirer dans ce magasin",
    "Reserve, pay in store": "Réserver, payer en magasin",
    "Ordered without an account? Give the order number and the e-mail address written in your "
    "confirmation e-mail.": (
        "Commande passée sans compte ? Indiquez le numéro de commande et l'adresse e-mail "
        "figurant dans votre e-mail de confirmation."
    ),
    'With an account, <a href="%(login_url)s">log in</a> to see all your orders.': (
        'Avec un compte, <a href="%(login_url)s">connectez-vous</a> pour voir toutes vos commandes.'
    ),
}

FR_PLURAL = {
    "Take the %(counter)s available": (
        "Prendre le seul disponible",
        "Prendre les %(counter)s disponibles",
    ),
    "%(count)s minute": ("%(count)s minute", "%(count)s minutes"),
    "%(count)s hour": ("%(count)s heure", "%(count)s heures"),
    "Items (%(counter)s)": ("Article (%(counter)s)", "Articles (%(counter)s)"),
    "item": ("article", "articles"),
    "An item can't be ordered as it is:": (
        "%(counter)s article ne peut pas être commandé tel quel :",
        "%(counter)s articles ne peuvent pas être commandés tels quels :",
    ),
}
