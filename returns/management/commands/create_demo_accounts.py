"""Demo accounts, assignments, reporting rounds and demonstration figures. Refuses to run in production."""

import os

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.audit import Channel, audit
from returns import demo


class Command(BaseCommand):
    help = "Create the demo accounts (officer, approver, member, partner, admin) and demonstration returns."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts share a published password, so they are only created when DJANGO_DEBUG=1 "
                "(as `make run` does). Never create them on a production site."
            )
        password = os.environ.get("LUTON_DEMO_PASSWORD", demo.DEMO_PASSWORD_DEFAULT)
        try:
            # The demo password meets the portal's own rules, like any other: an override must too.
            validate_password(password)
        except ValidationError as error:
            raise CommandError(f"LUTON_DEMO_PASSWORD is not allowed: {' '.join(error.messages)}") from None
        with audit(channel=Channel.COMMAND):
            accounts = demo.create_accounts(password)
            demo.create_rounds(timezone.localdate(), accounts["approver"])
            made = demo.create_demonstration_returns(accounts["approver"], accounts["officer"])
        for username, (role, *_rest) in demo.ACCOUNTS.items():
            self.stdout.write(f"Demo account {username!r}: {role.value}")
        self.stdout.write(
            "'approver' and 'admin' sign in with a second factor: the first time, the portal shows a QR code "
            "to scan with an authenticator app (see README.md)."
        )
        self.stdout.write(f"{made} demonstration returns created (flagged as demonstration data).")
