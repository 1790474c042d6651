from django.db import models


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


class BudgetLine(models.Model):
    """One row of a budget table; cells are kept as printed ("256.62", "50%")."""

    table = models.ForeignKey(BudgetTable, on_delete=models.CASCADE, related_name="lines")
    note = models.CharField(max_length=8, blank=True)
    label = models.CharField(max_length=255)
    cells = models.JSONField(default=list)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["table", "order"]
        constraints = [models.UniqueConstraint(fields=["table", "order"], name="budget_line_order_unique_in_table")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_printed_total(self) -> bool:
        """The table's total as printed (the documents label it "TOTAL"): kept as printed, never recomputed."""
        return self.label.strip().casefold() == "total"
