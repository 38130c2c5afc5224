"""What the account's services refuse; the pages turn each into a form error."""

from __future__ import annotations

from network_marketplace.errors import DomainError


class AddressBookFull(DomainError):
    """The address book is full: remove an address before adding another."""

    code = "address_book_full"
    http_status = 400


class StoreNotSelling(DomainError):
    """This store does not sell to customers."""

    code = "store_not_selling"
    http_status = 400
