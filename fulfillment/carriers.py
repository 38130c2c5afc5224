"""Parcel carriers whose tracking pages we know: the customer's shipping e-mail links to them."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

# Normalised carrier name -> (display name, tracking page with {number}).
CARRIERS: dict[str, tuple[str, str]] = {
    "colissimo": ("Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}"),
    "chronopost": (
        "Chronopost",
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={number}",
    ),
    "dpd": ("DPD", "https://trace.dpd.fr/fr/trace/{number}"),
    "ups": ("UPS", "https://www.ups.com/track?loc=fr_FR&tracknum={number}"),
    "mondialrelay": (
        "Mondial Relay",
        "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition={number}",
    ),
}


def _normalised(carrier: str) -> str:
    text = unicodedata.normalize("NFKD", carrier or "").encode("ascii", "ignore").decode()
    return "".join(character for character in text.lower() if character.isalnum())


def carrier_name(carrier: str) -> str:
    """The carrier's usual spelling when we know it ("mondial-relay" -> "Mondial Relay")."""
    known = CARRIERS.get(_normalised(carrier))
    return known[0] if known else carrier.strip()


def tracking_url(carrier: str, tracking_number: str) -> str | None:
    """The carrier's public tracking page for this parcel, or None for a carrier we don't know."""
    known = CARRIERS.get(_normalised(carrier))
    number = (tracking_number or "").strip()
    if known is None or not number:
        return None
    return known[1].format(number=quote(number, safe=""))
