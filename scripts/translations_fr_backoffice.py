"""French for the store back-office's stock & prices pages and the stores' stock API."""

FR = {
    # API
    "Give on_hand, price_cents or both.": "Indiquez on_hand, price_cents ou les deux.",
    "Unknown postal code.": "Code postal inconnu.",
    "Give lat and lng together.": "Indiquez lat et lng ensemble.",
    "Give lat and lng, or a postal code.": "Indiquez lat et lng, ou un code postal.",
    "Your role can't change prices.": "Votre rôle ne permet pas de modifier les prix.",
    "The request is larger than 64 MB: send the rows in several batches.": (
        "La requête dépasse 64 Mo : envoyez les lignes en plusieurs lots."
    ),
    "The Idempotency-Key is longer than 255 characters.": (
        "L'en-tête Idempotency-Key dépasse 255 caractères."
    ),
    "This Idempotency-Key was used for another request.": (
        "Cette Idempotency-Key a déjà servi pour une autre requête."
    ),
    "Unknown SKU.": "Référence (SKU) inconnue.",
    # Forms
    "Type a price such as 12,90.": "Saisissez un prix comme 12,90.",
    "Type a price above zero with at most 2 decimals.": (
        "Saisissez un prix supérieur à zéro, avec 2 décimales au plus."
    ),
    "This price is too high.": "Ce prix est trop élevé.",
    "On hand": "En stock",
    "Store price": "Prix magasin",
    "SKU, GTIN or product name": "SKU, GTIN ou nom du produit",
    "Availability": "Disponibilité",
    "Available online": "Disponible en ligne",
    "Unavailable": "Indisponible",
    "Category": "Catégorie",
    "All categories": "Toutes les catégories",
    "Reason": "Motif",
    "All reasons": "Tous les motifs",
    "Stock file (CSV or XLSX)": "Fichier de stock (CSV ou XLSX)",
    "CSV in UTF-8 (separator ; or ,) or an Excel XLSX workbook, 25 MB at most.": (
        "CSV en UTF-8 (séparateur ; ou ,) ou classeur Excel XLSX, 25 Mo au plus."
    ),
    "The file is larger than 25 MB.": "Le fichier dépasse 25 Mo.",
    # Views
    "%(sku)s: nothing to change.": "%(sku)s : rien à modifier.",
    "%(sku)s saved.": "%(sku)s enregistré.",
    "%(sku)s was not saved.": "%(sku)s n'a pas été enregistré.",
    "Your role can't change prices: remove the price column or ask the store's owner.": (
        "Votre rôle ne permet pas de modifier les prix : retirez la colonne des prix ou "
        "demandez au gérant du magasin."
    ),
    # Templates
    "Pages": "Pages",
    "Previous": "Précédente",
    "Next": "Suivante",
    "Page %(number)s of %(count)s · %(total)s rows": (
        "Page %(number)s sur %(count)s · %(total)s lignes"
    ),
    "On hand of %(sku)s": "Stock de %(sku)s",
    "Store price of %(sku)s (empty: RRP)": "Prix magasin de %(sku)s (vide : PVC)",
    "RRP": "PVC",
    "Sells at RRP": "Vendu au PVC",
    "HQ bounds": "Bornes du siège",
    "Save": "Enregistrer",
    "History": "Historique",
    "Stock & prices": "Stock et prix",
    "Stock import": "Import de stock",
    "Stock movements": "Mouvements de stock",
    "Import a stock file": "Importer un fichier de stock",
    "Send the export of your till or ERP: quantities on hand and, if you want, prices. The "
    "whole file is checked first: if one line is wrong, nothing is applied and every error is "
    "listed with its line number.": (
        "Envoyez l'export de votre caisse ou de votre ERP : quantités en stock et, si vous le "
        "souhaitez, prix. Tout le fichier est d'abord vérifié : si une ligne est fausse, rien "
        "n'est appliqué et chaque erreur est indiquée avec son numéro de ligne."
    ),
    "“%(filename)s” is applied.": "« %(filename)s » est appliqué.",
    "Rows received": "Lignes reçues",
    "Rows applied": "Lignes appliquées",
    "Ignored (older than what is already applied)": (
        "Ignorées (plus anciennes que ce qui est déjà appliqué)"
    ),
    "Stock movements written": "Mouvements de stock enregistrés",
    "See the stock": "Voir le stock",
    "See the movements": "Voir les mouvements",
    "Correct these lines and send the file again.": (
        "Corrigez ces lignes et envoyez de nouveau le fichier."
    ),
    "The first %(shown)s errors are listed.": "Les %(shown)s premières erreurs sont listées.",
    "Line": "Ligne",
    "Column": "Colonne",
    "Error": "Erreur",
    "Send a file": "Envoyer un fichier",
    "Your role lets you import quantities only: a file with prices is refused.": (
        "Votre rôle permet d'importer les quantités seulement : un fichier avec des prix est "
        "refusé."
    ),
    "Check and apply the file": "Vérifier et appliquer le fichier",
    "The columns": "Les colonnes",
    "The first line holds the column names; then one line per SKU. Other columns are ignored.": (
        "La première ligne contient les noms des colonnes, puis une ligne par SKU. Les autres "
        "colonnes sont ignorées."
    ),
    "Required": "Obligatoire",
    "Content": "Contenu",
    "yes": "oui",
    "no": "non",
    "The SKU of the item in HQ's catalogue.": (
        "La référence (SKU) de l'article au catalogue du siège."
    ),
    "The quantity on hand in the store: a whole number, 0 or more.": (
        "La quantité en stock au magasin : un nombre entier, 0 ou plus."
    ),
    "Your selling price in euros, VAT included, e.g. 12,90; within HQ's bounds. Empty: the "
    "price does not change (to go back to the RRP, empty the price on the stock page). Or give "
    "price_cents in cents, e.g. 1290.": (
        "Votre prix de vente en euros TTC, par exemple 12,90, dans les bornes du siège. Vide : "
        "le prix ne change pas (pour revenir au PVC, videz le prix sur la page du stock). Ou "
        "price_cents en centimes, par exemple 1290."
    ),
    "yes, or source_timestamp": "oui, ou source_timestamp",
    "A number that grows with each export. A line whose sequence is not newer than the last "
    "one applied for its SKU is ignored: sending a file twice, or an old file, never moves "
    "stock backwards.": (
        "Un nombre qui augmente à chaque export. Une ligne dont la séquence n'est pas plus "
        "récente que la dernière appliquée pour son SKU est ignorée : envoyer deux fois un "
        "fichier, ou un ancien fichier, ne fait jamais revenir le stock en arrière."
    ),
    "instead of sequence": "à la place de sequence",
    "The time of the export, ISO 8601 with its time zone, e.g. 2026-03-01T14:05:00+01:00. Use "
    "sequences or timestamps, always the same.": (
        "L'heure de l'export, au format ISO 8601 avec le fuseau horaire, par exemple "
        "2026-03-01T14:05:00+01:00. Utilisez des séquences ou des horodatages, toujours le même."
    ),
    "CSV: UTF-8, separated by semicolons or commas. XLSX: the first sheet is read.": (
        "CSV : UTF-8, séparé par des points-virgules ou des virgules. XLSX : la première "
        "feuille est lue."
    ),
    "Download an example CSV": "Télécharger un exemple de CSV",
    "Available online = on hand - reserved (orders in progress) - safety stock. Type the "
    "quantity you counted and save the row: the difference is recorded as a stock "
    "movement.": (
        "Disponible en ligne = en stock - réservé (commandes en cours) - stock de sécurité. "
        "Saisissez la quantité comptée et enregistrez la ligne : la différence est enregistrée "
        "comme mouvement de stock."
    ),
    "Store price: leave it empty to sell at HQ's recommended retail price (RRP). A price must "
    "stay within HQ's bounds shown under it.": (
        "Prix magasin : laissez-le vide pour vendre au prix de vente conseillé (PVC) du siège. "
        "Un prix doit rester dans les bornes du siège affichées dessous."
    ),
    "Your role lets you count stock. Prices are set by the store's owner or a manager.": (
        "Votre rôle permet de saisir le stock. Les prix sont fixés par le gérant du magasin ou "
        "un responsable."
    ),
    "Filter the stock": "Filtrer le stock",
    "Filter": "Filtrer",
    "Reset": "Réinitialiser",
    "Product": "Produit",
    "Reserved": "Réservé",
    "Safety": "Sécurité",
    "Available": "Disponible",
    "Price": "Prix",
    "No stock row matches these filters.": "Aucune ligne de stock ne correspond à ces filtres.",
    "No stock yet: import a stock file or connect your till with an API key.": (
        "Pas encore de stock : importez un fichier de stock ou connectez votre caisse avec une "
        "clé d'API."
    ),
    "Every change of a quantity on hand, newest first: counts, feeds, sales, returns and "
    "transfers.": (
        "Chaque variation d'une quantité en stock, la plus récente d'abord : inventaires, flux, "
        "ventes, retours et transferts."
    ),
    "Filter the movements": "Filtrer les mouvements",
    "Time": "Date",
    "Quantity change": "Variation",
    "On hand after": "Stock après",
    "Source": "Source",
    "Reference": "Référence",
    "By": "Par",
    "No movement.": "Aucun mouvement.",
}

FR_PLURAL = {
    "items available online (%(counter)s unit).": (
        "articles disponibles en ligne (%(counter)s unité).",
        "articles disponibles en ligne (%(counter)s unités).",
    ),
    "%(counter)s error in “%(filename)s”: nothing was applied.": (
        "%(counter)s erreur dans « %(filename)s » : rien n'a été appliqué.",
        "%(counter)s erreurs dans « %(filename)s » : rien n'a été appliqué.",
    ),
}
