"""`make backup`: back up the database, with a checksum beside the file (see core/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, back_up


class Command(BaseCommand):
    help = "Back up the database (PostgreSQL: custom-format dump; SQLite: online backup) with a SHA-256 checksum."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=settings.LUTON_BACKUP_DIR)

    def handle(self, *args, output_dir: Path, **options):
        try:
            path = back_up(output_dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {path} (checksum in {path.name}.sha256)")
