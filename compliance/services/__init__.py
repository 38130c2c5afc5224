"""Compliance's writes, by topic. P2B (part C3): `terms`, `p2b_measures`, `data_access`,
`store_complaints`; the ranking disclosure is a read (`ranking`)."""
