from django.core.management.base import BaseCommand, CommandError

from stores.postal_codes import DEFAULT_PATH, PostalCodeFileError, load_postal_codes


class Command(BaseCommand):
    help = (
        "Load French postal code centroids from a CSV file (code, city, latitude, longitude); "
        "idempotent. Without a path, loads the file shipped in stores/data/."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        try:
            count = load_postal_codes(path)
        except PostalCodeFileError as error:
            raise CommandError(error.message) from error
        except OSError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{count} postal codes loaded from {path}"))
