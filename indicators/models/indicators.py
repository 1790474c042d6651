from django.conf import settings
from django.db import models
from django.urls import reverse

from core.audit import audited_history
from indicators.codes import code_slug
from indicators.models.periods import ReportingPeriod


class Unit(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    PERCENTAGE = "percentage", "Percentage"
    PERCENTAGE_POINTS = "percentage_points", "Percentage points"
    RATE = "rate", "Rate"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    TONNES = "tonnes", "Tonnes"
    LEVEL = "level", "Level"
    SCORE = "score", "Score"
    CURRENCY = "currency", "Pounds sterling"
    TEXT = "text", "Described in words"


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"
    CLOSER_IS_BETTER = "closer", "Closer to target is better"
    NEITHER = "neither", "Neither (context only)"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"
    BIENNIAL = "biennial", "Every two years"
    NOT_SET = "not_set", "Not set"


class QuarterAggregation(models.TextChoices):
    """How an indicator's quarterly figures relate to its annual target."""

    SNAPSHOT = "snapshot", "Snapshot: each quarter's figure is the position at that date"
    CUMULATIVE = "cumulative", "Cumulative: each quarter's figure is the year to date"
    AVERAGE = "average", "Average: the year's figure is the average of its quarters"
    SUM = "sum", "Sum: the year's figure is the sum of its quarters' figures"


class IndicatorSet(models.TextChoices):
    NATIONAL = "national", "National indicator set"
    BEST_VALUE = "best_value", "Best Value performance indicator"
    LOCAL = "local", "Local measure"


class IndicatorQuerySet(models.QuerySet):
    def for_plan(self, plan_slug: str) -> "IndicatorQuerySet":
        """Indicators a plan names anywhere: in its indicator lists or under one of its outcomes."""
        in_lists = PlanIndicator.objects.filter(plan__slug=plan_slug).values("indicator_id")
        under_outcomes = OutcomeIndicator.objects.filter(outcome__priority__plan__slug=plan_slug).values("indicator_id")
        return self.filter(models.Q(pk__in=in_lists) | models.Q(pk__in=under_outcomes))


class Indicator(models.Model):
    """A performance indicator or measure, coded ("NI 16") or not (a 2024 key measure written as text).

    `code` is the normalised code used for linking; every form a document printed is kept as an
    IndicatorAlias, and each plan's own wording of the title is kept on PlanIndicator/OutcomeIndicator.
    """

    slug = models.SlugField(max_length=100, unique=True)
    code = models.CharField(max_length=16, null=True, blank=True, unique=True)
    title = models.CharField(max_length=1000)
    definition = models.TextField(blank=True)
    indicator_set = models.CharField(max_length=16, choices=IndicatorSet.choices, default=IndicatorSet.LOCAL)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.NOT_RECORDED, blank=True)
    unit_label = models.CharField(max_length=100, blank=True, help_text='E.g. "rate per 1,000 population".')
    polarity = models.CharField(max_length=8, choices=Polarity.choices, default=Polarity.NEITHER)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.NOT_SET)
    statutory = models.BooleanField(default=False, help_text="A target the council must set by law.")
    quarter_aggregation = models.CharField(
        max_length=12, choices=QuarterAggregation.choices, default=QuarterAggregation.SNAPSHOT
    )
    tolerance_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text="A figure short of target by at most this share of the target is amber, not red.",
    )
    rate_multiplier = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Set for a rate entered as numerator and denominator: value = numerator ÷ denominator × "
        "this "
        "(100 for a percentage, 1,000 for a rate per 1,000).",
    )
    change_alert_percent = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A move from the previous period larger than this share asks the officer to confirm "
        "the figure. Empty: the portal's default.",
    )
    department = models.ForeignKey(
        "plans.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        help_text="The department that owns the indicator's returns.",
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="indicators",
        help_text="Responsible officers: the people who enter its quarterly returns.",
    )

    objects = IndicatorQuerySet.as_manager()
    # Polarity, tolerance and how quarters add up decide every status: who changed them, and when, matters.
    history = audited_history()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug and self.code:
            self.slug = code_slug(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator-detail", kwargs={"slug": self.slug})

    def period_owed(self, quarter, academic_years: dict) -> "ReportingPeriod | None":
        """The period whose return this indicator owes in `quarter`'s round, the one home of that rule:
        the quarter itself for quarterly and monthly indicators; for annual ones, due in the fourth
        quarter, the financial year or, for statutory education targets, the academic year reported in
        it. `academic_years` is ReportingPeriod.objects.academic_by_reporting_year()."""
        if self.frequency in (Frequency.QUARTERLY, Frequency.MONTHLY):
            return quarter
        if quarter.quarter != 4:
            return None
        if self.statutory:
            return academic_years.get(quarter.reporting_year)
        return quarter.parent


class IndicatorAlias(models.Model):
    """A form in which a document printed an indicator's code: "NI 016", "*Local NI 019", "072", "N1 14"."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=32)

    class Meta:
        ordering = ["indicator", "alias"]
        verbose_name_plural = "indicator aliases"
        constraints = [models.UniqueConstraint(fields=["indicator", "alias"], name="alias_unique_per_indicator")]

    def __str__(self) -> str:
        return self.alias


class BreakdownDimension(models.TextChoices):
    SEX = "sex", "Sex"
    WARD = "ward", "Ward"
    BAND = "band", "Band"
    SUB_MEASURE = "sub_measure", "Sub-measure"


class Breakdown(models.Model):
    """A part of a split indicator: male/female, a ward, a band such as "SAP below 35".

    A band can run the other way from its indicator (fewer homes below SAP 35 is better, more
    above SAP 65 is better), so a breakdown may override the indicator's polarity.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="breakdowns")
    dimension = models.CharField(max_length=16, choices=BreakdownDimension.choices)
    name = models.CharField(max_length=100, help_text='The key the API uses: "male", "Biscot", "SAP below 35".')
    slug = models.SlugField(max_length=100)
    label = models.CharField(max_length=100, blank=True, help_text='As printed, e.g. "(m)".')
    polarity = models.CharField(max_length=8, choices=Polarity.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator", "order"]
        constraints = [models.UniqueConstraint(fields=["indicator", "slug"], name="breakdown_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Inclusion(models.TextChoices):
    IMPROVEMENT = "improvement", "LAA improvement indicator"
    LOCAL = "local", "LAA local indicator"
    STATUTORY = "statutory", "Statutory education and early years target"
    KEY_PERFORMANCE_MEASURE = "key_performance_measure", "Key performance measure"
    KEY_MEASURE = "key_measure", "Key measure of a change"
    BUSINESS_CRITICAL = "business_critical", "Business critical indicator"
    SCORECARD = "scorecard", "Scorecard measure"


class PlanIndicator(models.Model):
    """An indicator as one plan includes it: under which theme, in which department's list, how printed."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="plan_indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="plan_links")
    inclusion = models.CharField(max_length=24, choices=Inclusion.choices)
    priority = models.ForeignKey(
        "plans.Priority", null=True, blank=True, on_delete=models.CASCADE, related_name="plan_indicators"
    )
    org_unit = models.ForeignKey(
        "plans.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_indicators"
    )
    action = models.ForeignKey(
        "plans.Action",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measures",
        help_text="The change this is the key measure of.",
    )
    printed = models.CharField(max_length=1200, help_text="The entry exactly as printed, code and all.")
    title = models.CharField(max_length=1000, help_text="The title as this plan prints it.")
    scorecard_domain = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True, help_text="Footnotes and remarks printed with the indicator.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="plan_indicator_order_unique")]

    def __str__(self) -> str:
        return f"{self.plan.slug}: {self.printed[:60]}"


class OutcomeIndicator(models.Model):
    """An indicator an outcome says it will monitor, as the outcome printed it."""

    outcome = models.ForeignKey("plans.Outcome", on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="outcome_links")
    printed = models.CharField(max_length=1200)
    title = models.CharField(max_length=1000)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["outcome", "order"]
        constraints = [models.UniqueConstraint(fields=["outcome", "order"], name="outcome_indicator_order_unique")]

    def __str__(self) -> str:
        return self.printed[:80]
