from django.db import models

from core.audit import AuditedQuerySet, audited_history

VALUE_FIELD = {"max_digits": 16, "decimal_places": 4}


class TargetQuerySet(AuditedQuerySet):
    def in_order(self) -> "TargetQuerySet":
        return self.select_related("period", "breakdown").order_by("period__start", "breakdown__order")


class Baseline(models.Model):
    """An indicator's baseline in a plan: the cell as printed, and its number when it states one.

    A split baseline ("791 (m) 561 (f)") is one row for the cell as printed (no value) plus one
    row per part with that part's value.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="baselines")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="baselines")
    breakdown = models.ForeignKey(
        "indicators.Breakdown", null=True, blank=True, on_delete=models.CASCADE, related_name="baselines"
    )
    period = models.ForeignKey(
        "indicators.ReportingPeriod",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="baselines",
        help_text="The period the baseline measures, when printed.",
    )
    value = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    text = models.CharField(max_length=500, help_text="As printed.")

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["plan", "indicator", "breakdown__order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "breakdown"], name="baseline_unique_per_breakdown"),
            models.UniqueConstraint(
                fields=["plan", "indicator"],
                condition=models.Q(breakdown__isnull=True),
                name="baseline_unique_whole_cell",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Target(models.Model):
    """A target for one period (and breakdown) of an indicator in a plan.

    `text` is always the cell as printed, without the designation marker; `value` is set only when
    the cell states a number in the indicator's unit. A sentence ("No survey", "100 taken off
    benefits in key wards") has a text and no value.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey("indicators.ReportingPeriod", on_delete=models.PROTECT, related_name="targets")
    breakdown = models.ForeignKey(
        "indicators.Breakdown", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    value = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    text = models.CharField(max_length=1000)
    designated = models.BooleanField(default=False, help_text="A designated (reward) target, marked * in the LAA.")

    objects = TargetQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["plan", "indicator", "period__start", "breakdown__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "period", "breakdown"], name="target_unique_per_breakdown"
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period"],
                condition=models.Q(breakdown__isnull=True),
                name="target_unique_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.text}"
