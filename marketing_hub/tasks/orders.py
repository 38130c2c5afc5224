"""Beat and worker tasks of the marketing hub: orders."""
