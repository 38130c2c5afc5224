"""The parcel carriers stores ship with: what their tracking numbers look like (the ship form
checks them) and their public tracking pages (the customer's shipping e-mail links to them)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    name: str
    # Checked once spaces and dashes are dropped and letters upper-cased.
    number_pattern: re.Pattern
    # The public tracking page, with {number}.
    tracking_page: str


KNOWN_CARRIERS = (
    Carrier(
        "Colissimo",
        re.compile(r"^[0-9A-Z]{11,15}$"),
        "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    ),
    Carrier(
        "Chronopost",
        re.compile(r"^[0-9A-Z]{11,15}$"),
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={number}",
    ),
    Carrier(
        "DPD",
        re.compile(r"^[0-9]{14}$|^[0-9A-Z]{10,28}$"),
        "https://trace.dpd.fr/fr/trace/{number}",
    ),
    Carrier(
        "GLS",
        re.compile(r"^[0-9A-Z]{8,14}$"),
        "https://gls-group.com/FR/fr/suivi-colis?match={number}",
    ),
    Carrier(
        "Mondial Relay",
        re.compile(r"^[0-9A-Z]{8,16}$"),
        "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition={number}",
    ),
    Carrier(
        "UPS",
        re.compile(r"^1Z[0-9A-Z]{16}$"),
        "https://www.ups.com/track?loc=fr_FR&tracknum={number}",
    ),
    Carrier(
        "DHL",
        re.compile(r"^[0-9A-Z]{10,22}$"),
        "https://www.dhl.com/fr-fr/home/tracking.html?tracking-id={number}",
    ),
)


def _normalised(carrier: str) -> str:
    text = unicodedata.normalize("NFKD", carrier or "").encode("ascii", "ignore").decode()
    return "".join(character for character in text.lower() if character.isalnum())


CARRIERS: dict[str, Carrier] = {_normalised(each.name): each for each in KNOWN_CARRIERS}


def known_carrier(carrier: str) -> Carrier | None:
    """The carrier by any spelling of its name ("mondial-relay" is Mondial Relay)."""
    return CARRIERS.get(_normalised(carrier))


def normalised_tracking_number(number: str) -> str:
    return re.sub(r"[\s\-]", "", number or "").upper()


def carrier_name(carrier: str) -> str:
    """The carrier's usual spelling when we know it ("mondial-relay" -> "Mondial Relay")."""
    known = known_carrier(carrier)
    return known.name if known else carrier.strip()


def tracking_url(carrier: str, tracking_number: str) -> str | None:
    """The carrier's public tracking page for this parcel, or None for a carrier we don't know."""
    known = known_carrier(carrier)
    number = (tracking_number or "").strip()
    if known is None or not number:
        return None
    return known.tracking_page.format(number=quote(number, safe=""))
