"""The store back-office's "Marketing" section, one module per topic (each gives `urlpatterns`):
catalogue and proof editor, cart and orders, subscriptions and deliverables, the overview
(budget and co-funding left)."""
