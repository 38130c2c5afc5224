"""The Celery application: one app for the whole project, configured from Django settings.

Tasks stay in each app's `tasks.py` (found by autodiscovery) and keep their names
(`network_marketplace.tasks.deliver_outbox`...): `celery -A config worker` runs them all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("network_marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
