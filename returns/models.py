"""The quarterly returns cycle's own records: reporting rounds, action updates, reminders sent.

Indicator returns (Return, Value) live in the indicators app with the figures they hold; this app
owns the workflow around them: when a quarter's returns are collected, whether it is locked.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.audit import AuditedQuerySet, audited_history
from core.text import counted
from indicators.models import PUBLISHED, PeriodKind, PublishedOnceApproved, ReportingPeriod, ReturnStatus
from plans.models import ActionStatus


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", "Not open yet"
    OPEN = "open", "Open for returns"
    LOCKED = "locked", "Signed off and locked"


class ReportingRoundQuerySet(AuditedQuerySet):
    def open(self) -> "ReportingRoundQuerySet":
        return self.filter(state=RoundState.OPEN)

    def governing(self, period: ReportingPeriod) -> "ReportingRound | None":
        """The round a return for `period` belongs to: a quarter's own; a year's is the fourth quarter's
        of the financial year it is reported in (ReportingPeriod.reporting_year)."""
        if period.kind == PeriodKind.QUARTER:
            return self.filter(period=period).first()
        year = period.reporting_year
        if year is None:
            return None
        # The fourth quarter of the financial year starting in April `year` starts in January `year + 1`.
        return self.filter(period__quarter=4, period__start__year=year + 1).first()

    def refuse_if_locked(self, period: ReportingPeriod) -> None:
        """ValidationError when the round `period` belongs to is locked (the admin's and models' check;
        the actions lock the round row as well, see returns.actions.rounds)."""
        round_ = self.governing(period)
        if round_ is not None and round_.is_locked:
            raise ValidationError(round_.locked_message)


class ReportingRound(models.Model):
    """The quarterly returns cycle for one quarter: when it opens, when returns are due, whether it is locked.

    A locked round refuses every write to its returns, through any channel; only the performance
    team can reopen it, giving a reason, and the history records who did and when.
    """

    period = models.OneToOneField(
        "indicators.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="round",
        limit_choices_to={"kind": "quarter"},
    )
    opens_on = models.DateField()
    deadline = models.DateField()
    state = models.CharField(max_length=12, choices=RoundState.choices, default=RoundState.UPCOMING)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(blank=True, help_text="Why the performance team last reopened it.")
    outstanding_at_lock = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many returns were still owed when it was locked (0: none)."
    )

    objects = ReportingRoundQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["-period__start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")), name="round_deadline_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period.label} returns"

    @property
    def is_locked(self) -> bool:
        return self.state == RoundState.LOCKED

    @property
    def state_label(self) -> str:
        """Its state in words: "Locked with 3 returns outstanding" when it was locked before all were in."""
        if self.is_locked and self.outstanding_at_lock:
            return f"Locked with {counted(self.outstanding_at_lock, 'return')} outstanding"
        return self.get_state_display()

    @property
    def locked_message(self) -> str:
        """Why its returns can no longer be changed, as a sentence."""
        if self.outstanding_at_lock:
            return f"{self.period.label} is {self.state_label.lower()}: the performance team can reopen it."
        return f"{self.period.label} is signed off and locked: the performance team can reopen it."

    def is_late(self, today: dt.date) -> bool:
        """Whether returns still outstanding on `today` are late: the deadline has passed."""
        return today > self.deadline


class ActionUpdateQuerySet(AuditedQuerySet):
    def published(self) -> "ActionUpdateQuerySet":
        """Approved updates: the only ones ever shown to the public (indicators.models.PUBLISHED)."""
        return self.filter(PUBLISHED)

    def awaiting_sign_off(self) -> "ActionUpdateQuerySet":
        return self.filter(status=ReturnStatus.SUBMITTED).order_by("submitted_at", "pk")


class ActionUpdate(PublishedOnceApproved, models.Model):
    """An action's progress for one quarter, returned by its officer and signed off like a figure."""

    action = models.ForeignKey("plans.Action", on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey("indicators.ReportingPeriod", on_delete=models.PROTECT, related_name="action_updates")
    progress = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
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
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="action_update_unique_per_period"),
            models.CheckConstraint(
                condition=models.Q(percent_complete__gte=0, percent_complete__lte=100),
                name="action_update_percent_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.period}"

    def clean(self) -> None:
        if self.period_id:
            ReportingRound.objects.refuse_if_locked(self.period)
        if self.progress == ActionStatus.COMPLETE and self.percent_complete != 100:
            raise ValidationError({"percent_complete": "A complete action is 100% complete."})


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Before the deadline"
    DUE = "due", "On the deadline"
    OVERDUE = "overdue", "After the deadline (performance team copied)"


class ReminderLog(models.Model):
    """A reminder sent, and who sent it: so that no reminder is sent twice, by the daily run or by hand."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who sent it from the completeness page; empty for the daily run.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "round", "kind", "sent_on"], name="one_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.user} for {self.round}"
