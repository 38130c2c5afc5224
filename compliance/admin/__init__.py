"""HQ's compliance desk in admin, by topic. P2B (part C3): `p2b_terms` (terms, decisions,
standing, terminations, mediators), `p2b_complaints` (stores' complaints, exports)."""

from . import p2b_complaints, p2b_terms  # noqa: F401
