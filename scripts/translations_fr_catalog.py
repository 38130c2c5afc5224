"""French of the catalogue (PIM): models, HQ admin, import page and import messages."""

FR = {
    # Models
    "Standard rate (20 %)": "Taux normal (20 %)",
    "Intermediate rate (10 %)": "Taux intermédiaire (10 %)",
    "Reduced rate (5.5 %)": "Taux réduit (5,5 %)",
    "Super-reduced rate (2.1 %)": "Taux particulier (2,1 %)",
    "position": "position",
    "description": "description",
    "lowest store price (% of RRP)": "prix magasin minimum (% du PVC)",
    "highest store price (% of RRP)": "prix magasin maximum (% du PVC)",
    "categories": "catégories",
    "Draft": "Brouillon",
    "Published": "Publié",
    "Archived": "Archivé",
    "brand": "marque",
    "attributes": "attributs",
    "VAT rate": "taux de TVA",
    "product": "produit",
    "image": "image",
    "alternative text": "texte alternatif",
    "product image": "image produit",
    "product images": "images produit",
    "SKU": "SKU",
    "GTIN / EAN": "GTIN / EAN",
    "recommended retail price (cents)": "prix de vente conseillé (centimes)",
    "lowest store price (cents)": "prix magasin minimum (centimes)",
    "highest store price (cents)": "prix magasin maximum (centimes)",
    "active": "actif",
    "variant": "variante",
    # Money and GTIN
    "“%(value)s” is not an amount in euros.": "« %(value)s » n'est pas un montant en euros.",
    "An amount cannot be negative.": "Un montant ne peut pas être négatif.",
    "“%(value)s” has more than two decimals.": "« %(value)s » a plus de deux décimales.",
    "“%(value)s” is not an amount in euros (write it like 12,90).": (
        "« %(value)s » n'est pas un montant en euros (écrivez-le comme 12,90)."
    ),
    "A GTIN has 8, 12, 13 or 14 digits.": "Un GTIN a 8, 12, 13 ou 14 chiffres.",
    "The GTIN %(value)s has a wrong check digit (expected %(expected)s).": (
        "Le GTIN %(value)s a un chiffre de contrôle erroné (attendu : %(expected)s)."
    ),
    # Admin
    "unbounded": "sans borne",
    "category": "catégorie",
    "Store price bounds": "Bornes des prix magasin",
    "In percent of each variant's recommended retail price. Leave empty to inherit the parent "
    "category's bounds; a variant's own bounds win over its category's.": (
        "En pourcentage du prix de vente conseillé de chaque variante. Laissez vide pour hériter "
        "des bornes de la catégorie parente ; les bornes propres d'une variante priment sur "
        "celles de sa catégorie."
    ),
    "lowest (%)": "minimum (%)",
    "highest (%)": "maximum (%)",
    "bounds that apply": "bornes appliquées",
    "%(bounds)s (inherited)": "%(bounds)s (hérité)",
    "products": "produits",
    "Description": "Description",
    "History": "Historique",
    "created": "créé le",
    "last updated": "modifié le",
    "variants": "variantes",
    "Publish the selected products": "Publier les produits sélectionnés",
    "Archive the selected products": "Archiver les produits sélectionnés",
    "Import the catalogue": "Importer le catalogue",
    "This import has expired or was already applied: upload the file again.": (
        "Cet import a expiré ou a déjà été appliqué : déposez à nouveau le fichier."
    ),
    "Catalogue imported from %(filename)s: %(created)d variants created, %(updated)d updated, "
    "%(unchanged)d unchanged.": (
        "Catalogue importé depuis %(filename)s : %(created)d variantes créées, %(updated)d "
        "modifiées, %(unchanged)d inchangées."
    ),
    "The catalogue changed during the import: nothing was written. Check again.": (
        "Le catalogue a changé pendant l'import : rien n'a été écrit. Vérifiez à nouveau."
    ),
    "Import the catalogue: check": "Importer le catalogue : vérification",
    "options": "options",
    "RRP": "PVC",
    "store price bounds": "bornes des prix magasin",
    "store price bounds that apply": "bornes des prix magasin appliquées",
    # Forms
    "In euros, VAT included, e.g. 12,90.": "En euros TTC, par exemple 12,90.",
    "The amount must be above zero.": "Le montant doit être supérieur à zéro.",
    "A category cannot be placed under itself or one of its subcategories.": (
        "Une catégorie ne peut pas être placée sous elle-même ni sous l'une de ses sous-catégories."
    ),
    "A percentage must be above zero.": "Un pourcentage doit être supérieur à zéro.",
    "The highest percentage must not be below the lowest one.": (
        "Le pourcentage maximum ne peut pas être inférieur au minimum."
    ),
    "Recommended retail price (€)": "Prix de vente conseillé (€)",
    "Lowest store price (€)": "Prix magasin minimum (€)",
    "Highest store price (€)": "Prix magasin maximum (€)",
    'Options are a JSON object, e.g. {"size": "M", "colour": "green"}.': (
        'Les options sont un objet JSON, par exemple {"taille": "M", "couleur": "vert"}.'
    ),
    "The highest price is below the lowest price.": (
        "Le prix maximum est inférieur au prix minimum."
    ),
    "The lowest price is above the recommended retail price.": (
        "Le prix minimum est supérieur au prix de vente conseillé."
    ),
    "The highest price is below the recommended retail price.": (
        "Le prix maximum est inférieur au prix de vente conseillé."
    ),
    "Catalogue file": "Fichier catalogue",
    "CSV (UTF-8) or Excel workbook (.xlsx), one row per variant, at most 20 MB.": (
        "CSV (UTF-8) ou classeur Excel (.xlsx), une ligne par variante, 20 Mo au plus."
    ),
    "Only CSV and XLSX files can be imported (this file is “%(suffix)s”).": (
        "Seuls les fichiers CSV et XLSX peuvent être importés (ce fichier est « %(suffix)s »)."
    ),
    "The file is larger than 20 MB: split it into smaller files.": (
        "Le fichier dépasse 20 Mo : découpez-le en fichiers plus petits."
    ),
    # Import: the file
    "The file is empty.": "Le fichier est vide.",
    "Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV UTF-8.": (
        "Les anciens fichiers Excel (.xls) ne sont pas lus : enregistrez le fichier en .xlsx "
        "ou en CSV UTF-8."
    ),
    "This file is not a valid XLSX workbook.": "Ce fichier n'est pas un classeur XLSX valide.",
    "The workbook has no sheet.": "Le classeur n'a aucune feuille.",
    "This is not a CSV text file (UTF-16 or binary): save it as “CSV UTF-8”.": (
        "Ce n'est pas un fichier texte CSV (UTF-16 ou binaire) : enregistrez-le en « CSV UTF-8 »."
    ),
    "The file is not encoded in UTF-8 (unreadable character on line %(line)d): save it as "
    "“CSV UTF-8” and upload it again.": (
        "Le fichier n'est pas encodé en UTF-8 (caractère illisible ligne %(line)d) : "
        "enregistrez-le en « CSV UTF-8 » et déposez-le à nouveau."
    ),
    "The CSV file cannot be read: %(error)s.": "Le fichier CSV est illisible : %(error)s.",
    "The first row must be the header (product_slug, product_name, sku, rrp, …).": (
        "La première ligne doit être l'en-tête (product_slug, product_name, sku, rrp, …)."
    ),
    "These columns appear twice in the header: %(columns)s.": (
        "Ces colonnes apparaissent deux fois dans l'en-tête : %(columns)s."
    ),
    "Required columns are missing: %(columns)s.": (
        "Des colonnes obligatoires manquent : %(columns)s."
    ),
    "The file has a header but no rows to import.": (
        "Le fichier a un en-tête mais aucune ligne à importer."
    ),
    "The file has %(count)d rows; split it into files of at most %(max)d rows.": (
        "Le fichier a %(count)d lignes ; découpez-le en fichiers de %(max)d lignes au plus."
    ),
    "These columns are not used by the import and were ignored: %(columns)s.": (
        "Ces colonnes ne sont pas utilisées par l'import et ont été ignorées : %(columns)s."
    ),
    # Import: rows
    "This row has more cells than the header has columns (check the separators).": (
        "Cette ligne a plus de cellules que l'en-tête n'a de colonnes (vérifiez les séparateurs)."
    ),
    "A product slug is required.": "Le slug du produit est obligatoire.",
    "“%(value)s” is not a valid slug (letters, digits, - and _ only).": (
        "« %(value)s » n'est pas un slug valide (lettres, chiffres, - et _ seulement)."
    ),
    "A product slug has at most 200 characters.": (
        "Le slug d'un produit a 200 caractères au plus."
    ),
    "A product name is required.": "Le nom du produit est obligatoire.",
    "A product name has at most 200 characters.": "Le nom d'un produit a 200 caractères au plus.",
    "A brand has at most 100 characters.": "Une marque a 100 caractères au plus.",
    "Unknown VAT rate “%(value)s”: use 20, 10, 5,5 or 2,1 (or %(codes)s).": (
        "Taux de TVA inconnu « %(value)s » : utilisez 20, 10, 5,5 ou 2,1 (ou %(codes)s)."
    ),
    "Unknown status “%(value)s”: use draft, published or archived.": (
        "Statut inconnu « %(value)s » : utilisez draft, published ou archived (ou brouillon, "
        "publié, archivé)."
    ),
    "A SKU is required.": "Le SKU est obligatoire.",
    "A SKU has at most 64 characters.": "Un SKU a 64 caractères au plus.",
    "An option value has at most 100 characters.": (
        "La valeur d'une option a 100 caractères au plus."
    ),
    "The recommended retail price must be above zero.": (
        "Le prix de vente conseillé doit être supérieur à zéro."
    ),
    "The category path is empty.": "Le chemin de catégorie est vide.",
    "A category name has at most 120 characters.": (
        "Le nom d'une catégorie a 120 caractères au plus."
    ),
    "A category is required.": "La catégorie est obligatoire.",
    "An amount is required.": "Le montant est obligatoire.",
    "No category has the slug “%(slug)s”.": "Aucune catégorie n'a le slug « %(slug)s ».",
    "The GTIN %(gtin)s already belongs to the variant %(sku)s.": (
        "Le GTIN %(gtin)s appartient déjà à la variante %(sku)s."
    ),
    "The SKU %(sku)s is already on row %(row)d.": "Le SKU %(sku)s figure déjà ligne %(row)d.",
    "The GTIN %(gtin)s is already on row %(row)d.": ("Le GTIN %(gtin)s figure déjà ligne %(row)d."),
    "This differs from row %(row)d for the same product %(slug)s.": (
        "Cette valeur diffère de la ligne %(row)d pour le même produit %(slug)s."
    ),
    "A product needs an active variant.": "Un produit doit avoir une variante active.",
    # Import page
    "Import": "Import",
    "Check the file": "Vérifier le fichier",
    "Import a catalogue file": "Importer un fichier catalogue",
    "Upload the catalogue as a CSV (UTF-8) or Excel (.xlsx) file, one row per variant. The file "
    "is checked first: nothing changes until you apply it, and it is applied whole or not at "
    "all.": (
        "Déposez le catalogue en fichier CSV (UTF-8) ou Excel (.xlsx), une ligne par variante. "
        "Le fichier est d'abord vérifié : rien ne change tant que vous ne l'appliquez pas, et il "
        "s'applique en entier ou pas du tout."
    ),
    "Columns": "Colonnes",
    "Required:": "Obligatoires :",
    "Optional:": "Facultatives :",
    "Row 1 is the header; a product spans as many rows as it has variants, with the same "
    "product columns on each.": (
        "La ligne 1 est l'en-tête ; un produit occupe autant de lignes qu'il a de variantes, "
        "avec les mêmes colonnes produit sur chacune."
    ),
    "category_slug names an existing category; category_path (e.g. “Jardin > Outils”) finds "
    "categories by name and creates the missing ones.": (
        "category_slug désigne une catégorie existante ; category_path (par exemple "
        "« Jardin > Outils ») retrouve les catégories par leur nom et crée celles qui manquent."
    ),
    "Prices in euros, VAT included, with a comma or a dot: 12,90. min_price and max_price are "
    "the variant's store price bounds; leave them empty to use the category's.": (
        "Prix en euros TTC, avec une virgule ou un point : 12,90. min_price et max_price sont "
        "les bornes des prix magasin de la variante ; laissez-les vides pour appliquer celles "
        "de la catégorie."
    ),
    "Each option_… column (option_size, option_colour…) becomes a variant option; an empty "
    "cell removes that option.": (
        "Chaque colonne option_… (option_size, option_colour…) devient une option de la "
        "variante ; une cellule vide retire cette option."
    ),
    "An absent column leaves the stored values alone; products and variants missing from the "
    "file are kept.": (
        "Une colonne absente laisse les valeurs enregistrées intactes ; les produits et "
        "variantes absents du fichier sont conservés."
    ),
    "Download an example file": "Télécharger un fichier d'exemple",
    "Check of %(filename)s": "Vérification de %(filename)s",
    "The catalogue already matches this file: there is nothing to change.": (
        "Le catalogue correspond déjà à ce fichier : il n'y a rien à changer."
    ),
    "to create": "à créer",
    "to update": "à modifier",
    "unchanged": "inchangés",
    "Variants (rows)": "Variantes (lignes)",
    "Products": "Produits",
    "Categories": "Catégories",
    "New categories:": "Nouvelles catégories :",
    "Errors": "Erreurs",
    "Row": "Ligne",
    "Column": "Colonne",
    "Problem": "Problème",
    "Only the first %(shown)s of %(total)s errors are listed.": (
        "Seules les %(shown)s premières erreurs sur %(total)s sont listées."
    ),
    "Apply the import": "Appliquer l'import",
    "Cancel": "Annuler",
    "Upload a corrected file": "Déposer un fichier corrigé",
}

FR_PLURAL = {
    "%(count)d product published.": ("%(count)d produit publié.", "%(count)d produits publiés."),
    "%(count)d product archived.": ("%(count)d produit archivé.", "%(count)d produits archivés."),
    "The file is valid (%(rows)s row). Nothing has been written yet.": (
        "Le fichier est valide (%(rows)s ligne). Rien n'a encore été écrit.",
        "Le fichier est valide (%(rows)s lignes). Rien n'a encore été écrit.",
    ),
    "%(errors)s error found: nothing can be imported until the file is corrected.": (
        "%(errors)s erreur trouvée : rien ne peut être importé tant que le fichier n'est pas "
        "corrigé.",
        "%(errors)s erreurs trouvées : rien ne peut être importé tant que le fichier n'est pas "
        "corrigé.",
    ),
}
