from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from plans.assessment import overall_score

_SCORE = [MinValueValidator(1), MaxValueValidator(4)]


class Assessment(models.Model):
    """An external corporate assessment of the council (the Audit Commission's CPA corporate assessment)."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=255)
    assessor = models.CharField(max_length=255)
    published = models.CharField(max_length=16, help_text='Month of publication as printed, "2008-03".')
    overall_score = models.PositiveSmallIntegerField(validators=_SCORE)
    score_key = models.JSONField(default=list, help_text="What each score means, as printed.")
    overall_rules = models.JSONField(default=list, help_text="The printed rules for the overall score.")
    plan = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        help_text="The plan whose pages show this assessment.",
    )

    class Meta:
        ordering = ["-published"]

    def __str__(self) -> str:
        return f"{self.title} ({self.published})"

    @property
    def derived_overall_score(self) -> int:
        return overall_score([theme.score for theme in self.themes.all()])


class AssessmentTheme(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="themes")
    headline_question = models.CharField(max_length=255)
    theme = models.CharField(max_length=100)
    score = models.PositiveSmallIntegerField(validators=_SCORE)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "theme"], name="assessment_theme_unique")]

    def __str__(self) -> str:
        return f"{self.theme}: {self.score}"


class FindingKind(models.TextChoices):
    SUMMARY = "summary", "Summary"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"


class AssessmentFinding(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=24, choices=FindingKind.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "kind", "order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "kind", "order"], name="finding_order_unique")]

    def __str__(self) -> str:
        return self.text[:80]
