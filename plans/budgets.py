"""A plan's printed financial tables, and their printed totals checked against the rows they total.

The figures are the document's: a page shows each table as printed and, where a printed total is not
the sum of the rows it totals, says so in words beside it. Nothing is corrected.

Which rows a total covers (BudgetLine.kind, from the fixtures): a subtotal totals the rows since the
last subtotal or total; a total, the rows and subtotals since the last total, each subtotal standing
for the rows it totals. Each column is checked on its own, wherever the total's cell is an amount;
rows whose cell in that column is no amount (empty, words, a percentage) are left out of the sum and
counted, so the words can say so. Pure: no queries.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from core.numbers import read_money
from plans.models.resources import LineKind


class Line(Protocol):
    label: str
    kind: str
    cells: list


@dataclass(frozen=True)
class TotalCheck:
    """A printed total (or subtotal) in one column, against the sum of the rows it totals."""

    label: str
    column: int  # 0-based
    printed: Decimal
    summed: Decimal
    rows: int  # the rows (and subtotals) it totals
    without_amount: int  # of those, rows with no amount in this column

    @property
    def agrees(self) -> bool:
        return self.printed == self.summed

    @property
    def difference(self) -> Decimal:
        """How much the printed total is above (positive) or below the sum of its rows."""
        return self.printed - self.summed

    @property
    def gap(self) -> Decimal:
        return abs(self.difference)


def _cell(line: Line, column: int) -> object:
    return line.cells[column] if column < len(line.cells) else None


def check_totals(lines: Sequence[Line], *, unit: str) -> list[TotalCheck]:
    """Every printed total and subtotal that is an amount, in table order, against its rows' sum."""
    checks: list[TotalCheck] = []
    since_total: list[Line] = []  # rows and subtotals since the last total
    since_subtotal: list[Line] = []  # rows since the last subtotal or total
    for line in lines:
        if line.kind == LineKind.SUBTOTAL:
            checks.extend(_check(line, since_subtotal, unit=unit))
            # The rows since the last subtotal are the tail of those since the last total.
            since_total = [*since_total[: len(since_total) - len(since_subtotal)], line]
            since_subtotal = []
        elif line.kind == LineKind.TOTAL:
            checks.extend(_check(line, since_total, unit=unit))
            since_total, since_subtotal = [], []
        else:
            since_total.append(line)
            since_subtotal.append(line)
    return checks


def _check(total: Line, covered: list[Line], *, unit: str) -> Iterable[TotalCheck]:
    for column in range(len(total.cells)):
        printed = read_money(_cell(total, column), unit)
        if printed is None or not covered:
            continue
        amounts = [read_money(_cell(line, column), unit) for line in covered]
        yield TotalCheck(
            label=total.label,
            column=column,
            printed=printed,
            summed=sum((amount for amount in amounts if amount is not None), Decimal(0)),
            rows=len(covered),
            without_amount=sum(1 for amount in amounts if amount is None),
        )


def discrepancies(lines: Sequence[Line], *, unit: str) -> list[TotalCheck]:
    """The printed totals that are not the sum of their rows."""
    return [check for check in check_totals(lines, unit=unit) if not check.agrees]
