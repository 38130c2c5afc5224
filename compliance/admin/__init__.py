"""HQ's compliance admin, one module by topic (each registers its models)."""

from . import illegal_products, misuse, reports, traders  # noqa: F401 (registers)
