"""A plan's financial tables as printed, each printed total checked against the rows it totals
(plans/budgets.py) and any difference said in words beside its table."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from plans.budgets import TotalCheck, check_totals
from plans.models import BudgetLine, BudgetTable, Plan


@dataclass
class PrintedTable:
    table: BudgetTable
    lines: list[BudgetLine]
    checks: list[TotalCheck]

    @property
    def has_notes(self) -> bool:
        return any(line.note for line in self.lines)

    @property
    def columns(self) -> list[str | None]:
        """The printed headings, one per column of cells (a column printed without one: None)."""
        width = max([len(self.table.columns), *(len(line.cells) for line in self.lines)])
        return [*self.table.columns, *[None] * (width - len(self.table.columns))]

    @property
    def differences(self) -> list[tuple[TotalCheck, str]]:
        return [(check, self.columns[check.column] or "") for check in self.checks if not check.agrees]

    @property
    def all_agree(self) -> bool:
        return bool(self.checks) and all(check.agrees for check in self.checks)


def budget(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. Every financial table a plan prints (revenue, capital), as printed."""
    plan = get_object_or_404(Plan, slug=slug)
    tables = list(
        plan.budget_tables.prefetch_related(Prefetch("lines", queryset=BudgetLine.objects.order_by("order"))).order_by(
            "order"
        )
    )
    if not tables:
        raise Http404("This plan prints no financial tables")
    printed = [
        PrintedTable(table, lines, check_totals(lines, unit=table.unit))
        for table in tables
        for lines in [list(table.lines.all())]
    ]
    return render(request, "plans/budget.html", {"plan": plan, "tables": printed})
