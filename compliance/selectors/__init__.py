"""Compliance's reads, by topic. P2B (part C3): `terms`, `store_complaints`."""
