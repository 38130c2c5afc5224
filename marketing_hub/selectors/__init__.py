"""The marketing hub's read side, one module per topic."""
