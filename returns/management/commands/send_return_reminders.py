import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.text import counted
from returns.actions import do_send_reminders


class Command(BaseCommand):
    help = (
        "Email everyone whose quarterly returns are outstanding (officers, lead partners' users, action "
        "updates). Run it daily: it never sends one twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD); for checking only.")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today must be a date like 2011-01-28, not {today!r}") from error
        lines = do_send_reminders(today=day)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"{counted(len(lines), 'reminder')} sent."))
