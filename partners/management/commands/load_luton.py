from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.sync import FixtureError
from partners.loading import load_luton


class Command(BaseCommand):
    help = (
        "Load Luton's plans, indicators, targets, partners and risks from the curated fixtures. "
        "All or nothing; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(settings.LUTON_FIXTURES_DIR), help="The fixtures folder.")

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            load_luton(Path(options["fixtures"]), log=lambda message: self.stdout.write(message))
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS("The Luton data is loaded."))
