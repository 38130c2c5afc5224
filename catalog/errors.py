"""The catalogue's domain errors: the API, the admin and the import command turn them into
clear answers."""

from __future__ import annotations

from network_marketplace.errors import DomainError, IllegalTransition


class ProductNotPublishable(IllegalTransition):
    """This product cannot be published: it has no active variant."""

    code = "product_not_publishable"
    http_status = 409


class ProductSafetyIncomplete(ProductNotPublishable):
    """This product cannot be published: HQ doesn't hold all its product-safety information."""

    code = "product_safety_incomplete"
    http_status = 400


class InvalidImportFile(DomainError):
    """The catalogue file cannot be read: nothing was imported."""

    code = "invalid_import_file"
    http_status = 400


class CatalogueChangedDuringImport(DomainError):
    """The catalogue changed while the file was being imported: nothing was written, try again."""

    code = "catalogue_changed"
    http_status = 409
