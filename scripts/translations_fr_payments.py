"""French for payments and refunds."""

FR = {
    "paid online (cents)": "payé en ligne (centimes)",
    "routing decisions": "décisions de routage",
    "The payment was declined.": "Le paiement a été refusé.",
    "The items were no longer available when the payment went through.": (
        "Les articles n'étaient plus disponibles quand le paiement a abouti."
    ),
    "The items were no longer available when your payment went through: nothing was ordered "
    "and your payment is refunded.": (
        "Les articles n'étaient plus disponibles quand votre paiement a abouti : rien n'a été "
        "commandé et votre paiement est remboursé."
    ),
    "The payment was not completed in time.": "Le paiement n'a pas abouti à temps.",
    "Paid": "Payé",
    "Declined": "Refusé",
    "provider": "prestataire",
    "amount (cents)": "montant (centimes)",
    "refunded (cents)": "remboursé (centimes)",
    "provider reference": "référence du prestataire",
    "failure": "échec",
    "payment": "paiement",
    "payments": "paiements",
    "Refunded": "Remboursé",
    "Failed": "Échoué",
    "refund": "remboursement",
    "refunds": "remboursements",
    "The payment was declined: nothing was ordered. Try another card.": (
        "Le paiement a été refusé : rien n'a été commandé. Essayez avec une autre carte."
    ),
    "%(network)s: %(amount)s refunded for order %(number)s": (
        "%(network)s : %(amount)s remboursés pour la commande %(number)s"
    ),
    "%(amount)s refunded": "%(amount)s remboursés",
    "We are refunding %(amount)s for your order %(number)s to the card you paid with. "
    "Depending on your bank, it shows on your account within 5 to 10 days.": (
        "Nous vous remboursons %(amount)s pour votre commande %(number)s sur la carte utilisée "
        "pour payer. Selon votre banque, le montant apparaît sur votre compte sous 5 à 10 jours."
    ),
    "Reason:": "Motif :",
}
