"""French of the outbox, e-mails and webhooks: models, HQ admin, back-office page, API, e-mails."""

FR = {
    # Models
    "Pending": "En attente",
    "Sent": "Envoyé",
    "Failed, will retry": "En échec, sera réessayé",
    "Dead": "Abandonné",
    "payload": "contenu",
    "deduplication key": "clé de dédoublonnage",
    "attempts": "tentatives",
    "next attempt": "prochaine tentative",
    "claimed until": "réservé jusqu'à",
    "last error": "dernière erreur",
    "sent": "envoyé",
    "outbox message": "message à envoyer",
    "outbox messages": "messages à envoyer",
    "webhook endpoint": "point de réception webhook",
    "webhook endpoints": "points de réception webhook",
    "event": "événement",
    "event type": "type d'événement",
    "response": "réponse",
    "error": "erreur",
    "duration (ms)": "durée (ms)",
    "last attempt": "dernière tentative",
    "delivered": "livré",
    "webhook delivery": "livraison webhook",
    "webhook deliveries": "livraisons webhook",
    # Event types
    "An order was placed.": "Une commande a été passée.",
    "An order was cancelled.": "Une commande a été annulée.",
    "An order was refunded, in full or in part.": (
        "Une commande a été remboursée, en totalité ou en partie."
    ),
    "A fulfilment was routed to a store.": "Une préparation a été confiée à un magasin.",
    "A store accepted a fulfilment.": "Un magasin a accepté une préparation.",
    "A store rejected a fulfilment.": "Un magasin a refusé une préparation.",
    "A fulfilment was picked.": "Une préparation a été prélevée en rayon.",
    "A fulfilment is ready for pickup.": "Une préparation est prête à être retirée.",
    "A fulfilment was handed over to the customer.": "Une préparation a été remise au client.",
    "A fulfilment was shipped.": "Une préparation a été expédiée.",
    "A fulfilment was cancelled.": "Une préparation a été annulée.",
    "A customer started a return.": "Un client a demandé un retour.",
    "A store received a return.": "Un magasin a reçu un retour.",
    "A test event sent on request.": "Un événement de test envoyé à la demande.",
    # Validation and services
    "The URL must start with https://.": "L'URL doit commencer par https://.",
    "The URL must point to a public server.": "L'URL doit désigner un serveur public.",
    "Choose at least one event.": "Choisissez au moins un événement.",
    "Unknown events: %(names)s.": "Événements inconnus : %(names)s.",
    "A store may have at most %(count)d webhook endpoints.": (
        "Un magasin peut avoir au plus %(count)d points de réception webhook."
    ),
    "All events": "Tous les événements",
    "Events": "Événements",
    "“All events” includes the event types added later.": (
        "« Tous les événements » inclut les types d'événements ajoutés plus tard."
    ),
    "URL": "URL",
    "Your server's address that receives the events (HTTPS).": (
        "L'adresse de votre serveur qui reçoit les événements (HTTPS)."
    ),
    # API
    "Only the store's owners and managers manage its webhooks.": (
        "Seuls les propriétaires et gérants du magasin gèrent ses webhooks."
    ),
    "Choose the store.": "Choisissez le magasin.",
    "The endpoint is paused.": "Le point de réception est en pause.",
    # HQ admin
    "Retry the selected dead or failed messages now": (
        "Réessayer maintenant les messages abandonnés ou en échec sélectionnés"
    ),
    "Only dead or failed messages can be retried.": (
        "Seuls les messages abandonnés ou en échec peuvent être réessayés."
    ),
    "HQ (every store)": "Siège (tous les magasins)",
    "events": "événements",
    "deliveries": "livraisons",
    "Log": "Journal",
    "recent deliveries": "livraisons récentes",
    "None yet.": "Aucune pour l'instant.",
    "Event": "Événement",
    "HTTP status": "Statut HTTP",
    "Attempts": "Tentatives",
    "Copy the signing secret now, it will not be shown again: %(secret)s": (
        "Copiez le secret de signature maintenant, il ne sera plus affiché : %(secret)s"
    ),
    "Send a test event to the selected endpoints": (
        "Envoyer un événement de test aux points de réception sélectionnés"
    ),
    "Test events queued.": "Événements de test mis en file d'envoi.",
    "state": "état",
    # Back-office page
    "The endpoint %(url)s is removed.": "Le point de réception %(url)s est supprimé.",
    "The endpoint %(url)s receives events again.": (
        "Le point de réception %(url)s reçoit de nouveau les événements."
    ),
    "The endpoint %(url)s is paused.": "Le point de réception %(url)s est en pause.",
    "A test event is on its way to %(url)s: see its delivery below.": (
        "Un événement de test part vers %(url)s : suivez sa livraison ci-dessous."
    ),
    "Webhooks": "Webhooks",
    "A webhook tells your till, ERP or any program when something happens at %(name)s: the platform sends each event as a JSON POST request to your URL, retries until your server answers 2xx, and signs it with the endpoint's secret.": (
        "Un webhook prévient votre caisse, votre ERP ou tout autre programme de ce qui se passe "
        "chez %(name)s : la plateforme envoie chaque événement en requête POST JSON à votre URL, "
        "réessaie jusqu'à ce que votre serveur réponde 2xx, et la signe avec le secret du point "
        "de réception."
    ),
    "Endpoint %(url)s added. Copy its signing secret now: it will not be shown again.": (
        "Point de réception %(url)s ajouté. Copiez son secret de signature maintenant : il ne "
        "sera plus affiché."
    ),
    "New endpoint": "Nouveau point de réception",
    "optional": "facultatif",
    "Add the endpoint": "Ajouter le point de réception",
    "Endpoints": "Points de réception",
    "Events:": "Événements :",
    "Added on %(date)s by %(email)s": "Ajouté le %(date)s par %(email)s",
    "Added on %(date)s": "Ajouté le %(date)s",
    "Paused": "En pause",
    "Send a test event": "Envoyer un événement de test",
    "Pause": "Mettre en pause",
    "Resume": "Réactiver",
    "Remove": "Supprimer",
    "No endpoint yet.": "Aucun point de réception pour l'instant.",
    "Latest deliveries": "Dernières livraisons",
    "Date": "Date",
    "Endpoint": "Point de réception",
    "Answer": "Réponse",
    "Delivered": "Livré",
    "Given up": "Abandonné",
    "Retrying": "Nouvel essai prévu",
    "Waiting": "En attente",
    "No delivery yet.": "Aucune livraison pour l'instant.",
    "Checking the signature": "Vérifier la signature",
    "Each request carries the header <code>X-Network-Signature: t=&lt;timestamp&gt;,v1=&lt;signature&gt;</code>. The signature is the hexadecimal HMAC-SHA256, keyed with the endpoint's secret, of the timestamp, a dot and the raw request body. Refuse a request whose signature differs or whose timestamp is more than five minutes old. <code>X-Network-Delivery</code> stays the same when a delivery is retried: use it to ignore a repeat.": (
        "Chaque requête porte l'en-tête <code>X-Network-Signature: t=&lt;horodatage&gt;,"
        "v1=&lt;signature&gt;</code>. La signature est le HMAC-SHA256 en hexadécimal, avec le "
        "secret du point de réception pour clé, de l'horodatage, d'un point et du corps brut de "
        "la requête. Refusez une requête dont la signature diffère ou dont l'horodatage a plus "
        "de cinq minutes. <code>X-Network-Delivery</code> reste le même quand une livraison est "
        "réessayée : servez-vous-en pour ignorer un doublon."
    ),
    # E-mails
    "This e-mail was sent automatically; please do not reply to it.": (
        "Cet e-mail a été envoyé automatiquement ; merci de ne pas y répondre."
    ),
    "%(network)s: test e-mail": "%(network)s : e-mail de test",
    "Your e-mails work": "Vos e-mails fonctionnent",
    "Hello %(name)s,": "Bonjour %(name)s,",
    "Hello,": "Bonjour,",
    "This is a test e-mail from %(network)s: if you can read it, e-mails from the platform reach you.": (
        "Ceci est un e-mail de test envoyé par la plateforme %(network)s : si vous le lisez, "
        "ses e-mails vous parviennent."
    ),
    "Open the site": "Ouvrir le site",
    "Open the site:": "Ouvrir le site :",
}

FR_PLURAL = {
    "%(count)d message will be delivered again.": (
        "%(count)d message sera de nouveau envoyé.",
        "%(count)d messages seront de nouveau envoyés.",
    ),
}
