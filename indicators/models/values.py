from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from indicators.models.targets import VALUE_FIELD


class ValueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


class Confidence(models.TextChoices):
    HIGH = "high", "High: verified source data"
    MEDIUM = "medium", "Medium: provisional or estimated"
    LOW = "low", "Low: known data-quality issues"


class ValueQuerySet(models.QuerySet):
    def published(self) -> "ValueQuerySet":
        """Only approved values are ever shown to the public."""
        return self.filter(status=ValueStatus.APPROVED)


class Value(models.Model):
    """An actual: the figure for an indicator in a period (and breakdown), on its way to publication."""

    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey("indicators.ReportingPeriod", on_delete=models.PROTECT, related_name="values")
    breakdown = models.ForeignKey(
        "indicators.Breakdown", null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )
    value = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    numerator = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    denominator = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    commentary = models.TextField(blank=True)
    data_source = models.CharField(max_length=500, blank=True)
    evidence = models.TextField(blank=True)
    confidence = models.CharField(max_length=8, choices=Confidence.choices, blank=True)
    status = models.CharField(max_length=12, choices=ValueStatus.choices, default=ValueStatus.DRAFT)
    return_reason = models.TextField(blank=True, help_text="Why the performance team returned it.")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; refuses stale edits.")
    is_demonstration = models.BooleanField(
        default=False, help_text="Generated demonstration data, not a real figure."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period__start", "breakdown__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "breakdown"], name="value_unique_per_breakdown"
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(breakdown__isnull=True),
                name="value_unique_whole",
            ),
            models.CheckConstraint(condition=~models.Q(denominator=0), name="value_denominator_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.value}"
