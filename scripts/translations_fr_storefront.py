"""French for the storefront's catalogue pages, product page, store locator and store pages."""

FR = {
    # Opening hours
    "closes at %(time)s": "ferme à %(time)s",
    "opens at %(time)s": "ouvre à %(time)s",
    "opens tomorrow at %(time)s": "ouvre demain à %(time)s",
    "opens on %(day)s at %(time)s": "ouvre %(day)s à %(time)s",
    "Open now": "Ouvert maintenant",
    "Closed now": "Fermé actuellement",
    "Opening hours": "Horaires d'ouverture",
    "The store has not published its opening hours yet.": (
        "Le magasin n'a pas encore publié ses horaires."
    ),
    # Filters and sorting
    "Subcategory": "Sous-catégorie",
    "Brand": "Marque",
    "Minimum price (€)": "Prix minimum (€)",
    "Maximum price (€)": "Prix maximum (€)",
    "In stock only": "En stock uniquement",
    "Your postal code": "Votre code postal",
    "Sort by": "Trier par",
    "Price, lowest first": "Prix croissant",
    "Price, highest first": "Prix décroissant",
    "All": "Toutes",
    "The maximum price is below the minimum price.": (
        "Le prix maximum est inférieur au prix minimum."
    ),
    "Filter": "Filtrer",
    "Price": "Prix",
    "From (€)": "De (€)",
    "To (€)": "À (€)",
    "Availability": "Disponibilité",
    "Available in a store within %(radius)s km": (
        "Disponible dans un magasin à moins de %(radius)s km"
    ),
    "Near %(place)s": "Près de %(place)s",
    "Apply": "Appliquer",
    "Clear the filters": "Effacer les filtres",
    "Sort": "Trier",
    "No product matches these filters.": "Aucun produit ne correspond à ces filtres.",
    "No product in this category yet.": "Aucun produit dans cette catégorie pour le moment.",
    "Breadcrumb": "Fil d'Ariane",
    "Subcategories": "Sous-catégories",
    "Pages": "Pages",
    "Previous": "Précédente",
    "Next": "Suivante",
    # The customer's location
    "A French postal code has 5 digits.": "Un code postal français a 5 chiffres.",
    "We do not know “%(query)s”. Check the postal code, or try the name of the town.": (
        "Nous ne connaissons pas « %(query)s ». Vérifiez le code postal, ou essayez le nom "
        "de la commune."
    ),
    "Your position could not be read.": "Votre position n'a pas pu être lue.",
    "your position": "votre position",
    "Give your postal code to see what the stores near you have.": (
        "Indiquez votre code postal pour voir ce qu'ont les magasins près de chez vous."
    ),
    "Your position is not available: type your postal code instead.": (
        "Votre position n'est pas disponible : saisissez plutôt votre code postal."
    ),
    "Use my current position": "Utiliser ma position actuelle",
    "Postal code or town": "Code postal ou commune",
    "e.g. 69002": "ex. : 69002",
    "e.g. 69002 or Villeurbanne": "ex. : 69002 ou Villeurbanne",
    "Find the nearest stores": "Trouver les magasins proches",
    "The stores nearest to %(place)s": "Les magasins les plus proches de %(place)s",
    "No store sells online yet.": "Aucun magasin ne vend encore en ligne.",
    "All the stores": "Tous les magasins",
    # Maps
    "OpenStreetMap contributors": "les contributeurs d'OpenStreetMap",
    "See the store": "Voir le magasin",
    "You are here": "Vous êtes ici",
    "Map of the stores": "Carte des magasins",
    # Prices, availability, product cards
    "%(amount)s €": "%(amount)s €",
    "%(metres)s m": "%(metres)s m",
    "%(km)s km": "%(km)s km",
    "starting at": "à partir de",
    "Available for home delivery": "Livrable à domicile",
    "Currently unavailable": "Actuellement indisponible",
    "A product, a reference, a store, a town…": "Un produit, une référence, un magasin, une ville…",
    # Product page
    "Standard": "Standard",
    "Yes": "Oui",
    "No": "Non",
    "Choose a model": "Choisissez votre modèle",
    "unavailable": "indisponible",
    "Show this model": "Voir ce modèle",
    "Recommended price of the %(network_name)s network": (
        "Prix conseillé du réseau %(network_name)s"
    ),
    "In our stores: %(price)s": "En magasin : %(price)s",
    "In our stores: from %(low)s to %(high)s": "En magasin : de %(low)s à %(high)s",
    "Prices include VAT (%(rate)s %%).": "Prix TTC, TVA de %(rate)s %% incluse.",
    "EAN": "EAN",
    "Available near you": "Disponible près de chez vous",
    "See the stores": "Voir les magasins",
    "No store within %(radius)s km of %(place)s has this model available right now.": (
        "Aucun magasin à moins de %(radius)s km de %(place)s n'a ce modèle disponible en ce moment."
    ),
    "Give your postal code to see which stores near you have this model, at what price.": (
        "Indiquez votre code postal pour voir quels magasins près de chez vous ont ce modèle, "
        "et à quel prix."
    ),
    "Home delivery is also possible from our warehouse.": (
        "La livraison à domicile est aussi possible depuis notre entrepôt."
    ),
    "This product is not sold at the moment.": "Ce produit n'est pas en vente actuellement.",
    "Description": "Description",
    "Characteristics": "Caractéristiques",
    # Search
    "Products": "Produits",
    "No product matches this search. Try a product name, a brand, a reference or an EAN code.": (
        "Aucun produit ne correspond à cette recherche. Essayez un nom de produit, une marque, "
        "une référence ou un code EAN."
    ),
    "Type a product, a reference, a store, a city or a postal code in the search box.": (
        "Saisissez un produit, une référence, un magasin, une ville ou un code postal dans le "
        "champ de recherche."
    ),
    # Store page
    "Ship from store": "Expédition depuis le magasin",
    "Returns": "Retours",
    "Order online, collect here.": "Commandez en ligne, retirez ici.",
    "Home delivery from this store's stock.": "Livraison à domicile depuis le stock du magasin.",
    "Have an item held, try it here and pay in store.": (
        "Faites mettre un article de côté, essayez-le ici et payez en magasin."
    ),
    "Bring back an online order bought anywhere.": (
        "Rapportez ici une commande en ligne, où qu'elle ait été passée."
    ),
    "Services": "Services",
    "This store offers no online service yet.": (
        "Ce magasin ne propose pas encore de service en ligne."
    ),
    "Available in this store": "Disponible dans ce magasin",
}

FR_PLURAL = {
    "In stock in %(counter)s store": (
        "En stock dans %(counter)s magasin",
        "En stock dans %(counter)s magasins",
    ),
    "%(counter)s product": ("%(counter)s produit", "%(counter)s produits"),
    "%(counter)s store within %(radius)s km of %(place)s has this model:": (
        "%(counter)s magasin à moins de %(radius)s km de %(place)s a ce modèle :",
        "%(counter)s magasins à moins de %(radius)s km de %(place)s ont ce modèle :",
    ),
}
