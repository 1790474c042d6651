"""The quarterly returns cycle's own records: who people are, action updates, reminders sent.

Indicator returns (Return, Value) and the reporting calendar (ReportingRound) live in the
indicators app with the figures they hold; this app owns what only the returns cycle needs.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from indicators.models import ReportingRound, ReturnStatus
from luton_plan.audit import AuditedQuerySet, audited_history
from plans.models import ActionStatus


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


class ActionUpdateQuerySet(AuditedQuerySet):
    def awaiting_sign_off(self) -> "ActionUpdateQuerySet":
        return self.filter(status=ReturnStatus.SUBMITTED).order_by("submitted_at", "pk")


class ActionUpdate(models.Model):
    """An action's progress for one quarter, returned by its officer and signed off like a figure."""

    action = models.ForeignKey("plans.Action", on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey("indicators.ReportingPeriod", on_delete=models.PROTECT, related_name="action_updates")
    progress = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    commentary = models.TextField(blank=True)
    revised_date = models.DateField(null=True, blank=True, help_text="A new completion date, if it has moved.")
    status = models.CharField(max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionUpdateQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["action", "period__start"]
        constraints = [models.UniqueConstraint(fields=["action", "period"], name="action_update_unique_per_period")]

    def __str__(self) -> str:
        return f"{self.action} {self.period}"

    def clean(self) -> None:
        round_ = ReportingRound.objects.governing(self.period) if self.period_id else None
        if round_ is not None and round_.is_locked:
            raise ValidationError(f"{self.period.label} is signed off and locked; the performance team can reopen it.")
        if self.progress == ActionStatus.COMPLETE and self.percent_complete != 100:
            raise ValidationError({"percent_complete": "A complete action is 100% complete."})


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Before the deadline"
    DUE = "due", "On the deadline"
    OVERDUE = "overdue", "After the deadline (performance team copied)"


class ReminderLog(models.Model):
    """A reminder sent, so that running the reminders twice in a day sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("indicators.ReportingRound", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "round", "kind", "sent_on"], name="one_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.user} for {self.round}"
