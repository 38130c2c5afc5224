"""The transmission of HQ's e-invoices to a certified platform (the French e-invoicing reform:
a "plateforme de dématérialisation partenaire", PDP, now "plateforme agréée", PA).

HQ's invoices and credit notes to the stores are Factur-X (payments/facturx.py). Once one is
issued, `transmission.queue_transmission` writes its `EInvoiceTransmission` row and an outbox
message in the issuing transaction; the outbox worker (`transmission.transmit`) hands the PDF
and its XML to the platform named by settings.EINVOICING_PLATFORM and records the platform's
answer on the row (deposited with its reference, or rejected with its message), through the
lifecycle of payments/states.py.

A platform is a `Platform` subclass: `send()` deposits one e-invoice and returns a `Receipt`.
`LocalPlatform`, the default, stands for one on this machine: it checks the Factur-X as a
platform would (payments.facturx.check_facturx), keeps what it was "sent" in the private
invoices storage (`einvoicing/<platform>/<number>.pdf` and `.xml`) and answers "deposited"; the
tests and the demo use it. A real platform's client (its API, its credentials) is a subclass named
in the setting; nothing else changes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.module_loading import import_string

from network_marketplace.storage import invoices_storage

from ..facturx import FacturXError, check_facturx

DEPOSITED, REJECTED = "deposited", "rejected"


@dataclass(frozen=True)
class Receipt:
    """The platform's answer: `status` DEPOSITED or REJECTED, its reference, its message."""

    status: str
    reference: str = ""
    message: str = ""


class Platform(ABC):
    """A certified e-invoicing platform. `send` may raise on a network error: the outbox
    retries; a refusal of the document itself is a REJECTED receipt."""

    name = "platform"

    @abstractmethod
    def send(self, *, number: str, pdf: bytes, xml: bytes) -> Receipt: ...


class LocalPlatform(Platform):
    """A platform on this machine: validates, stores what it got, answers at once."""

    name = "local"

    def folder(self) -> str:
        return f"einvoicing/{self.name}"

    def send(self, *, number: str, pdf: bytes, xml: bytes) -> Receipt:
        try:
            check_facturx(pdf)
        except FacturXError as exc:
            return Receipt(status=REJECTED, message=str(exc)[:500])
        for suffix, content in ((".pdf", pdf), (".xml", xml)):
            path = f"{self.folder()}/{number}{suffix}"
            if invoices_storage().exists(path):  # a repeated delivery deposits the same file
                invoices_storage().delete(path)
            invoices_storage().save(path, ContentFile(content))
        return Receipt(status=DEPOSITED, reference=f"LOCAL-{number}")

    def received(self, number: str) -> bytes | None:
        """The PDF this platform got for invoice `number` (None: nothing was sent)."""
        path = f"{self.folder()}/{number}.pdf"
        if not invoices_storage().exists(path):
            return None
        with invoices_storage().open(path, "rb") as handle:
            return handle.read()


def get_platform() -> Platform:
    """The platform settings.EINVOICING_PLATFORM names (a dotted path to a Platform class)."""
    return import_string(settings.EINVOICING_PLATFORM)()
