"""The marketing hub's tables, one module per topic: the catalogue HQ approves (items, tiers,
campaigns, suppliers, artwork and its fields, the stores' proofs), the stores' orders, budgets
and co-funding, and the digital packs' subscriptions and deliverables."""

from .budgets import Budget, BudgetMovement, CoFundingRule, CoFundingUsage
from .catalogue import (
    Artwork,
    ArtworkField,
    Campaign,
    ItemPicture,
    MarketingItem,
    PriceTier,
    Proof,
    Supplier,
)
from .dashboard import MarketingDashboard
from .orders import (
    MarketingOrder,
    MarketingOrderEvent,
    MarketingOrderLine,
    MarketingOrderNumberSeries,
    OrderInReview,
    SupplierLine,
)
from .subscriptions import (
    Deliverable,
    SocialPostTemplate,
    Subscription,
    SubscriptionCharge,
    SubscriptionEvent,
    SubscriptionPlan,
)

__all__ = [
    "Artwork",
    "ArtworkField",
    "Budget",
    "BudgetMovement",
    "Campaign",
    "CoFundingRule",
    "CoFundingUsage",
    "Deliverable",
    "ItemPicture",
    "MarketingDashboard",
    "MarketingItem",
    "MarketingOrder",
    "MarketingOrderEvent",
    "MarketingOrderLine",
    "MarketingOrderNumberSeries",
    "OrderInReview",
    "PriceTier",
    "Proof",
    "SocialPostTemplate",
    "Subscription",
    "SubscriptionCharge",
    "SubscriptionEvent",
    "SubscriptionPlan",
    "Supplier",
    "SupplierLine",
]
