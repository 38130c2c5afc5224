"""Euros to cents and back: the network's one money formatter lives in
`network_marketplace.money` (the admin's base under every app needs it); re-exported here for
the catalogue and the apps that have always imported it from here."""

from network_marketplace.money import AmountError, format_cents, parse_euros

__all__ = ["AmountError", "format_cents", "parse_euros"]
