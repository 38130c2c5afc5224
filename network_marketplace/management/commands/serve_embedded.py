"""`manage.py serve_embedded [addrport]`: the embedded profile's one process, as `make demo`
runs it: static files collected (DEBUG off serves them through whitenoise), links in e-mails
pointing at the address it listens on, the periodic jobs in a thread, then the web server."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re
from django.urls import reverse

from network_marketplace.embedded_beat import EmbeddedBeat

DEFAULT_ADDRPORT = "127.0.0.1:8000"
# Listening on every interface: links in e-mails name this machine as its own browser sees it.
WILDCARD_ADDRESSES = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]", "0": "127.0.0.1"}  # noqa: S104


class Command(BaseCommand):
    help = "Serve the embedded profile: the web server plus its periodic jobs in one process."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT)

    def handle(self, *args, addrport, **options):
        if not settings.EMBEDDED:
            raise CommandError(
                "REDIS_URL is set: run gunicorn, `celery worker` and `celery beat` instead "
                "(see docker-compose.yml)."
            )
        site_url = self._site_url(addrport)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self._print_addresses(site_url)
        EmbeddedBeat().start()
        call_command("runserver", addrport, use_reloader=False)

    def _site_url(self, addrport: str) -> str:
        """The address e-mails link to: SITE_URL when the environment sets it, else the one
        this server listens on (settings are changed for this process, which sends them)."""
        match = naiveip_re.match(addrport)
        if match is None:
            raise CommandError(f'"{addrport}" is not a valid port number or address:port pair.')
        address = match["addr"] or "127.0.0.1"
        # Every interface: any name of this machine may be asked for, from the network.
        allowed = "*" if address in WILDCARD_ADDRESSES else address
        if allowed not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, allowed]
        if "SITE_URL" not in os.environ:
            host = WILDCARD_ADDRESSES.get(address, address)
            settings.SITE_URL = f"http://{host}:{match['port']}"
        netloc = urlsplit(settings.SITE_URL).netloc
        # allauth's e-mails name the site by its domain.
        Site.objects.filter(pk=settings.SITE_ID).update(domain=netloc)
        return settings.SITE_URL.rstrip("/")

    def _print_addresses(self, site_url: str) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Serving on ") + f"{site_url}/ (Ctrl-C to stop)")
        if settings.DEMO:
            mailbox = site_url + reverse("demo:mailbox")
            out.write(f"  Demo mailbox (every e-mail the demo sends): {mailbox}")
