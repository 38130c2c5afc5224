"""The compliance admin, one module by topic (C1: notices, measures, complaints, bodies;
C3, P2B: terms, terminations, mediators, store complaints, store exports)."""

from . import bodies, complaints, measures, notices, p2b_complaints, p2b_terms

__all__ = ["bodies", "complaints", "measures", "notices", "p2b_complaints", "p2b_terms"]
