from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.importing import FORMATS
from partners.spreadsheets import RESOURCES


class Command(BaseCommand):
    help = "Export indicators, targets, values, partners or risks to CSV or XLSX, in the format import reads."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=sorted(FORMATS), help="Default: from the file's extension.")

    def handle(self, *args, kind, path, format=None, **options):
        file_format = format or path.suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError(f"Unknown format {file_format!r}: use csv or xlsx.")
        dataset = RESOURCES[kind]().export()
        data = FORMATS[file_format]().export_data(dataset)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        self.stdout.write(self.style.SUCCESS(f"Exported {len(dataset)} {kind} to {path}"))
