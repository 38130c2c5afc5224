"""HQ's reads: the stores' scorecards (`scorecards`), the spread of home-delivery routing and its
simulation (`routing_spread`)."""
