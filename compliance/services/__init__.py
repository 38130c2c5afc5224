"""Writes of the compliance app, by topic. C1: measures and statements of reasons (the one
service every part calls), notices, complaints. C3 (P2B): `terms`, `p2b_measures`,
`data_access`, `store_complaints`; the ranking disclosure (`ranking`, a read)."""

from .measures import (
    InvalidMeasure,
    MeasureWithoutGround,
    apply_measure,
    expire_measures,
    lift_measure,
    redress_text,
)

__all__ = [
    "InvalidMeasure",
    "MeasureWithoutGround",
    "apply_measure",
    "expire_measures",
    "lift_measure",
    "redress_text",
]
