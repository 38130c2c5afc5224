"""Writes of the compliance app, by topic. C1: measures and statements of reasons (the one
service every part calls), notices, complaints."""

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
