"""The portal's roles. Each is a Django group of the same name; returns/permissions.py holds the rules."""

from django.db import models


class Role(models.TextChoices):
    OFFICER = "Officers"
    PERFORMANCE_TEAM = "Performance team"
    MEMBER = "Members"
    PARTNER = "Partners"
    ADMINISTRATOR = "Administrators"


STAFF_ROLES = {Role.OFFICER.value, Role.PERFORMANCE_TEAM.value, Role.ADMINISTRATOR.value}


def is_council_staff(user) -> bool:
    """Officers, the performance team and administrators: the people who may see working figures' history."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=STAFF_ROLES).exists()
