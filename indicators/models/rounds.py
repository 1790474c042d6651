import datetime as dt

from django.conf import settings
from django.db import models

from luton_plan.audit import AuditedQuerySet, audited_history


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", "Not open yet"
    OPEN = "open", "Open for returns"
    LOCKED = "locked", "Signed off and locked"


class ReportingRoundQuerySet(AuditedQuerySet):
    def open(self) -> "ReportingRoundQuerySet":
        return self.filter(state=RoundState.OPEN)

    def governing(self, period) -> "ReportingRound | None":
        """The round a return for `period` belongs to: a quarter's own; a year's (financial, or the
        academic year whose results fall in it) is its financial year's fourth quarter's."""
        from indicators.models.periods import PeriodKind

        if period.kind == PeriodKind.QUARTER:
            return self.filter(period=period).first()
        if period.kind == PeriodKind.FINANCIAL_YEAR:
            return self.filter(period__parent=period, period__quarter=4).first()
        if period.kind == PeriodKind.ACADEMIC_YEAR:
            return self.filter(period__parent__start__year=int(period.label), period__quarter=4).first()
        return None


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

    def is_late(self, today: dt.date) -> bool:
        return today > self.deadline
