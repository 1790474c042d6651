"""The portal's roles. Each is a Django group of the same name; returns/permissions.py holds the rules."""

from django.db import models


class Role(models.TextChoices):
    OFFICER = "Officers"
    PERFORMANCE_TEAM = "Performance team"
    MEMBER = "Members"
    PARTNER = "Partners"
    ADMINISTRATOR = "Administrators"


STAFF_ROLES = {Role.OFFICER.value, Role.PERFORMANCE_TEAM.value, Role.ADMINISTRATOR.value}


def roles_of(user) -> set[str]:
    """The names of the user's roles, read once and kept on the user object for the rest of the request."""
    if not user.is_authenticated:
        return set()
    roles = getattr(user, "_luton_roles", None)
    if roles is None:
        roles = user._luton_roles = set(user.groups.values_list("name", flat=True))
    return roles


def has_role(user, role: Role) -> bool:
    return role.value in roles_of(user) or (role == Role.ADMINISTRATOR and user.is_superuser)


def is_performance_team(user) -> bool:
    """The performance team, and administrators, who may do all it does."""
    return has_role(user, Role.PERFORMANCE_TEAM) or has_role(user, Role.ADMINISTRATOR)


def is_council_staff(user) -> bool:
    """Officers, the performance team and administrators: the people who may see working figures' history."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user) & STAFF_ROLES)
