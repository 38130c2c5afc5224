"""The compliance admin, one module by topic (DSA: notices, measures, complaints, bodies;
traders, illegal products, misuse, transparency reports; P2B: terms, terminations, mediators,
store complaints, store exports; GDPR: customers' exports, data kept by law, retention runs,
consent ledger, breaches, records of processing)."""

from . import (
    bodies,
    complaints,
    dac7,
    gdpr,
    gdpr_records,
    illegal_products,
    measures,
    misuse,
    notices,
    p2b_complaints,
    p2b_terms,
    reports,
    traders,
)

__all__ = [
    "bodies",
    "complaints",
    "dac7",
    "gdpr",
    "gdpr_records",
    "illegal_products",
    "measures",
    "misuse",
    "notices",
    "p2b_complaints",
    "p2b_terms",
    "reports",
    "traders",
]
