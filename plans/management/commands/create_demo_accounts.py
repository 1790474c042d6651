"""Demo accounts for each role, for trying the portal locally. Refuses to run in production."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_PASSWORD_DEFAULT = "luton-demo-password"  # noqa: S105 - published in the README; DEBUG only

# username -> (group, is_staff, is_superuser)
DEMO_ACCOUNTS = {
    "officer": ("Officers", False, False),
    "approver": ("Performance team", True, False),
    "member": ("Members", False, False),
    "partner": ("Partners", False, False),
    "admin": ("Administrators", True, True),
}


class Command(BaseCommand):
    help = "Create the demo accounts (officer, approver, member, partner, admin). Only with DJANGO_DEBUG=1."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts share a published password, so they are only created when DJANGO_DEBUG=1 "
                "(as `make run` does). Never create them on a production site."
            )
        password = os.environ.get("LUTON_DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)
        users = get_user_model()
        for username, (group_name, is_staff, is_superuser) in DEMO_ACCOUNTS.items():
            group, _ = Group.objects.get_or_create(name=group_name)
            user, created = users.objects.get_or_create(username=username)
            user.is_staff = is_staff
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            user.groups.set([group])
            self.stdout.write(
                f"{'Created' if created else 'Updated'} demo account {username!r} ({group_name})"
            )
