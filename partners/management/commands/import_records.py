from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.importing import ImportFileError, read_dataset, run_import
from indicators.models import DataVersion
from partners.spreadsheets import EXPORT_ONLY, RESOURCES


class Command(BaseCommand):
    help = (
        "Import indicators, targets, partners or risks from a CSV or XLSX file (figures come in through "
        "the returns upload). "
        "All or nothing: any bad row and nothing is imported; every problem is reported by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(set(RESOURCES) - EXPORT_ONLY))
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; change nothing.")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="Default: from the file's extension.")

    def handle(self, *args, kind, path, dry_run, format=None, **options):
        file_format = format or path.suffix.lower().lstrip(".")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            dataset = read_dataset(content, file_format)
        except ImportFileError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        # One transaction, whose last write moves the data version once (docs/decisions/0003).
        with transaction.atomic(), DataVersion.changes():
            report = run_import(RESOURCES[kind](), dataset, dry_run=dry_run)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
