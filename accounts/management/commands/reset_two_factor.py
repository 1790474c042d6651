"""Reset someone's two-factor sign-in from the server: for the day the only administrator loses a phone."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.two_factor import do_reset_second_factor
from core.audit import Channel


class Command(BaseCommand):
    help = "Remove a user's authenticator app and recovery codes; they set up a new app at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}.")
        do_reset_second_factor(user=user, by=None, channel=Channel.COMMAND)
        self.stdout.write(f"Reset two-factor sign-in for {username}: they will set up an app at their next sign-in.")
