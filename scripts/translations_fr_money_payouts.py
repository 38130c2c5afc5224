"""French for payouts, invoices, statements, exports and the money pages."""

FR = {
    ("invoice column", "VAT rate"): "Taux de TVA",
    "A store's payout was sent to its bank.": "Le virement d'un magasin a été envoyé à sa banque.",
    "A store's payout failed: the amount is back in its balance.": (
        "Le virement d'un magasin a échoué : le montant revient à son solde."
    ),
    "HQ issued an invoice or a credit note to a store.": (
        "Le siège a émis une facture ou un avoir à un magasin."
    ),
    "Retry the selected failed payouts (a new attempt)": (
        "Relancer les virements échoués sélectionnés (nouvelle tentative)"
    ),
    "%(count)d payout(s) retried.": "%(count)d virement(s) relancé(s).",
    "Pay out the stores of the selected payouts now": (
        "Payer maintenant les magasins des virements sélectionnés"
    ),
    "%(paid)d paid, %(already)d already paid this period, %(flagged)d on hold.": (
        "%(paid)d payé(s), %(already)d déjà payé(s) sur la période, %(flagged)d suspendu(s)."
    ),
    "Money dashboard": "Tableau de bord financier",
    "Issue last month's commission invoices to every store": (
        "Émettre les factures de commission du mois dernier à tous les magasins"
    ),
    "%(count)d invoice(s) issued.": "%(count)d facture(s) émise(s).",
    "Cancel the selected invoices with a credit note": (
        "Annuler les factures sélectionnées par un avoir"
    ),
    "%(count)d credit note(s) issued.": "%(count)d avoir(s) émis.",
    "Cancel invoices with a credit note": "Annuler des factures par un avoir",
    "From": "Du",
    "To": "Au",
    "Why the invoice is cancelled": "Motif de l'annulation",
    "Payable within %(days)d days of the invoice date, netted from the store's payouts. "
    "Late payment: penalties at three times the legal interest rate and a fixed indemnity of "
    "40 € for recovery costs (Code de commerce, art. L441-10). No discount for early payment.": (
        "Payable sous %(days)d jours à compter de la date de facture, par compensation sur les "
        "virements au magasin. En cas de retard : pénalités au taux de trois fois le taux "
        "d'intérêt légal et indemnité forfaitaire de 40 € pour frais de recouvrement (Code de "
        "commerce, art. L441-10). Pas d'escompte pour paiement anticipé."
    ),
    "Reversal of the commission, order %(order)s": "Annulation de la commission, commande %(order)s",
    "Commission, order %(order)s": "Commission, commande %(order)s",
    "Only an invoice can be credited.": "Seule une facture peut faire l'objet d'un avoir.",
    "Say why the invoice is credited.": "Indiquez pourquoi la facture est annulée.",
    "Invoice %(number)s is already credited.": "La facture %(number)s a déjà un avoir.",
    "Credited against the store's balance.": "Imputé sur le solde du magasin.",
    "Every day": "Tous les jours",
    "Every week": "Chaque semaine",
    "Every month": "Chaque mois",
    ("payout weekday", "Monday"): "lundi",
    ("payout weekday", "Tuesday"): "mardi",
    ("payout weekday", "Wednesday"): "mercredi",
    ("payout weekday", "Thursday"): "jeudi",
    ("payout weekday", "Friday"): "vendredi",
    ("payout weekday", "Saturday"): "samedi",
    ("payout weekday", "Sunday"): "dimanche",
    "frequency": "fréquence",
    "payout day of the week": "jour de virement dans la semaine",
    "For weekly payouts.": "Pour les virements hebdomadaires.",
    "payout day of the month": "jour de virement dans le mois",
    "For monthly payouts (1 to 28).": "Pour les virements mensuels (1 à 28).",
    "minimum payout (cents)": "virement minimum (centimes)",
    "A smaller available balance waits for the next payout day.": (
        "Un solde disponible inférieur attend le prochain jour de virement."
    ),
    "hold back open returns": "retenir les retours en cours",
    "Keep the refundable value of the returns of the store's sales in progress.": (
        "Conserver la valeur remboursable des retours en cours sur les ventes du magasin."
    ),
    "hold back sales still in their withdrawal period": (
        "retenir les ventes encore dans leur délai de rétractation"
    ),
    "Keep the value of the store's sales that customers may still return.": (
        "Conserver la valeur des ventes du magasin que les clients peuvent encore retourner."
    ),
    "payout policy": "règles de virement",
    "Payout policy": "Règles de virement",
    ("payout status", "Pending"): "En attente",
    ("payout status", "Paid"): "Payé",
    ("payout status", "Failed"): "Échoué",
    "period": "période",
    "attempt": "tentative",
    "balance (cents)": "solde (centimes)",
    "held back (cents)": "retenu (centimes)",
    "held back for": "retenu pour",
    "paid at": "payé le",
    "failed at": "échoué le",
    "payout": "virement",
    "payouts": "virements",
    "payout event": "événement de virement",
    "payout events": "événements de virement",
    "series": "série",
    "last number": "dernier numéro",
    "invoice number series": "séries de numéros de facture",
    "Invoice": "Facture",
    "Credit note": "Avoir",
    "sequence": "numéro d'ordre",
    "period start": "début de période",
    "period end": "fin de période",
    "issued at": "émise le",
    "due date": "échéance",
    "total excl. VAT (cents)": "total HT (centimes)",
    "VAT (cents)": "TVA (centimes)",
    "total incl. VAT (cents)": "total TTC (centimes)",
    "VAT breakdown": "ventilation de la TVA",
    "seller": "vendeur",
    "buyer": "acheteur",
    "payment terms": "conditions de paiement",
    "corrects invoice": "corrige la facture",
    "issued by": "émise par",
    "invoice": "facture",
    "invoices and credit notes": "factures et avoirs",
    "amount excl. VAT (cents)": "montant HT (centimes)",
    "VAT rate (basis points)": "taux de TVA (points de base)",
    "invoice line": "ligne de facture",
    "invoice lines": "lignes de facture",
    "The store has no account at the payment provider yet.": (
        "Le magasin n'a pas encore de compte chez le prestataire de paiement."
    ),
    "The payment provider needs information before it pays out: %(items)s.": (
        "Le prestataire de paiement attend des informations avant tout virement : %(items)s."
    ),
    "see the provider": "voir chez le prestataire",
    "Retry of payout %(id)s": "Nouvelle tentative du virement %(id)s",
    "Only a failed payout can be retried.": "Seul un virement échoué peut être relancé.",
    "This period is already paid out.": "Cette période est déjà payée.",
    "The store's account can't receive payouts now.": (
        "Le compte du magasin ne peut pas recevoir de virement pour l'instant."
    ),
    "The available balance is below the minimum payout.": (
        "Le solde disponible est inférieur au virement minimum."
    ),
    "Refused by the provider.": "Refusé par le prestataire.",
    "Returned by the bank.": "Rejeté par la banque.",
    "Credit note %(number)s": "Avoir %(number)s",
    "Invoice %(number)s": "Facture %(number)s",
    "SIREN %(siren)s · SIRET %(siret)s": "SIREN %(siren)s · SIRET %(siret)s",
    "VAT number: %(vat)s": "N° de TVA intracommunautaire : %(vat)s",
    "Store: %(store)s": "Magasin : %(store)s",
    "Number: %(number)s": "Numéro : %(number)s",
    "Date: %(date)s": "Date : %(date)s",
    "Period: %(start)s - %(end)s": "Période : %(start)s - %(end)s",
    "Cancels invoice %(number)s": "Annule la facture %(number)s",
    "Reason: %(reason)s": "Motif : %(reason)s",
    "Due date: %(date)s": "Échéance : %(date)s",
    "Excl. VAT": "HT",
    "VAT": "TVA",
    "Base excl. VAT": "Base HT",
    "Total excl. VAT": "Total HT",
    "Total VAT": "Total TVA",
    "Total incl. VAT": "Total TTC",
    "Statement %(store)s, %(start)s - %(end)s": "Relevé %(store)s, %(start)s - %(end)s",
    "Debit": "Débit",
    "Credit": "Crédit",
    "Balance": "Solde",
    "Opening balance": "Solde d'ouverture",
    "Closing balance": "Solde de clôture",
    "What the network owes the store (account 467100), in euros.": (
        "Ce que le réseau doit au magasin (compte 467100), en euros."
    ),
    "A payout can't go from “%(current)s” to “%(target)s”.": (
        "Un virement ne peut pas passer de « %(current)s » à « %(target)s »."
    ),
    "An issued invoice is never changed: a credit note of its own series cancels it as a "
    "whole, and the month can then be invoiced again.": (
        "Une facture émise n'est jamais modifiée : un avoir, dans sa propre série, l'annule en "
        "entier, puis le mois peut être facturé à nouveau."
    ),
    "Issue the credit notes": "Émettre les avoirs",
    "Payouts": "Virements",
    "Show": "Afficher",
    "GMV": "Volume d'affaires",
    "Commission excl. VAT": "Commission HT",
    "Refunds": "Remboursements",
    "Exports for the ERP:": "Exports pour l'ERP :",
    "Orders (CSV)": "Commandes (CSV)",
    "Commissions (CSV)": "Commissions (CSV)",
    "Payouts (CSV)": "Virements (CSV)",
    "Nothing in this period.": "Rien sur cette période.",
    "Payouts on hold": "Virements suspendus",
    "payouts disabled by the provider": "virements désactivés par le prestataire",
    "Every store's account can receive payouts.": (
        "Le compte de chaque magasin peut recevoir des virements."
    ),
    "Payout policy: %(frequency)s, minimum %(minimum)s.": (
        "Règles de virement : %(frequency)s, minimum %(minimum)s."
    ),
    "Money": "Finances",
    "Balance & payouts": "Solde et virements",
    "Statements": "Relevés",
    "Invoices": "Factures",
    "Commission per order": "Commission par commande",
    "Payouts on hold.": "Virements suspendus.",
    "What the network owes your store: your sales' share, less HQ's commission, marketing "
    "charges and the payouts already made.": (
        "Ce que le réseau doit à votre magasin : votre part des ventes, moins la commission du "
        "siège, les achats marketing et les virements déjà faits."
    ),
    "Next payout": "Prochain virement",
    "On %(date)s": "Le %(date)s",
    "below the minimum of %(minimum)s: it waits for a later payout": (
        "sous le minimum de %(minimum)s : il attend un prochain virement"
    ),
    "Payouts every %(day)s.": "Virements chaque %(day)s.",
    "Payouts on day %(day)s of each month.": "Virements le %(day)s de chaque mois.",
    "Payouts every day.": "Virements tous les jours.",
    "Held back": "Retenu",
    "Held back until the return is refunded or the period ends, so that a refund never leaves "
    "your balance below zero.": (
        "Retenu jusqu'au remboursement du retour ou à la fin du délai, pour qu'un remboursement "
        "ne rende jamais votre solde négatif."
    ),
    "Period": "Période",
    "Amount": "Montant",
    "attempt %(attempt)s": "tentative %(attempt)s",
    "No payout yet.": "Aucun virement pour l'instant.",
    "Latest invoices": "Dernières factures",
    "Paid by the customer": "Payé par le client",
    "Your share": "Votre part",
    "No sale this month.": "Aucune vente ce mois-ci.",
    "Download as CSV": "Télécharger en CSV",
    "HQ's monthly invoice of its commission on your sales, and the credit notes that correct "
    "an invoice.": (
        "La facture mensuelle du siège pour sa commission sur vos ventes, et les avoirs qui "
        "corrigent une facture."
    ),
    "Number": "Numéro",
    "Incl. VAT": "TTC",
    "cancels %(number)s": "annule %(number)s",
    "No invoice yet.": "Aucune facture pour l'instant.",
    "Statement": "Relevé",
    "Statement period": "Période du relevé",
    "Download as PDF": "Télécharger en PDF",
    "No entry in this period.": "Aucune écriture sur cette période.",
    "Payout failed: back in your balance": "Virement échoué : revenu à votre solde",
    "Payout to your bank": "Virement vers votre banque",
    "Sale": "Vente",
    "Refund": "Remboursement",
    "Marketing hub order": "Commande marketing",
}

FR_PLURAL = {
    "%(amount)s for %(counter)s return in progress of your sales": (
        "%(amount)s pour %(counter)s retour en cours sur vos ventes",
        "%(amount)s pour %(counter)s retours en cours sur vos ventes",
    ),
    "%(amount)s for %(counter)s sale customers may still return (14-day withdrawal period)": (
        "%(amount)s pour %(counter)s vente que le client peut encore retourner (rétractation "
        "de 14 jours)",
        "%(amount)s pour %(counter)s ventes que les clients peuvent encore retourner "
        "(rétractation de 14 jours)",
    ),
}

FR.update(
    {
        "The end is before the start.": "La fin est avant le début.",
        "A period is at most a year.": "Une période dure au plus un an.",
    }
)
