"""`make bench`, after the in-process pages and the imports: the pages through gunicorn beside static files
of the same bytes (portal/bench_http.py)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal import bench_http


class Command(BaseCommand):
    help = "Serve the bench database through gunicorn and time pages against static files. Bench databases only."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=50, help="Requests per page and per static file.")
        parser.add_argument("--output", help="Also write the results table (Markdown) to this file.")

    def handle(self, *args, rounds, output=None, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to write to {name!r}: use a database named *bench*.")
        call_command("migrate", verbosity=0)  # the server checks its migrations are applied
        table = bench_http.report(rounds=rounds)
        self.stdout.write(table)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(table + "\n")
