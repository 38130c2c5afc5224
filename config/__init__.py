"""The project's assembly: settings, URLs, the Celery app and WSGI, above every app.

The Celery app is imported here so that it exists (and is Celery's current app) as soon as
Django reads `config.settings`: the apps' `@shared_task`s bind to it.
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
