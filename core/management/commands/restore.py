"""`make restore FILE=...`: restore a backup into a new, empty database, after checking its checksum."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the (new, empty) database DATABASE_URL names."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"There is no file {file}.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {file.name} into {connection.settings_dict['NAME']}. "
            "If the code is newer than the backup, run `manage.py migrate` next."
        )
