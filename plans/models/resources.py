from django.db import models
from django.urls import reverse


class ResourceStatement(models.Model):
    """What a plan says about the resources behind an outcome ("Current resource plans should...")."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="resource_statements")
    outcome = models.ForeignKey(
        "plans.Outcome", null=True, blank=True, on_delete=models.CASCADE, related_name="resource_statements"
    )
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="resource_order_unique_in_plan")]

    def __str__(self) -> str:
        return self.text[:80]


class BudgetTable(models.Model):
    """A financial table printed in a plan (revenue, capital expenditure, capital financing)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="budget_tables")
    title = models.CharField(max_length=255)
    unit = models.CharField(max_length=16, blank=True)
    columns = models.JSONField(default=list, help_text="Column headings as printed.")
    notes = models.JSONField(default=list, blank=True, help_text="Footnotes as printed.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="budget_table_title_unique_in_plan")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('plans:budget', kwargs={'slug': self.plan.slug})}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"table-{self.pk}"


class LineKind(models.TextChoices):
    ROW = "row", "Row"
    SUBTOTAL = "subtotal", "Subtotal of the rows since the last subtotal or total"
    TOTAL = "total", "Total of the rows and subtotals above it"


class BudgetLine(models.Model):
    """One row of a budget table; cells are kept as printed ("256.62", "50%").

    `kind` says which printed rows are totals, so that a page can check a printed total against the
    rows it totals (plans/budgets.py) without guessing from the words of the label."""

    table = models.ForeignKey(BudgetTable, on_delete=models.CASCADE, related_name="lines")
    note = models.CharField(max_length=8, blank=True)
    label = models.CharField(max_length=255)
    cells = models.JSONField(default=list)
    kind = models.CharField(max_length=8, choices=LineKind.choices, default=LineKind.ROW)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["table", "order"]
        constraints = [models.UniqueConstraint(fields=["table", "order"], name="budget_line_order_unique_in_table")]

    def __str__(self) -> str:
        return self.label
