"""HQ's admin for the marketing hub: subscriptions."""
