"""The periodic jobs beat sends, in one table (settings.CELERY_BEAT_SCHEDULE).

Every job runs on the periodic queue (config/celery.py routes them), served by a worker of its
own, so each must stay short: a job with long work nudges a task on the ordinary queue.
"""

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The stores' scorecards against HQ's thresholds: warnings, out of home-delivery routing,
    # back in (hq.services.consequences).
    "hq-apply-scorecard-consequences": {
        "task": "hq.tasks.apply_scorecard_consequences",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3500},
    },
    "worker-heartbeat": {
        "task": "network_marketplace.tasks.record_worker_heartbeat",
        "schedule": timedelta(seconds=60),
    },
    # Nudges a delivery when the outbox holds due messages (a lost nudge, a dead worker).
    "outbox-sweep": {
        "task": "network_marketplace.tasks.sweep_outbox",
        "schedule": timedelta(seconds=30),
    },
    # Tidies expired holds on stock; an expired hold already stops counting before it runs.
    "stores-release-expired-reservations": {
        "task": "stores.tasks.release_expired_reservations",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Fulfilments not accepted by their deadline time out and go to the next candidate.
    "fulfillment-time-out-overdue": {
        "task": "fulfillment.tasks.time_out_overdue_fulfilments",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Reserve & collect: a reservation ends with its hold on the stock.
    "fulfillment-expire-reservations": {
        "task": "fulfillment.tasks.expire_reservations",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Click & collect orders not collected in time: cancelled, refunded, stock back.
    "fulfillment-expire-uncollected": {
        "task": "fulfillment.tasks.expire_uncollected_fulfilments",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 290},
    },
    # Reserve & collect: "your reservation ends soon", once, a few hours before.
    "fulfillment-remind-expiring-reservations": {
        "task": "fulfillment.tasks.remind_expiring_reservations",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 290},
    },
    # Returns announced online but never brought back (30 days) are cancelled.
    "fulfillment-expire-unreturned-returns": {
        "task": "fulfillment.tasks.expire_unreturned_returns",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3500},
    },
    # Places or cancels the orders whose payment step never finished (their holds expired).
    "orders-settle-abandoned-checkouts": {
        "task": "orders.tasks.settle_abandoned_checkouts",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Forgets the order API's Idempotency-Keys once they are a day old.
    "orders-purge-order-requests": {
        "task": "orders.tasks.purge_order_requests",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    # Forgets the other write endpoints' Idempotency-Keys once they are a day old.
    "purge-idempotency-keys": {
        "task": "network_marketplace.tasks.purge_idempotency_keys",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    # Pays each store its available balance, on HQ's payout days (PayoutPolicy), once a period.
    "payments-run-payouts": {
        "task": "payments.tasks.run_scheduled_payouts",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    # HQ's commission invoices of last month, on the 1st (idempotent: once per store and month).
    "payments-issue-monthly-invoices": {
        "task": "payments.tasks.issue_monthly_invoices",
        "schedule": crontab(minute=30, hour=6, day_of_month=1),
        "options": {"expires": 60 * 60},
    },
    # Marketing hub (part M2): orders whose HQ review is overdue: store told, HQ reminded, once.
    "marketing-remind-overdue-reviews": {
        "task": "marketing_hub.tasks.orders.remind_overdue_reviews",
        "schedule": timedelta(minutes=15),
        "options": {"expires": 800},
    },
    # Marketing hub, digital packs (part M3). Billing: each live subscription once a month,
    # from the 1st; hourly so that a missed or killed run catches up (idempotent per month).
    "marketing-bill-subscriptions": {
        "task": "marketing_hub.tasks.subscriptions.bill_subscriptions",
        "schedule": crontab(minute=15),
        "options": {"expires": 55 * 60},
    },
    # The packs' deliverables (GBP sheet, local inventory feed, brief, social posts) rebuilt
    # where the store's data changed.
    "marketing-refresh-deliverables": {
        "task": "marketing_hub.tasks.subscriptions.refresh_deliverables",
        "schedule": crontab(minute=40, hour="*/3"),
        "options": {"expires": 3 * 60 * 60 - 300},
    },
    # Closes the stores whose termination notice has run out (idempotent).
    "compliance-end-terminated-stores": {
        "task": "compliance.tasks.end_terminated_stores",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    # DAC7: reminders to stores missing their tax data, payouts held then released, and in
    # January last year's declaration with the stores' copies (idempotent, daily).
    "compliance-dac7-calendar": {
        "task": "compliance.tasks.run_dac7_calendar",
        "schedule": crontab(hour=6, minute=15),
        "options": {"expires": 3600},
    },
    # Drops the archives of stores' data exports older than P2B_EXPORT_KEEP_DAYS.
    "compliance-purge-old-exports": {
        "task": "compliance.tasks.purge_old_exports",
        "schedule": timedelta(hours=6),
        "options": {"expires": 3600},
    },
    # Time-limited measures end at their end date (the store sells again, ...).
    "compliance-expire-measures": {
        "task": "compliance.tasks.expire_measures",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 290},
    },
    # Statements of reasons not yet in the Commission's transparency database.
    "compliance-submit-statements": {
        "task": "compliance.tasks.submit_statements",
        "schedule": timedelta(minutes=15),
        "options": {"expires": 800},
    },
    # Suspends the franchise stores whose trader data became incomplete, lifts when fixed.
    "compliance-enforce-trader-data": {
        "task": "compliance.tasks.enforce_trader_data",
        "schedule": crontab(minute=15, hour=5),
        "options": {"expires": 60 * 60},
    },
    # Anonymises the trader data of stores closed TRADER_DATA_RETENTION_DAYS ago.
    "compliance-erase-departed-traders": {
        "task": "compliance.tasks.erase_departed_traders",
        "schedule": crontab(minute=45, hour=4),
        "options": {"expires": 60 * 60},
    },
    # GDPR retention: every purpose's clock (settings.GDPR_RETENTION_DAYS) applied in one run,
    # guest carts included; each purpose idempotent, the run recorded (RetentionRun).
    "compliance-apply-retention": {
        "task": "compliance.tasks.apply_retention",
        "schedule": crontab(minute=20, hour=3),
        "options": {"expires": 60 * 60},
    },
    # Keeps last month's count of unique active recipients (art. 24(2)), on the 1st.
    "compliance-record-active-recipients": {
        "task": "compliance.tasks.record_monthly_active_recipients",
        "schedule": crontab(minute=5, hour=0, day_of_month=1),
        "options": {"expires": 60 * 60},
    },
}
