"""The compliance admin, one module by topic (C1: notices, measures, complaints, bodies; C2:
traders, illegal products, misuse, transparency reports)."""

from . import bodies, complaints, illegal_products, measures, misuse, notices, reports, traders

__all__ = [
    "bodies",
    "complaints",
    "illegal_products",
    "measures",
    "misuse",
    "notices",
    "reports",
    "traders",
]
