"""Who people are beyond Django's user (where they sit), and the record of changes to how they sign in."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.audit import Channel


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


class SecurityEventKind(models.TextChoices):
    LOCKED = "locked", "Sign-in locked after repeated failures"
    LOCK_LIFTED = "lock-lifted", "Sign-in lock lifted"
    PASSWORD_CHANGED = "password-changed", "Password changed"
    SECOND_FACTOR_SET_UP = "two-factor-set-up", "Two-factor sign-in set up"
    RECOVERY_CODES_RENEWED = "recovery-codes-renewed", "Recovery codes renewed"
    SECOND_FACTOR_RESET = "two-factor-reset", "Two-factor sign-in reset (lost device)"
    API_TOKEN_CREATED = "api-token-created", "API token created"
    API_TOKEN_REVOKED = "api-token-revoked", "API token revoked"


class SecurityEvent(models.Model):
    """A change to how someone signs in: who it concerned, who did it, when and through which channel.

    Append-only: written by accounts.events.record_event, read in the admin and on the account page.
    """

    kind = models.CharField(max_length=32, choices=SecurityEventKind.choices)
    # The account concerned. The username is kept as typed too: a lock may name no account at all,
    # and the row must outlive a deleted user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="security_events"
    )
    username = models.CharField(max_length=150)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username} ({self.at:%Y-%m-%d %H:%M})"


class ApiToken(models.Model):
    """A person's key for their own scripts to read and save returns through the API (accounts.tokens).

    Only the key's SHA-256 digest is stored: the key itself is shown once, when it is made, and a copy
    of the database cannot be used to act as anyone. One per person; making a new one replaces it.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16, help_text="The key's first characters, to recognise it by.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
