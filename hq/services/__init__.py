"""HQ's writes: the scorecards' consequences and HQ's overrides (`consequences`), the routing
weights applied from a simulation (`routing_weights`)."""

from .consequences import (
    ReasonRequired,
    apply_consequences,
    impose_suspension,
    lift_standing,
    standing_of,
)
from .routing_weights import apply_routing_weights

__all__ = [
    "ReasonRequired",
    "apply_consequences",
    "apply_routing_weights",
    "impose_suspension",
    "lift_standing",
    "standing_of",
]
