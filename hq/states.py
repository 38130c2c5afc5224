"""A store's standing under HQ's scorecard thresholds, in one place.

    good ──(a warning threshold crossed)──> warned ──(a suspension threshold crossed)──> suspended
      ^                                       │                                            │
      └──────────(figures back within the warning thresholds)─────────────────────────────┘
                                      (a suspension: also its minimum length over, by the rule)

The automatic engine (hq.services.consequences) always warns before it suspends; HQ may impose a
suspension from any standing and lift a warning or a suspension (an override, with its reason).
Every move goes through `network_marketplace.transitions.transition` and writes a
`StandingEvent` with the figures and thresholds of the moment.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle

from .models import StandingEvent, StoreStanding

S = StoreStanding.Status

TRANSITIONS: dict[str, set[str]] = {
    S.GOOD: {S.WARNED, S.SUSPENDED},
    S.WARNED: {S.GOOD, S.SUSPENDED},
    S.SUSPENDED: {S.GOOD},
}

STANDING_LIFECYCLE = Lifecycle(
    name="standing",
    model=StoreStanding,
    moves=TRANSITIONS,
    event_model=StandingEvent,
    event_parent="standing",
    store_of=lambda standing: standing.store_id,
    illegal_message=gettext_lazy("A store's standing can't go from “%(current)s” to “%(target)s”."),
)
