"""Send the test e-mail through the outbox: checks the e-mail settings and the worker end to end."""

import uuid

from django.core.management.base import BaseCommand
from django.db import transaction

from network_marketplace.notifications import send_templated_email


class Command(BaseCommand):
    help = "Queue the test e-mail to an address; the worker sends it (in-process when embedded)."

    def add_arguments(self, parser):
        parser.add_argument("to", help="The recipient's e-mail address.")
        parser.add_argument("--language", default=None, help="fr (default) or en.")
        parser.add_argument("--name", default="", help="The recipient's name, for the greeting.")

    def handle(self, *args, to, language, name, **options):
        with transaction.atomic():
            message = send_templated_email(
                to=to,
                template="test_notice",
                context={"name": name},
                language=language,
                dedupe_key=f"test-notice:{uuid.uuid4().hex}",
            )
        message.refresh_from_db()
        self.stdout.write(f"Outbox message {message.pk}: {message.status}")
