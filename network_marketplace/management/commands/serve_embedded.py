from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from network_marketplace.embedded_beat import EmbeddedBeat


class Command(BaseCommand):
    help = "Serve the embedded profile: the web server plus its periodic jobs in one process."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.EMBEDDED:
            raise CommandError(
                "REDIS_URL is set: run gunicorn, `celery worker` and `celery beat` instead "
                "(see docker-compose.yml)."
            )
        EmbeddedBeat().start()
        call_command("runserver", addrport, use_reloader=False)
