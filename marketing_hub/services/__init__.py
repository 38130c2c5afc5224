"""The marketing hub's services, one module per topic: artwork and proofs, cart and orders,
approval, budgets and co-funding, charging, suppliers, subscriptions, deliverables."""
