"""The compliance admin, one module by topic (C1: notices, measures, complaints, bodies)."""

from . import bodies, complaints, measures, notices

__all__ = ["bodies", "complaints", "measures", "notices"]
