from django.db import models
from django.urls import reverse
from django.utils.text import slugify


class PlanKind(models.TextChoices):
    COMMUNITY_STRATEGY = "community_strategy", "Sustainable community strategy"
    CORPORATE_PLAN = "corporate_plan", "Corporate plan"
    LOCAL_AREA_AGREEMENT = "local_area_agreement", "Local area agreement"
    SERVICE_PLANS = "service_plans", "Service plans"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ADOPTED = "adopted", "Adopted"
    SUPERSEDED = "superseded", "Superseded"


class PlanQuerySet(models.QuerySet):
    def with_thread(self) -> "PlanQuerySet":
        """Priorities and their outcomes in document order, fetched in two queries whatever their number."""
        return self.select_related("serves").prefetch_related(
            models.Prefetch("priorities", queryset=_priorities_in_order()),
        )


def _priorities_in_order() -> models.QuerySet:
    from plans.models.thread import Outcome, Priority

    return (
        Priority.objects.select_related("org_unit")
        .prefetch_related(models.Prefetch("outcomes", queryset=Outcome.objects.order_by("order", "number")))
        .order_by("order", "number")
    )


class Plan(models.Model):
    """A published plan: the community strategy, a corporate plan, an LAA, a year's service plans."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=255, help_text="As printed on the document.")
    kind = models.CharField(max_length=32, choices=PlanKind.choices)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ADOPTED)
    start = models.DateField()
    end = models.DateField()
    serves = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="served_by",
        help_text="The plan this one serves (a corporate plan serves the community strategy).",
    )
    source = models.CharField(max_length=255, blank=True, help_text="The document this plan was transcribed from.")
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["order", "start", "slug"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="plan_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", kwargs={"slug": self.slug})

    @property
    def period_label(self) -> str:
        """The plan's span in years as councils write it: "2008-2011"; one financial year as "2024/25"."""
        if self.end.year == self.start.year + 1 and self.start.month >= 4 and self.end.month <= 3:
            return f"{self.start.year}/{str(self.end.year)[2:]}"
        return f"{self.start.year}-{self.end.year}"


class StatementKind(models.TextChoices):
    MISSION = "mission", "Mission"
    VISION = "vision", "Vision"
    VALUE = "value", "Value"
    PRINCIPLE = "principle", "Principle"
    AIM = "aim", "Aim"


class Statement(models.Model):
    """A plan's mission, vision, values, principles and aims, in the document's words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=16, choices=StatementKind.choices)
    title = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="statement_order_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title or self.text[:60]}"


class StrategyReference(models.Model):
    """A cross-cutting plan or strategy that a plan (or one department's part of it) names."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategy_references")
    org_unit = models.ForeignKey(
        "plans.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_references"
    )
    title = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="strategy_order_unique_in_plan")]

    def __str__(self) -> str:
        return self.title


class ScorecardDomain(models.Model):
    """One of the areas a plan's scorecard balances its measures across ("Use of Resources"), with the
    words the plan prints about it. A domain may list no measures: the plan may say only what they
    will be based on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="scorecard_domains")
    name = models.CharField(max_length=100, help_text="As printed; the plan's measures name it (scorecard_domain).")
    description = models.TextField(blank=True, help_text="What the plan says of the domain, as printed.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="scorecard_domain_unique_in_plan")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('plans:scorecard', kwargs={'slug': self.plan.slug})}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """Its place on the scorecard page: "domain-citizen-user-feedback"."""
        return f"domain-{slugify(self.name)}"


class Milestone(models.Model):
    """An item of a plan's outcome timeline, under the financial year the document places it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    period_label = models.CharField(
        max_length=16, help_text='Financial year as printed in the timeline, e.g. "2009/10".'
    )
    text = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "period_label", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="milestone_order_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.period_label}: {self.text}"
