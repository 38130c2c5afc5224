"""French translations of the project's strings, applied to locale/fr by scripts/translate.py.

Kept as data so a developer adds a line here, runs `make messages`, and commits both files.
"""

FR = {
    "Catalogue": "Catalogue",
    "Compliance": "Conformité",
    "Fulfilment": "Préparation et livraison",
    "Marketing hub": "Boutique marketing",
    "Personal info": "Informations personnelles",
    "Permissions": "Permissions",
    "Important dates": "Dates importantes",
    "Network Marketplace": "Network Marketplace",
    "e-mail address": "adresse e-mail",
    "user": "utilisateur",
    "users": "utilisateurs",
    "audit event": "événement d'audit",
    "audit events": "événements d'audit",
    "French": "Français",
    "English": "Anglais",
    "Network Marketplace · HQ": "Network Marketplace · Siège",
    "Network Marketplace HQ": "Network Marketplace Siège",
    "Head office": "Siège",
    "Orders": "Commandes",
    "Payments": "Paiements",
    "Location": "Emplacement",
    "Contact": "Contact",
    "Trader identity": "Identité du vendeur",
    "Copy this key now, it will not be shown again: %(secret)s": (
        "Copiez cette clé maintenant, elle ne sera plus affichée : %(secret)s"
    ),
    "Revoke the selected keys": "Révoquer les clés sélectionnées",
    "%(count)d key(s) revoked.": "%(count)d clé(s) révoquée(s).",
    "Stores": "Magasins",
    "Malformed Authorization header.": "En-tête Authorization mal formé.",
    "Invalid or revoked API key.": "Clé d'API invalide ou révoquée.",
    "Name of the key": "Nom de la clé",
    "Say what uses it, e.g. “Till system” or “ERP stock sync”.": (
        "Indiquez ce qui l'utilise, par exemple « Caisse » ou « Synchronisation ERP »."
    ),
    "Franchise store": "Magasin franchisé",
    "Branch": "Succursale",
    "Warehouse": "Entrepôt",
    "Onboarding": "En intégration",
    "Active": "Active",
    "Suspended": "Suspendu",
    "Closed": "Fermé",
    "name": "nom",
    "slug": "identifiant",
    "kind": "type",
    "status": "statut",
    "address": "adresse",
    "postal code": "code postal",
    "city": "ville",
    "country": "pays",
    "latitude": "latitude",
    "longitude": "longitude",
    "contact e-mail": "e-mail de contact",
    "contact phone": "téléphone de contact",
    "company name": "raison sociale",
    "registration number": "numéro d'immatriculation",
    "VAT number": "numéro de TVA",
    "legal address": "adresse du siège",
    "store": "magasin",
    "stores": "magasins",
    "Owner": "Propriétaire",
    "Manager": "Responsable",
    "Staff": "Équipe",
    "role": "rôle",
    "store membership": "membre du magasin",
    "store memberships": "membres du magasin",
    "prefix": "préfixe",
    "API key": "clé d'API",
    "API keys": "Clés d'API",
    "The key “%(name)s” is revoked.": "La clé « %(name)s » est révoquée.",
    "View the storefront": "Voir la boutique",
    "A key lets a program (your till, your ERP) act for %(name)s on the REST API. Send it in "
    "the header <code>Authorization: Api-Key &lt;key&gt;</code>.": (
        "Une clé permet à un logiciel (votre caisse, votre ERP) d'agir pour %(name)s sur "
        "l'API REST. Envoyez-la dans l'en-tête <code>Authorization: Api-Key &lt;clé&gt;</code>."
    ),
    "API documentation": "Documentation de l'API",
    "Key “%(name)s” created. Copy it now: it will not be shown again.": (
        "Clé « %(name)s » créée. Copiez-la maintenant : elle ne sera plus affichée."
    ),
    "New key": "Nouvelle clé",
    "Create the key": "Créer la clé",
    "Keys": "Clés",
    "Name": "Nom",
    "Key": "Clé",
    "Created": "Créée le",
    "Last used": "Dernière utilisation",
    "State": "État",
    "Actions": "Actions",
    "Revoked": "Révoquée",
    "Revoke": "Révoquer",
    "No key yet.": "Aucune clé pour l'instant.",
    "Store back-office": "Back-office magasin",
    "Back-office": "Back-office",
    "Dashboard": "Tableau de bord",
    "Store page": "Page du magasin",
    "Store": "Magasin",
    "Kind": "Type",
    "Address": "Adresse",
    "E-mail": "E-mail",
    "Phone": "Téléphone",
    "Company": "Société",
    "Registration": "Immatriculation",
    "Legal address": "Adresse du siège",
    "Team": "Équipe",
    "Role": "Rôle",
    "No team member yet.": "Aucun membre pour l'instant.",
    "Integrations": "Intégrations",
    "active API keys for your till, ERP or stock tools.": (
        "clés d'API actives pour votre caisse, votre ERP ou vos outils de stock."
    ),
    "Manage API keys": "Gérer les clés d'API",
    "Choose a store": "Choisir un magasin",
    "Your account is not linked to any store. Ask the store's owner or head office to add you "
    "to the store's team.": (
        "Votre compte n'est rattaché à aucun magasin. Demandez au propriétaire du magasin ou "
        "au siège de vous ajouter à l'équipe."
    ),
    "Skip to content": "Aller au contenu",
    "Account": "Compte",
    "HQ admin": "Administration siège",
    "My account": "Mon compte",
    "Log out": "Se déconnecter",
    "Log in": "Se connecter",
    "Sign up": "Créer un compte",
    "Language": "Langue",
    "Change": "Changer",
    "Cookies": "Cookies",
    "This site only sets the cookies it needs to work: your session, your language and "
    "protection against forged requests. It sets no advertising or tracking cookie.": (
        "Ce site ne dépose que les cookies nécessaires à son fonctionnement : votre session, "
        "votre langue et la protection contre les requêtes falsifiées. Aucun cookie "
        "publicitaire ni de suivi."
    ),
    "Legal notice": "Mentions légales",
    "Operator of the marketplace": "Opérateur de la place de marché",
    "Registered office": "Siège social",
    "Sellers": "Vendeurs",
    "%(network_name)s is a marketplace: each product is sold by a store of the network, an "
    "independent trader or a branch, whose identity is shown on the product, in the order and "
    "on the invoice.": (
        "%(network_name)s est une place de marché : chaque produit est vendu par un magasin du "
        "réseau, commerçant indépendant ou succursale, dont l'identité figure sur le produit, "
        "dans la commande et sur la facture."
    ),
    "Privacy policy": "Politique de confidentialité",
    "%(company)s processes your personal data to manage your account and your orders, and "
    "shares with the store that serves an order only what it needs to serve it.": (
        "%(company)s traite vos données personnelles pour gérer votre compte et vos commandes, "
        "et ne transmet au magasin qui sert une commande que ce dont il a besoin pour la servir."
    ),
    "You may access, correct, export or erase your data by writing to %(email)s. Invoices are "
    "kept for the time the law requires.": (
        "Vous pouvez consulter, corriger, exporter ou effacer vos données en écrivant à "
        "%(email)s. Les factures sont conservées pendant la durée imposée par la loi."
    ),
    "Report illegal content": "Signaler un contenu illicite",
    "If you believe that a listing or a content of this marketplace is illegal, tell us: say "
    "which page, why you think it is illegal, and give your name and e-mail address so we can "
    "tell you what we decided.": (
        "Si vous pensez qu'une annonce ou un contenu de cette place de marché est illicite, "
        "signalez-le : indiquez la page, pourquoi vous le pensez illicite, ainsi que votre nom "
        "et votre adresse e-mail pour que nous puissions vous informer de notre décision."
    ),
    "Report of illegal content": "Signalement de contenu illicite",
    "Write to the operator": "Écrire à l'opérateur",
    "Terms of sale": "Conditions générales de vente",
    "Orders placed on %(network_name)s are contracts between the customer and the store that "
    "sells the product. The marketplace operator collects the payment on behalf of the store "
    "through a licensed payment provider.": (
        "Les commandes passées sur %(network_name)s sont des contrats entre le client et le "
        "magasin qui vend le produit. L'opérateur de la place de marché encaisse le paiement "
        "pour le compte du magasin par l'intermédiaire d'un prestataire de paiement agréé."
    ),
    "Right of withdrawal": "Droit de rétractation",
    "You may withdraw from a purchase within 14 days of delivery or pickup, without giving a "
    "reason. Returns are accepted in any store of the network.": (
        "Vous pouvez vous rétracter dans les 14 jours suivant la livraison ou le retrait, sans "
        "avoir à vous justifier. Les retours sont acceptés dans tous les magasins du réseau."
    ),
    "Prices": "Prix",
    "Prices include VAT. When a price is shown as reduced, the lowest price of the last 30 days "
    "is shown next to it.": (
        "Les prix sont TTC. Lorsqu'un prix est affiché comme réduit, le prix le plus bas des "
        "30 derniers jours est indiqué à côté."
    ),
    "Search": "Rechercher",
    "Search a store, a city, a postal code…": "Un magasin, une ville, un code postal…",
    "Main": "Principal",
    "Home": "Accueil",
    "Our stores": "Nos magasins",
    "Legal": "Informations légales",
    "Every order is sold and served by a store of the %(network_name)s network.": (
        "Chaque commande est vendue et servie par un magasin du réseau %(network_name)s."
    ),
    "Your local stores, online": "Vos magasins de proximité, en ligne",
    "Buy online from the %(network_name)s store next to you": (
        "Achetez en ligne dans le magasin %(network_name)s près de chez vous"
    ),
    "Every product you order is sold and served by a store of the network: collect it in "
    "store, have it reserved for you, or delivered at home from the nearest store with stock.": (
        "Chaque produit commandé est vendu et servi par un magasin du réseau : retirez-le en "
        "magasin, faites-le réserver, ou recevez-le chez vous depuis le magasin le plus proche "
        "qui l'a en stock."
    ),
    "Your city or postal code": "Votre ville ou code postal",
    "Find my store": "Trouver mon magasin",
    "Click & collect": "Retrait en magasin",
    "Order online, pick up in your store, often the same day.": (
        "Commandez en ligne, retirez en magasin, souvent le jour même."
    ),
    "Reserve & collect": "Réservation en magasin",
    "Have an item held for you, try it in store and pay there.": (
        "Faites mettre un article de côté, essayez-le en magasin et payez sur place."
    ),
    "Returns in any store": "Retour dans tous les magasins",
    "Bring an online order back to any store of the network.": (
        "Rapportez une commande en ligne dans n'importe quel magasin du réseau."
    ),
    "See all stores": "Voir tous les magasins",
    "No store is open for online sales yet.": "Aucun magasin ne vend encore en ligne.",
    "Search: %(query)s": "Recherche : %(query)s",
    "Results for “%(query)s”": "Résultats pour « %(query)s »",
    "No store matches this search. Try a city or a postal code.": (
        "Aucun magasin ne correspond. Essayez une ville ou un code postal."
    ),
    "Type a store, a city or a postal code in the search box.": (
        "Saisissez un magasin, une ville ou un code postal dans le champ de recherche."
    ),
    "All stores": "Tous les magasins",
    "See on the map": "Voir sur la carte",
    "Seller": "Vendeur",
    "Data sources": "Sources des données",
    'Distances to stores are computed from postal code centroids by <a href="https://www.geonames.org/">GeoNames</a> (licence CC BY 4.0). Maps: © OpenStreetMap contributors.': (
        "Les distances aux magasins sont calculées à partir des centroïdes des codes postaux de "
        '<a href="https://www.geonames.org/">GeoNames</a> (licence CC BY 4.0). Cartes : © les '
        "contributeurs d'OpenStreetMap."
    ),
}

FR_PLURAL = {
    "%(counter)s store in the network": (
        "%(counter)s magasin dans le réseau",
        "%(counter)s magasins dans le réseau",
    ),
    "%(counter)s store sells online.": (
        "%(counter)s magasin vend en ligne.",
        "%(counter)s magasins vendent en ligne.",
    ),
}
