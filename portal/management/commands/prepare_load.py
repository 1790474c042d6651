"""`make load`, first step: accounts for the load test in a database named *load* (portal/load.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import load


class Command(BaseCommand):
    help = "Create the load test's officers, members and open round. Load-test databases only."

    def handle(self, *args, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "load" not in name:
            raise CommandError(f"Refusing to add load-test accounts to {name!r}: use a database named *load*.")
        made = load.prepare()
        self.stdout.write(f"{made['officers']} officers, {made['members']} members; {made['round']} open.")
