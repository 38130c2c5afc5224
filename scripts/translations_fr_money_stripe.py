"""French for the Stripe Connect part of payments: payment accounts and their onboarding,
provider events, pending payments; and the ledger's model labels of the money contract."""

FR = {
    # Checkout and pending payments
    "The payment service did not answer.": "Le service de paiement n'a pas répondu.",
    "The payment service did not answer: nothing was ordered. Try again in a moment.": (
        "Le service de paiement n'a pas répondu : rien n'a été commandé. Réessayez dans un instant."
    ),
    "The payment went through after the order was cancelled.": (
        "Le paiement a abouti après l'annulation de la commande."
    ),
    "This shop runs with its test payment provider. Use the card 4242 4242 4242 4242 to pay, "
    "4000 0000 0000 0002 to see a declined payment, or 4000 0000 0000 3220 to see a payment "
    "that your bank confirms later (3-D Secure); any future expiry date and any 3-digit code.": (
        "Cette boutique utilise son prestataire de paiement de test. Utilisez la carte "
        "4242 4242 4242 4242 pour payer, 4000 0000 0000 0002 pour voir un paiement refusé, ou "
        "4000 0000 0000 3220 pour voir un paiement que votre banque confirme plus tard "
        "(3-D Secure) ; n'importe quelle date d'expiration future et n'importe quel code à "
        "3 chiffres."
    ),
    "Thank you, %(name)s: your payment is being confirmed": (
        "Merci, %(name)s : votre paiement est en cours de confirmation"
    ),
    "Your bank has not confirmed the payment of order <strong>%(number)s</strong> yet. The "
    "items are held for you meanwhile; we write to you as soon as it is confirmed.": (
        "Votre banque n'a pas encore confirmé le paiement de la commande "
        "<strong>%(number)s</strong>. Les articles vous sont réservés en attendant ; nous vous "
        "écrivons dès qu'il est confirmé."
    ),
    "Check the payment again": "Vérifier à nouveau le paiement",
    "Your payment was not confirmed": "Votre paiement n'a pas été confirmé",
    "Order <strong>%(number)s</strong> was not placed: your bank did not confirm the payment. "
    "Nothing was charged (or it is refunded).": (
        "La commande <strong>%(number)s</strong> n'a pas été passée : votre banque n'a pas "
        "confirmé le paiement. Rien n'a été débité (ou c'est remboursé)."
    ),
    # Payment accounts
    "state as of": "état au",
    "payout state": "état des virements",
    "can receive payouts": "peut recevoir des virements",
    "Requirements past due": "Informations en retard",
    "Onboarding incomplete": "Inscription incomplète",
    "Ready": "Prêt",
    "Not opened": "Non ouvert",
    "The payment provider did not answer: the state shown may be old.": (
        "Le prestataire de paiement ne répond pas : l'état affiché peut être ancien."
    ),
    "HQ opens the store's payment account first.": (
        "Le siège ouvre d'abord le compte de paiement du magasin."
    ),
    "The payment provider did not answer: try again in a moment.": (
        "Le prestataire de paiement ne répond pas : réessayez dans un instant."
    ),
    "Payouts are suspended: the payment provider is waiting for information past its deadline.": (
        "Les virements sont suspendus : le prestataire de paiement attend des informations "
        "dont l'échéance est passée."
    ),
    "See what is needed": "Voir ce qui manque",
    "Payment account": "Compte de paiement",
    "The account of %(name)s at the payment provider receives the store's share of its sales "
    "(net of the network's commission) and pays it out to the store's bank. The provider checks "
    "the company and its representative before money can move (KYC).": (
        "Le compte de %(name)s chez le prestataire de paiement reçoit la part du magasin sur ses "
        "ventes (nette de la commission du réseau) et la verse sur le compte bancaire du "
        "magasin. Le prestataire vérifie la société et son représentant avant que l'argent "
        "puisse circuler (KYC)."
    ),
    "No payment account is open yet: the store cannot receive transfers or payouts.": (
        "Aucun compte de paiement n'est encore ouvert : le magasin ne peut recevoir ni "
        "transferts ni virements."
    ),
    "HQ opens it and starts the onboarding; you will then complete it here.": (
        "Le siège l'ouvre et lance l'inscription ; vous la complétez ensuite ici."
    ),
    "Requirements are past their deadline: payouts are suspended until they are provided.": (
        "Des informations ont dépassé leur échéance : les virements sont suspendus jusqu'à ce "
        "qu'elles soient fournies."
    ),
    "The onboarding is not complete: the provider still needs the following.": (
        "L'inscription n'est pas terminée : le prestataire attend encore ce qui suit."
    ),
    "The account is verified: the store receives its transfers and payouts.": (
        "Le compte est vérifié : le magasin reçoit ses transferts et ses virements."
    ),
    "Provider account": "Compte chez le prestataire",
    "enabled": "activés",
    "not enabled": "non activés",
    "Payouts": "Virements",
    "suspended": "suspendus",
    "Last read": "Dernière lecture",
    "Open the account and start the onboarding": "Ouvrir le compte et lancer l'inscription",
    "Continue the onboarding at the provider": "Poursuivre l'inscription chez le prestataire",
    "Read the state again": "Relire l'état",
    "The store's bank account": "Le compte bancaire du magasin",
    "The business's website": "Le site web de l'entreprise",
    "The business's activity": "L'activité de l'entreprise",
    "The company's registration number": "Le numéro d'immatriculation de la société",
    "The representative's first name": "Le prénom du représentant",
    "The representative's last name": "Le nom du représentant",
    "The representative's date of birth": "La date de naissance du représentant",
    "The representative's identity document": "La pièce d'identité du représentant",
    "Acceptance of the provider's terms": "L'acceptation des conditions du prestataire",
    # Provider events
    "event id": "identifiant de l'événement",
    "type": "type",
    "account": "compte",
    "created at the provider": "créé chez le prestataire",
    "received": "reçu",
    "processed": "traité",
    "outcome": "résultat",
    "provider event": "événement du prestataire",
    "provider events": "événements du prestataire",
}
