"""Printed financial tables: money as printed (core/numbers.py) and a printed total checked against the
rows it totals (plans/budgets.py). Database-free."""

from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest

from core.numbers import format_money, format_printed_cell, read_money
from plans.budgets import check_totals


@pytest.mark.parametrize(
    ("printed", "unit", "amount", "shown"),
    [
        ("256.62", "£m", D("256.62"), "256.62"),
        ("4.30", "£m", D("4.30"), "4.30"),  # the printed places are kept: not 4.3
        ("64.6", "£m", D("64.6"), "64.6"),  # nor padded to 64.60
        ("-37.99", "£m", D("-37.99"), "-37.99"),
        ("£3m", "£m", D("3"), "£3m"),  # printed with its unit: shown with it
        ("-£0.64m", "£m", D("-0.64"), "-£0.64m"),
        ("£1,200.50", "£", D("1200.50"), "£1,200.50"),
        ("1200.50", "£", D("1200.50"), "1,200.50"),  # under a heading that names the unit
        ("50%", "£m", None, "50%"),
        ("Not applicable", "£m", None, "Not applicable"),
        (None, "£m", None, ""),
    ],
)
def test_a_printed_cell_is_read_and_written_as_printed(printed, unit, amount, shown):
    assert read_money(printed, unit) == amount
    if amount is not None:
        assert str(read_money(printed, unit)) == str(amount)  # the same places, not just the same value
    assert format_printed_cell(printed, unit) == shown


def test_money_keeps_its_places_and_its_unit():
    assert format_money(D("480.08"), "£m") == "£480.08m"
    assert format_money(D("-0.10"), "£m") == "-£0.10m"
    assert format_money(D("1234567.5")) == "1,234,567.5"


@dataclass
class Line:
    label: str
    cells: list = field(default_factory=list)
    kind: str = "row"


# The Corporate Plan 2011-14's revenue table: service rows, a subtotal, capital financing, the total.
REVENUE = [
    Line("Education and children's services", ["256.62", "233.29", "50%"]),
    Line("Housing services", ["106.25", "108.73", "20%"]),
    Line("Adult social care", ["71.77", "64.6", "14%"]),
    Line("Cultural, environment and planning services", ["41.31", "46.29", "8%"]),
    Line("Highways, roads and transport services", ["20.07", "20.88", "4%"]),
    Line("Central services", ["21.31", "20.52", "4%"]),
    Line("Other costs", ["0.74", "1.17", None]),
    Line("Service expenditure", ["518.07", "495.48", None], "subtotal"),
    Line("Capital financing", ["-37.99", "4.30", None]),
    Line("TOTAL", ["480.08", "499.78", None], "total"),
]


def test_a_subtotal_stands_for_its_rows_in_the_total():
    checks = check_totals(REVENUE, unit="£m")
    assert [(c.label, c.column, c.printed, c.summed, c.rows) for c in checks] == [
        ("Service expenditure", 0, D("518.07"), D("518.07"), 7),
        ("Service expenditure", 1, D("495.48"), D("495.48"), 7),
        ("TOTAL", 0, D("480.08"), D("480.08"), 2),  # 518.07 - 37.99, not the seven rows again
        ("TOTAL", 1, D("499.78"), D("499.78"), 2),
    ]
    assert all(check.agrees for check in checks)


def test_a_printed_total_that_is_not_its_rows_sum_is_reported_not_fixed():
    lines = [*REVENUE[:-1], Line("TOTAL", ["480.18", "499.78", None], "total")]
    (wrong,) = [check for check in check_totals(lines, unit="£m") if not check.agrees]
    assert (wrong.label, wrong.column, wrong.printed, wrong.summed) == ("TOTAL", 0, D("480.18"), D("480.08"))
    assert wrong.difference == D("0.10") and wrong.gap == D("0.10")
    assert lines[-1].cells[0] == "480.18"


def test_rows_without_an_amount_are_counted_and_a_table_without_totals_has_no_checks():
    lines = [Line("Highways", [None]), Line("Waste", ["£1.2m"]), Line("TOTAL", ["£1.5m"], "total")]
    (check,) = check_totals(lines, unit="£m")
    assert (check.summed, check.rows, check.without_amount, check.agrees) == (D("1.2"), 2, 1, False)
    assert check_totals([Line("Highways", ["£3m"]), Line("Waste", ["£1.2m"])], unit="£m") == []
