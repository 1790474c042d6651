from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse


class Priority(models.Model):
    """A priority or theme of a plan (the LAA's themes, a corporate plan's priorities, a service's plan)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    focus = models.JSONField(default=list, blank=True, help_text='The "we will focus on" bullets, as printed.')
    org_unit = models.ForeignKey(
        "plans.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="priorities"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="priority_slug_unique_in_plan"),
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    """A high-level outcome under a priority, with the narrative that explains it."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(
        max_length=80, blank=True, help_text='The heading label as printed, e.g. "SSC: High Level Outcome 1".'
    )
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=500)
    narrative = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="outcome_number_unique_in_priority"),
            models.UniqueConstraint(fields=["priority", "slug"], name="outcome_slug_unique_in_priority"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:outcome-detail",
            kwargs={"plan": self.priority.plan.slug, "priority": self.priority.slug, "slug": self.slug},
        )


class ActionKind(models.TextChoices):
    ACTION = "action", "Action"
    CHANGE = "change", "Change"
    DELIVERY_PRIORITY = "delivery_priority", "Departmental delivery priority"
    EFFICIENCY_PROJECT = "efficiency_project", "Efficiency project"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Action(models.Model):
    """Something the council said it will do: an outcome's action, a service's change, a project."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    org_unit = models.ForeignKey(
        "plans.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(max_length=24, choices=ActionKind.choices, default=ActionKind.ACTION)
    text = models.TextField()
    owner = models.CharField(max_length=255, blank=True, help_text="Responsible officer or team, as printed.")
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="actions",
        help_text="Responsible officers: the people who give its quarterly updates.",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="action_order_unique_in_plan")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        """The page that lists it: its outcome's, its unit's (at its row), or else its plan's."""
        if self.outcome_id:
            return self.outcome.get_absolute_url()
        if self.org_unit_id and self.org_unit.defined_by_id:
            return f"{self.org_unit.get_absolute_url()}#action-{self.pk}"
        return self.plan.get_absolute_url()

    def clean(self) -> None:
        # The thread must be consistent: an action's outcome sits under its priority, in its plan.
        if self.outcome_id and self.priority_id and self.outcome.priority_id != self.priority_id:
            raise ValidationError({"outcome": "This outcome is not under the action's priority."})
        if self.priority_id and self.priority.plan_id != self.plan_id:
            raise ValidationError({"priority": "This priority belongs to another plan."})
