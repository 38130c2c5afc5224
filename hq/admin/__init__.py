"""HQ's admin for the hq app: the scorecard thresholds, the stores' standings (the list with
filters and each store's scorecard page with HQ's overrides), and the fair-routing report with
its simulation."""

from . import fair_routing, standings

__all__ = ["fair_routing", "standings"]
