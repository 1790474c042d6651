"""`make load`: locust against gunicorn, officers, members and the public at once (portal/load.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import load


class Command(BaseCommand):
    help = "Serve through gunicorn and run locust headless against it. Load-test databases only."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=60, help="How long the load runs, after ramping up.")
        parser.add_argument("--output", help="Also write the results table (Markdown) to this file.")

    def handle(self, *args, seconds, output=None, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "load" not in name:
            raise CommandError(f"Refusing to load-test {name!r}: use a database named *load*.")
        table = load.run(seconds=seconds)
        self.stdout.write(table)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(table + "\n")
