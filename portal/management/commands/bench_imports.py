"""`make bench`, after the pages: time the import paths against their references (portal/bench_imports.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import bench_imports


class Command(BaseCommand):
    help = "Time 10,000-row imports against django-import-export's default and a raw write. Bench databases only."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Also write the results table (Markdown) to this file.")

    def handle(self, *args, output=None, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to write synthetic data to {name!r}: use a database named *bench*.")
        table = bench_imports.report(connection.vendor)
        self.stdout.write(table)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(table + "\n")
