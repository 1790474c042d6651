from django.conf import settings
from django.db import models

from core.audit import AuditedQuerySet, audited_history
from indicators.models.targets import VALUE_FIELD


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


class Confidence(models.TextChoices):
    HIGH = "high", "High: verified source data"
    MEDIUM = "medium", "Medium: provisional or estimated"
    LOW = "low", "Low: known data-quality issues"


# The one definition of a published figure: an approved return. Only these are ever shown to the
# public and to other partners. A Q object for queries that combine it with others.
PUBLISHED_STATUS = ReturnStatus.APPROVED
PUBLISHED = models.Q(status=PUBLISHED_STATUS)


class ReturnQuerySet(AuditedQuerySet):
    def published(self) -> "ReturnQuerySet":
        """Approved returns: the only figures ever shown to the public and to other partners."""
        return self.filter(PUBLISHED)

    def awaiting_sign_off(self) -> "ReturnQuerySet":
        return self.filter(status=ReturnStatus.SUBMITTED).order_by("submitted_at", "pk")


class PublishedOnceApproved:
    """A row the public sees only once approved (a return, an action update). It remembers whether it
    was published when read, so that a write can tell whether it changes what the public sees: an
    approval or a reopening does, a draft or a submission does not (indicators/publication.py)."""

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._published_when_read = instance.__dict__.get("status") == PUBLISHED_STATUS
        return instance

    @property
    def changes_publication(self) -> bool:
        return self.status == PUBLISHED_STATUS or getattr(self, "_published_when_read", False)


class Return(PublishedOnceApproved, models.Model):
    """An indicator's figures for one period, as an officer returns them and the performance team signs
    them off. Its Values hold the numbers: one, or one per breakdown of a split indicator."""

    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="returns")
    period = models.ForeignKey("indicators.ReportingPeriod", on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    commentary = models.TextField(blank=True, help_text="What the figure shows and why; published once approved.")
    remedial_action = models.TextField(
        blank=True, help_text="What is being done to bring an off-target figure back on track; published once approved."
    )
    data_source = models.CharField(max_length=500, blank=True)
    evidence = models.TextField(blank=True, help_text="Where the evidence is kept, or a note on it.")
    confidence = models.CharField(max_length=8, choices=Confidence.choices, blank=True)
    change_confirmed = models.BooleanField(
        default=False, help_text="The officer confirmed a large move from the previous period is right."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True, help_text="Why the performance team returned it.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; a stale edit is refused.")
    is_demonstration = models.BooleanField(default=False, help_text="Generated demonstration data, not a real figure.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReturnQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["indicator", "period__start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="return_unique_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}"

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED_STATUS


class ValueQuerySet(AuditedQuerySet):
    def published(self) -> "ValueQuerySet":
        """The numbers of approved returns (see PUBLISHED)."""
        return self.filter(submission__status=PUBLISHED_STATUS)


class Value(models.Model):
    """A number in a return: the whole indicator's, or one breakdown's (male, a ward, a band)."""

    submission = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="values")
    breakdown = models.ForeignKey(
        "indicators.Breakdown", null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )
    value = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    numerator = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    denominator = models.DecimalField(null=True, blank=True, **VALUE_FIELD)

    objects = ValueQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["submission", "breakdown__order"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "breakdown"], name="value_unique_per_breakdown"),
            models.UniqueConstraint(
                fields=["submission"], condition=models.Q(breakdown__isnull=True), name="value_unique_whole"
            ),
            models.CheckConstraint(condition=~models.Q(denominator=0), name="value_denominator_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.breakdown or ''}: {self.value}"

    @property
    def changes_publication(self) -> bool:
        # Never a query (the return may be being deleted): a value read without its return counts.
        submission = self._state.fields_cache.get("submission")
        return submission.changes_publication if submission is not None else True
