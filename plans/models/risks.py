from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.audit import AuditedQuerySet, audited_history

# A register scores likelihood and impact 1-5 each, and a risk their product: 1-25.
SCALE_MAX = 5
SCORE_MAX = SCALE_MAX * SCALE_MAX
_SCALE = [MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
_SCORE = [MinValueValidator(1), MaxValueValidator(SCORE_MAX)]


STAGES = ("initial", "residual")


def _within(field: str, highest: int) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 1, f"{field}__lte": highest}),
        name=f"risk_{field}_within_scale",
    )


class RiskQuerySet(AuditedQuerySet):
    def for_plan(self, plan_slug: str) -> "RiskQuerySet":
        return self.filter(plan__slug=plan_slug).select_related("plan", "outcome")

    def by_residual_score(self) -> "RiskQuerySet":
        return self.order_by(models.F("residual_score").desc(nulls_last=True), "number", "order")


class Risk(models.Model):
    """A risk to a plan or one of its outcomes, scored before (initial) and after (residual) its controls.

    Scores are stored as printed: documents give a score, and sometimes likelihood and impact too.
    When both are given, the score must be their product.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="risks")
    outcome = models.ForeignKey("plans.Outcome", null=True, blank=True, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The risk's number in its register.")
    reference = models.CharField(
        max_length=16,
        blank=True,
        help_text='Identifies the risk within its plan: "3" in a numbered register, "2.4.1" for the '
        "first risk of outcome 4 of priority 2. Spreadsheets match risks on it.",
    )
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=255, blank=True)
    initial_likelihood = models.PositiveSmallIntegerField(null=True, blank=True, validators=_SCALE)
    initial_impact = models.PositiveSmallIntegerField(null=True, blank=True, validators=_SCALE)
    initial_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=_SCORE)
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True, validators=_SCALE)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True, validators=_SCALE)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=_SCORE)
    controls = models.TextField(blank=True, help_text="Existing controls, as printed.")
    review_date = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = RiskQuerySet.as_manager()
    # Report packs show the change in each residual score since the last quarter (reports/changes.py), read
    # from this history as the register stood then.
    history = audited_history()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="risk_order_unique_in_plan"),
            models.UniqueConstraint(
                fields=["plan", "reference"],
                condition=~models.Q(reference=""),
                name="risk_reference_unique_in_plan",
            ),
            *(_within(f"{stage}_{part}", SCALE_MAX) for stage in STAGES for part in ("likelihood", "impact")),
            *(_within(f"{stage}_score", SCORE_MAX) for stage in STAGES),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        for stage in ("initial", "residual"):
            likelihood = getattr(self, f"{stage}_likelihood")
            impact = getattr(self, f"{stage}_impact")
            score = getattr(self, f"{stage}_score")
            if likelihood and impact and score is not None and score != likelihood * impact:
                errors[f"{stage}_score"] = (
                    f"The {stage} score must be likelihood × impact ({likelihood} × {impact} = {likelihood * impact})."
                )
        if errors:
            raise ValidationError(errors)


class MitigatingAction(models.Model):
    """An action listed against risks. Documents list these beside an outcome's risks without pairing
    them one-to-one, so an action belongs to the outcome (or plan) and to a risk only when printed so."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="mitigating_actions")
    outcome = models.ForeignKey(
        "plans.Outcome", null=True, blank=True, on_delete=models.CASCADE, related_name="mitigating_actions"
    )
    risk = models.ForeignKey(Risk, null=True, blank=True, on_delete=models.CASCADE, related_name="mitigating_actions")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="mitigation_order_unique_in_plan")]

    def __str__(self) -> str:
        return self.text[:80]
