"""Who people are beyond Django's user: where they sit (a department of the council, or a partner)."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """Where a user sits: an officer's department, or a partner user's organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    department = models.ForeignKey(
        "plans.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.partner or self.department or 'no organisation'}"
